// What `tree -o svg` and `-o html` draw, from the tree's view: the graph data of `-o dot`, cut at --depth as the
// text tree is, with each node's look (state class, Flux's symbol, root cause, cycle) and the details the HTML
// page shows (age, the why-blocked explanation). Pure: the layout is Graphviz's (render/graphviz.ts).
import type { TreeView } from '../model/tree-view.ts';
import type { TreeEntry } from '../model/walk.ts';
import { stateClass, type StateClass } from './dot.ts';
import { renderExplanation } from './explanation-text.ts';
import { graphData, type NodeData } from './graph-data.ts';
import { age } from './style.ts';

export interface PictureNode extends NodeData {
  state: StateClass;
  /** Flux CLI's symbol for the state: ✔ ready, ✗ failed or missing, ◎ in progress, unknown or suspended. */
  mark: string;
  /** How long ago Ready last changed, as the text tree prints it ('' when unknown). */
  age: string;
  inCycle: boolean;
  /** --depth stopped the walk here although there is more. */
  truncated: boolean;
  /** The why-blocked explanation as text, for an object that is not Ready (when the view kept explanations). */
  explanation?: string;
}

export interface PictureEdge {
  from: string;
  to: string;
  /** A dependency on another kind (a Kustomization on a HelmRelease, a HelmRelease on a Deployment). */
  crossKind: boolean;
  /** The dependency does not exist (or could not be read). */
  missing: boolean;
  /** Both ends lie on one dependency cycle. */
  cycle: boolean;
}

export interface Picture {
  /** What the picture shows, for its heading: the scope or REF's neighbourhood. */
  title: string;
  nodes: PictureNode[];
  edges: PictureEdge[];
  /** Rollout levels of the nodes drawn, first level first; `never` holds those behind a cycle. */
  levels: string[][];
  never: string[];
  /** When the statuses were read: a snapshot's capture time or now. */
  at: string;
}

/** The picture of a tree view at `now`. */
export function pictureOf(view: TreeView, now: Date): Picture {
  const data = graphData(view);
  const drawn = new Set(data.nodes.map((n) => n.id));
  const truncated = new Set<string>();
  walkForest(view.forest, (e) => e.truncated && truncated.add(e.id));
  const cycleOf = new Map<string, number>();
  data.cycles.forEach((members, i) => members.forEach((id) => cycleOf.set(id, i)));
  const nodes = data.nodes.filter((n) => drawn.has(n.id)).map((n): PictureNode => {
    const state = stateClass(n);
    const explanation = view.explanations?.get(n.id);
    return {
      ...n, state,
      mark: state === 'ready' ? '✔' : state === 'failed' || state === 'missing' ? '✗' : '◎',
      age: age(n.lastTransitionTime ?? undefined, now),
      inCycle: cycleOf.has(n.id),
      truncated: truncated.has(n.id),
      ...(explanation?.blocked ? { explanation: renderExplanation(explanation, { color: false }) } : {}),
    };
  });
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const edges = data.edges.filter((e) => drawn.has(e.from) && drawn.has(e.to)).map((e): PictureEdge => {
    const from = byId.get(e.from) as PictureNode;
    const to = byId.get(e.to) as PictureNode;
    const cycle = cycleOf.has(e.from) && cycleOf.get(e.from) === cycleOf.get(e.to);
    return { ...e, crossKind: from.kind !== to.kind, missing: !to.found, cycle };
  });
  const levels = view.levels.levels.map((ids) => ids.filter((id) => drawn.has(id))).filter((ids) => ids.length > 0);
  return { title: titleOf(view), nodes, edges, levels, never: view.levels.blocked.filter((id) => drawn.has(id)), at: now.toISOString() };
}

function walkForest(entries: TreeEntry[], visit: (e: TreeEntry) => unknown): void {
  for (const e of entries) {
    visit(e);
    walkForest(e.children, visit);
  }
}

function titleOf(view: TreeView): string {
  const o = view.options;
  if (o.ref) return `${o.direction === 'downstream' ? 'What depends on' : 'What'} ${o.ref.kind}/${o.ref.namespace}/${o.ref.name}${o.direction === 'downstream' ? '' : ' depends on'}`;
  const where = o.allNamespaces ? 'all namespaces' : `namespace ${o.namespace}`;
  return `Kustomizations and HelmReleases in ${where}${o.selector ? ` matching ${o.selector}` : ''}`;
}
