// Mermaid flowchart (documented syntax only: flowchart, node["label"] and (["label"]), -->, -.-, classDef, class), for Markdown docs.
// Same layout as the dot output: arrows point at dependencies, roots on top; with --inventory each managed object a
// stadium below its owner, tied to it by a dotted line. Node ids are n0, n1, ...: valid whatever a name holds.
import { healthClass, managedLabelLines, nodeLabelLines, stateClass, stateColours, type StateClass } from './dot.ts';
import { managedGraph, type GraphData } from './graph-data.ts';

// Mermaid labels are quoted strings; a double quote inside one is written as an HTML entity.
const label = (lines: string[]) => `"${lines.map((l) => l.replace(/"/g, '#quot;')).join('<br/>')}"`;

export function renderMermaid(data: GraphData): string {
  const managed = managedGraph(data);
  const ids = [...data.nodes.map((n) => n.id), ...managed.nodes.map((n) => n.id)];
  const key = new Map(ids.map((id, i) => [id, `n${i}`]));
  const lines = ['flowchart BT'];
  for (const n of data.nodes) lines.push(`  ${key.get(n.id)}[${label(nodeLabelLines(n))}]`);
  for (const n of managed.nodes) lines.push(`  ${key.get(n.id)}([${label(managedLabelLines(n))}])`);
  for (const e of data.edges) lines.push(`  ${key.get(e.from)} --> ${key.get(e.to)}`);
  // Written object first: in a BT flowchart a link's second node is drawn above its first, so the owner sits on top.
  for (const e of managed.edges) lines.push(`  ${key.get(e.object)} -.- ${key.get(e.owner)}`);
  const classOf = new Map<string, StateClass>([
    ...data.nodes.map((n) => [n.id, stateClass(n)] as const),
    ...managed.nodes.map((n) => [n.id, healthClass(n.status)] as const),
  ]);
  const used = new Set(classOf.values());
  for (const [name, c] of Object.entries(stateColours)) {
    if (used.has(name as StateClass)) lines.push(`  classDef ${name} fill:${c.fill},stroke:${c.stroke}`);
  }
  for (const name of used) {
    const members = ids.filter((id) => classOf.get(id) === name).map((id) => key.get(id));
    lines.push(`  class ${members.join(',')} ${name}`);
  }
  return lines.join('\n') + '\n';
}
