// Graphviz: arrows point at what an object depends on; with rankdir=BT the roots sit on top, as rollouts flow.
import type { GraphData, NodeData } from './graph-data.ts';

export const stateColours = {
  ready: { fill: '#d4edda', stroke: '#2e7d32' },
  failed: { fill: '#f8d7da', stroke: '#c62828' },
  progressing: { fill: '#fff3cd', stroke: '#f9a825' },
  missing: { fill: '#eeeeee', stroke: '#c62828' },
  suspended: { fill: '#e2e3e5', stroke: '#616161' },
} as const;
export type StateClass = keyof typeof stateColours;

/** The colour class of a node: what its state means for the rollout. */
export function stateClass(n: NodeData): StateClass {
  if (!n.found) return 'missing';
  if (n.ready === 'False') return 'failed';
  if (n.suspended && n.ready !== 'True') return 'suspended';
  return n.ready === 'True' ? 'ready' : 'progressing';
}

export function nodeLabelLines(n: NodeData): string[] {
  const state = n.found ? (n.ready === 'True' ? 'Ready' : n.reason || `Ready=${n.ready}`) : 'NotFound';
  return [n.kind, `${n.namespace}/${n.name}`, n.suspended ? `${state} (suspended)` : state];
}

const escape = (s: string) => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
const quote = (s: string) => `"${escape(s)}"`;
// Graphviz's \n: a centred line break inside a label.
const label = (lines: string[]) => `"${lines.map(escape).join('\\n')}"`;

export function renderDot(data: GraphData): string {
  const lines = [
    'digraph flux {',
    '  rankdir=BT;',
    '  node [shape=box, style="rounded,filled", fontname="Helvetica"];',
    '  edge [color="#555555"];',
  ];
  for (const n of data.nodes) {
    const c = stateColours[stateClass(n)];
    const dashed = n.found ? '' : ', style="rounded,filled,dashed"';
    lines.push(`  ${quote(n.id)} [label=${label(nodeLabelLines(n))}, fillcolor=${quote(c.fill)}, color=${quote(c.stroke)}${dashed}];`);
  }
  for (const e of data.edges) lines.push(`  ${quote(e.from)} -> ${quote(e.to)};`);
  lines.push('}');
  return lines.join('\n') + '\n';
}
