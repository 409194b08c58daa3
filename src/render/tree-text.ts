// The text tree: one line per object with Flux's symbols, then rollout levels and cycles.
import { shortRevision } from '../model/flux.ts';
import type { GraphNode } from '../model/graph.ts';
import type { InventoryItem, TreeView } from '../model/tree-view.ts';
import type { TreeEntry } from '../model/walk.ts';
import { displayName } from './names.ts';
import { age, paint, shorten, stateMark, type Style } from './style.ts';

export interface TextOptions extends Style {
  now: Date;
  levels: boolean;
}

/** The whole text output of `tree`. */
export function renderTreeText(view: TreeView, opts: TextOptions): string {
  const name = (n: Pick<GraphNode, 'kind' | 'namespace' | 'name'>) => displayName(n, view.options.namespace, view.options.allNamespaces);
  const lines: string[] = [];

  const entry = (e: TreeEntry, lead: string, branch: string) => {
    const node = view.graph.nodes.get(e.id) as GraphNode;
    if (e.repeat) {
      const note = e.repeat === 'cycle' ? paint(opts, 'red', '↻ dependency cycle') : paint(opts, 'dim', '(shown above)');
      lines.push(`${lead}${branch}${stateMark(opts, node.ready, node.found)} ${name(node)} ${note}`);
      return;
    }
    const cause = view.rootCauses.get(e.id);
    const label = cause ? `${name(node)} ${paint(opts, 'red', `◀ root cause`)}` : name(node);
    lines.push(`${lead}${branch}${nodeLine(node, label, opts)}`);
    const inner = lead + (branch === '' ? '' : branch === '└── ' ? '    ' : '│   ');
    const items = view.inventory?.get(e.id) ?? [];
    const more = e.children.length > 0 || e.truncated;
    for (const item of items) lines.push(`${inner}${more ? '│' : ' '}   ${inventoryLine(item, opts)}`);
    e.children.forEach((c, i) => entry(c, inner, i === e.children.length - 1 && !e.truncated ? '└── ' : '├── '));
    if (e.truncated) lines.push(`${inner}└── ${paint(opts, 'dim', '… (--depth)')}`);
  };
  for (const root of view.forest) entry(root, '', '');
  if (lines.length === 0) return '';

  if (view.cycles.length) {
    lines.push('', paint(opts, 'red', 'Dependency cycles (these never become ready):'));
    for (const c of view.cycles) lines.push(`  ${cyclePath(view, c).map((id) => name(view.graph.nodes.get(id) as GraphNode)).join(' → ')}`);
  }
  if (opts.levels) {
    lines.push('', 'Rollout levels (objects on one level reconcile in parallel):');
    view.levels.levels.forEach((ids, i) => {
      lines.push(`  ${String(i + 1).padStart(2)}  ${ids.map((id) => name(view.graph.nodes.get(id) as GraphNode)).join(', ')}`);
    });
    if (view.levels.blocked.length) {
      lines.push(`  never (a dependency cycle upstream): ${view.levels.blocked.map((id) => name(view.graph.nodes.get(id) as GraphNode)).join(', ')}`);
    }
  }
  return lines.join('\n') + '\n';
}

function nodeLine(node: GraphNode, label: string, opts: TextOptions): string {
  const parts = [`${stateMark(opts, node.ready, node.found)} ${label}`];
  if (node.suspended) parts.push(paint(opts, 'yellow', '(suspended)'));
  if (node.revision) parts.push(shortRevision(node.revision));
  const since = age(node.since, opts.now);
  if (since) parts.push(since);
  const text = node.ready === 'True' ? node.message : [node.reason, node.message].filter(Boolean).join(': ');
  if (text) parts.push(paint(opts, node.ready === 'True' ? 'dim' : node.ready === 'False' || !node.found ? 'red' : 'yellow', shorten(text)));
  return parts.join('  ');
}

function inventoryLine(item: InventoryItem, opts: TextOptions): string {
  const colour = item.status === 'Current' ? 'green' : item.status === 'InProgress' ? 'yellow' : 'red';
  const message = item.status === 'Current' ? '' : `  ${shorten(item.message)}`;
  return `▸ ${item.ref.id}  ${paint(opts, colour, item.status)}${message}`;
}

/** A cycle as a path that returns to its start, when one simple loop covers it; else its members. */
function cyclePath(view: TreeView, members: string[]): string[] {
  const inCycle = new Set(members);
  const start = members[0] as string;
  const path = [start];
  let current = start;
  for (;;) {
    const next = (view.graph.dependencies.get(current) ?? []).map((e) => e.to).find((to) => inCycle.has(to) && (to === start || !path.includes(to)));
    if (!next) return members;
    path.push(next);
    if (next === start) return path.length - 1 === members.length ? path : members;
    current = next;
  }
}

/** What to say on stderr when the scope holds nothing, as kubectl's "No resources found". */
export function emptyMessage(view: TreeView): string {
  const where = view.options.allNamespaces ? 'any namespace' : `namespace ${view.options.namespace}`;
  return `no Kustomizations or HelmReleases found in ${where}${view.options.selector ? ` matching ${view.options.selector}` : ''}`;
}
