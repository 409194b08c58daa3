// Graphviz: arrows point at what an object depends on; with rankdir=BT the roots sit on top, as rollouts flow.
// With --inventory each managed object is a square box (Flux's objects are rounded) below its owner, its health
// as colour, a dashed arrow to it from each owner.
import { managedGraph, type GraphData, type ManagedNode, type NodeData } from './graph-data.ts';

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

/** The colour class of a managed object's health (kstatus): InProgress, Terminating and Unknown are in progress. */
export function healthClass(status: string): StateClass {
  return status === 'Current' ? 'ready' : status === 'Failed' ? 'failed' : status === 'NotFound' ? 'missing' : 'progressing';
}

export function nodeLabelLines(n: NodeData): string[] {
  const state = n.found ? (n.ready === 'True' ? 'Ready' : n.reason || `Ready=${n.ready}`) : 'NotFound';
  return [n.kind, `${n.namespace}/${n.name}`, n.suspended ? `${state} (suspended)` : state];
}

/** A managed object's label: kind, namespace/name (name alone when cluster-scoped), health. */
export function managedLabelLines(n: ManagedNode): string[] {
  return [n.kind, n.namespace ? `${n.namespace}/${n.name}` : n.name, n.status];
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
  const managed = managedGraph(data);
  for (const n of managed.nodes) {
    const c = stateColours[healthClass(n.status)];
    const style = n.status === 'NotFound' ? 'filled,dashed' : 'filled';
    lines.push(`  ${quote(n.id)} [label=${label(managedLabelLines(n))}, shape=box, style=${quote(style)}, fontsize=10, fillcolor=${quote(c.fill)}, color=${quote(c.stroke)}];`);
  }
  for (const e of data.edges) lines.push(`  ${quote(e.from)} -> ${quote(e.to)};`);
  // Written object -> owner, drawn back: the edge ranks the object below its owner (rankdir=BT puts a head above its
  // tail) and its arrow points from the owner at the object. One between two Flux objects leaves their ranks alone.
  const graphNodes = new Set(data.nodes.map((n) => n.id));
  for (const e of managed.edges) {
    const rank = graphNodes.has(e.object) ? ', constraint=false' : '';
    lines.push(`  ${quote(e.object)} -> ${quote(e.owner)} [dir=back, style=dashed, color="#9e9e9e", arrowsize=0.7${rank}];`);
  }
  lines.push('}');
  return lines.join('\n') + '\n';
}
