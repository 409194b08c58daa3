// The text tree as aligned columns (render/table.ts), the tree drawn in the name column as kubectl-tree draws it:
// NAME (with Flux's symbols), READY, REVISION, AGE, MESSAGE, the message last and whole; then cycles and levels.
import { shortRevision } from '../model/flux.ts';
import type { GraphNode } from '../model/graph.ts';
import type { InventoryItem, TreeView } from '../model/tree-view.ts';
import type { TreeEntry } from '../model/walk.ts';
import { displayName } from './names.ts';
import { age, paint, stateMark, type Style } from './style.ts';
import { renderTable } from './table.ts';

export interface TextOptions extends Style {
  now: Date;
  levels: boolean;
  /** The terminal's width when stdout is one: messages are cut to fit it. Undefined in a pipe: nothing is cut. */
  width?: number;
}

const header = ['NAME', 'READY', 'REVISION', 'AGE', 'MESSAGE'];

/** The whole text output of `tree`. */
export function renderTreeText(view: TreeView, opts: TextOptions): string {
  const name = (n: Pick<GraphNode, 'kind' | 'namespace' | 'name'>) => displayName(n, view.options.namespace, view.options.allNamespaces);
  const rows: string[][] = [];

  const entry = (e: TreeEntry, lead: string, branch: string) => {
    const node = view.graph.nodes.get(e.id) as GraphNode;
    const mark = stateMark(opts, node.ready, node.found || node.pending === true);
    if (e.repeat) {
      const note = e.repeat === 'cycle' ? paint(opts, 'red', '↻ dependency cycle') : paint(opts, 'dim', '(shown above)');
      rows.push([`${lead}${branch}${mark} ${name(node)}`, '', '', '', note]);
      return;
    }
    const cause = view.rootCauses.get(e.id) ? ` ${paint(opts, 'red', '◀ root cause')}` : '';
    rows.push([`${lead}${branch}${mark} ${name(node)}${cause}`, ...nodeCells(node, opts)]);
    const inner = lead + (branch === '' ? '' : branch === '└── ' ? '    ' : '│   ');
    const items = view.inventory?.get(e.id) ?? [];
    const more = e.children.length > 0 || e.truncated;
    for (const item of items) rows.push([`${inner}${more ? '│' : ' '}   ▸ ${item.ref.id}`, ...inventoryCells(item, opts)]);
    e.children.forEach((c, i) => entry(c, inner, i === e.children.length - 1 && !e.truncated ? '└── ' : '├── '));
    if (e.truncated) rows.push([`${inner}└── ${paint(opts, 'dim', '… (--depth)')}`, '', '', '', '']);
  };
  for (const root of view.forest) entry(root, '', '');
  if (rows.length === 0) return '';
  const lines = [renderTable(header, rows, opts.width ? { width: opts.width } : {}).trimEnd()];

  if (view.cycles.length) {
    lines.push('', paint(opts, 'red', 'Dependency cycles (these never become ready):'));
    for (const c of view.cycles) lines.push(`  ${cyclePath(view, c).map((id) => name(view.graph.nodes.get(id) as GraphNode)).join(' → ')}`);
  }
  if (opts.levels) {
    const names = (ids: string[]) => ids.map((id) => name(view.graph.nodes.get(id) as GraphNode)).join(', ');
    const levels = view.levels.levels.map((ids, i) => [String(i + 1), names(ids)]);
    if (view.levels.blocked.length) levels.push(['never', `${names(view.levels.blocked)} (a dependency cycle upstream)`]);
    lines.push('', 'Rollout levels (objects on one level reconcile in parallel):', renderTable(['LEVEL', 'OBJECTS'], levels, opts.width ? { width: opts.width } : {}).trimEnd());
  }
  return lines.join('\n') + '\n';
}

function nodeCells(node: GraphNode, opts: TextOptions): string[] {
  const ready = node.suspended ? `${node.ready} ${paint(opts, 'yellow', '(suspended)')}` : node.ready;
  const text = node.ready === 'True' ? node.message : [node.reason, node.message].filter(Boolean).join(': ');
  const colour = node.ready === 'True' ? 'dim' : node.ready === 'False' || !(node.found || node.pending) ? 'red' : 'yellow';
  return [ready, node.revision ? shortRevision(node.revision) : '', age(node.since, opts.now), text ? paint(opts, colour, text) : ''];
}

function inventoryCells(item: InventoryItem, opts: TextOptions): string[] {
  const colour = item.status === 'Current' ? 'green' : item.status === 'InProgress' ? 'yellow' : 'red';
  return [paint(opts, colour, item.status), '', '', item.status === 'Current' ? '' : item.message];
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

/** One line for a fleet's table: `5 objects: 3 ready, 1 not ready, 1 not found; root cause Kustomization/a/infra`. */
export function summaryLine(view: TreeView): string {
  const nodes = [...view.shown].map((id) => view.graph.nodes.get(id) as GraphNode);
  const count = (test: (n: GraphNode) => boolean) => nodes.filter(test).length;
  const parts = [
    [count((n) => n.found && n.ready === 'True'), 'ready'],
    [count((n) => n.found && n.ready === 'False'), 'not ready'],
    [count((n) => n.found && n.ready === 'Unknown'), 'unknown'],
    [count((n) => !n.found), 'not found'],
  ] as const;
  const causes = [...view.rootCauses.keys()].sort();
  const counts = parts.filter(([n]) => n > 0).map(([n, what]) => `${n} ${what}`).join(', ');
  return `${nodes.length} object${nodes.length === 1 ? '' : 's'}: ${counts}${causes.length ? `; root cause${causes.length === 1 ? '' : 's'} ${causes.join(', ')}` : ''}`;
}
