// Mermaid flowchart (documented syntax only: flowchart, node["label"], -->, classDef, class), for Markdown docs.
// Same layout as the dot output: arrows point at dependencies, roots on top.
import { nodeLabelLines, stateClass, stateColours } from './dot.ts';
import type { GraphData } from './graph-data.ts';

// Mermaid labels are quoted strings; a double quote inside one is written as an HTML entity.
const label = (lines: string[]) => `"${lines.map((l) => l.replace(/"/g, '#quot;')).join('<br/>')}"`;

export function renderMermaid(data: GraphData): string {
  const key = new Map(data.nodes.map((n, i) => [n.id, `n${i}`]));
  const lines = ['flowchart BT'];
  for (const n of data.nodes) lines.push(`  ${key.get(n.id)}[${label(nodeLabelLines(n))}]`);
  for (const e of data.edges) lines.push(`  ${key.get(e.from)} --> ${key.get(e.to)}`);
  const used = new Set(data.nodes.map(stateClass));
  for (const [name, c] of Object.entries(stateColours)) {
    if (used.has(name as keyof typeof stateColours)) lines.push(`  classDef ${name} fill:${c.fill},stroke:${c.stroke}`);
  }
  for (const name of used) {
    const members = data.nodes.filter((n) => stateClass(n) === name).map((n) => key.get(n.id));
    lines.push(`  class ${members.join(',')} ${name}`);
  }
  return lines.join('\n') + '\n';
}
