// What `tree` shows, decided from plain objects: which nodes, in which forest, with levels, cycles and
// (with --inventory) each Kustomization's managed objects and their health. Renderers only format this.
import { explain, type Explanation } from './blockers.ts';
import { KUSTOMIZATION, type Ref } from './flux.ts';
import { buildGraph, compareIds, namesKind, type Graph } from './graph.ts';
import { checkedHealth, healthExprsOf } from './health-exprs.ts';
import { inventoryOf, type InventoryRef } from './inventory.ts';
import type { KStatus } from './kstatus.ts';
import { objectId, type KubeObject } from './objects.ts';
import { parseSelector } from './selector.ts';
import { cannotRead, isNotServed, missingObjectError, notServedWords, unreadAt, unreadFromKey, type Unread } from './unread.ts';
import { buildWorld, type World } from './world.ts';
import { closure, cyclesOf, forestOf, levelsOf, rootsOf, type Direction, type Levels, type TreeEntry } from './walk.ts';

export interface TreeOptions {
  /** The namespace in scope, and the one names are shortened against. */
  namespace: string;
  allNamespaces: boolean;
  selector?: string;
  /** Show REF's neighbourhood instead of the whole scope. */
  ref?: Ref;
  direction: Direction;
  depth?: number;
  inventory: boolean;
  /** What could not be read (RBAC, a kind not served, an API that did not answer). */
  unreadable?: Unread[];
  /** `Kind/namespace` pairs (`Kind/` across namespaces) a watch has not listed yet: shown as not listed, not missing. */
  pending?: string[];
  /** Keep the why-blocked explanation of every shown object that is not Ready (tree -o html shows them). */
  explanations?: boolean;
}

export interface InventoryItem {
  ref: InventoryRef;
  status: KStatus;
  message: string;
}

export interface TreeView {
  graph: Graph;
  shown: Set<string>;
  forest: TreeEntry[];
  levels: Levels;
  cycles: string[][];
  /** By Kustomization id, with --inventory. */
  inventory?: Map<string, InventoryItem[]>;
  /** The shown objects that why-blocked names as root causes, with the reason. */
  rootCauses: Map<string, string>;
  /** With options.explanations: by id, why each shown object that is not Ready is blocked. */
  explanations?: Map<string, Explanation>;
  options: TreeOptions;
}

/** The view of `objects` that `tree` prints; throws NotFoundError when REF is not among them (ClusterError when unreadable). */
export function buildTreeView(objects: KubeObject[], options: TreeOptions, now: Date, evaluateCel?: World['evaluateCel']): TreeView {
  const graph = buildGraph(objects, options.namespace, options.unreadable, options.pending);
  const { shown, roots, direction } = shownIn(graph, options);
  const forest = forestOf(graph, roots, direction, shown, options.depth);
  const { rootCauses, explanations } = rootCausesIn(graph, objects, shown, options, now, evaluateCel);
  return {
    graph, shown, forest,
    levels: levelsOf(graph, shown),
    cycles: cyclesOf(graph, shown),
    rootCauses,
    ...(explanations ? { explanations } : {}),
    ...(options.inventory ? { inventory: inventoryHealth(graph, shown, objects, now, options.pending ?? [], evaluateCel) } : {}),
    options,
  };
}

/** Which nodes the view shows, and the roots and direction of its forest; throws NotFoundError for a missing REF. */
function shownIn(graph: Graph, options: TreeOptions): { shown: Set<string>; roots: string[]; direction: TreeOptions['direction'] } {
  if (options.ref) {
    const id = objectId(options.ref.kind, options.ref.namespace, options.ref.name);
    if (!graph.nodes.get(id)?.found) throw missingObjectError(options.ref, graph.unread);
    return { shown: closure(graph, [id], options.direction), roots: [id], direction: options.direction };
  }
  const selected = options.selector ? parseSelector(options.selector) : () => true;
  const scope = [...graph.nodes.values()]
    .filter((n) => n.found && n.object && (options.allNamespaces || n.namespace === options.namespace))
    .filter((n) => selected(n.object?.metadata?.labels))
    .map((n) => n.id);
  // Dependencies outside the scope are shown too: a graph without them would hide what blocks it.
  const shown = closure(graph, scope, 'upstream');
  return { shown, roots: rootsOf(graph, shown), direction: 'downstream' };
}

// The same verdicts as why-blocked, from what tree read (Flux objects and their sources): the root causes that
// are shown get marked, so the graph and the explanation agree. With options.explanations every explanation is kept.
function rootCausesIn(graph: Graph, objects: KubeObject[], shown: Set<string>, options: TreeOptions, now: Date, evaluateCel?: World['evaluateCel']): { rootCauses: Map<string, string>; explanations?: Map<string, Explanation> } {
  // What is not listed yet is not known to be missing: judged as what cannot be read.
  const unknown = [...(options.unreadable ?? []), ...(options.pending ?? []).map((key) => unreadFromKey(key, 'listing'))];
  const world = buildWorld(objects, { defaultNamespace: options.namespace, now, unread: unknown, ...(evaluateCel ? { evaluateCel } : {}) });
  const marks = new Map<string, string>();
  const explanations = options.explanations ? new Map<string, Explanation>() : undefined;
  for (const id of [...shown].sort(compareIds)) {
    const node = graph.nodes.get(id);
    if (!node?.found || node.ready === 'True') continue;
    // An object already marked as a root cause is not asked for marks again: explained only to keep the explanation.
    const marked = marks.has(id);
    if (marked && !explanations) continue;
    const explanation = explain(graph, world, id);
    explanations?.set(id, explanation);
    if (marked) continue;
    for (const cause of explanation.rootCauses) {
      // A manifest straight from Git (no status at all) is not a cluster object yet: nothing to blame it for.
      const manifest = graph.nodes.get(cause.object)?.object?.status === undefined && graph.nodes.get(cause.object)?.found;
      if (shown.has(cause.object) && !manifest && !graph.nodes.get(cause.object)?.pending) marks.set(cause.object, cause.reason);
    }
  }
  return { rootCauses: marks, ...(explanations ? { explanations } : {}) };
}

// An object kind the Kustomization's healthCheckExprs cover is judged by them, as its health checks judge it.
function inventoryHealth(graph: Graph, shown: Set<string>, objects: KubeObject[], now: Date, pending: string[], evaluateCel?: World['evaluateCel']): Map<string, InventoryItem[]> {
  const byId = new Map<string, KubeObject>();
  for (const o of objects) if (o.kind && o.metadata?.name) byId.set(objectId(o.kind, o.metadata.namespace, o.metadata.name), o);
  const result = new Map<string, InventoryItem[]>();
  for (const id of [...shown].sort(compareIds)) {
    const node = graph.nodes.get(id);
    if (node?.kind !== KUSTOMIZATION || !node.object) continue;
    const exprs = healthExprsOf(node.object);
    result.set(id, inventoryOf(node.object.status).map((ref) => {
      const obj = byId.get(ref.id);
      if (obj) return { ref, ...checkedHealth(exprs, obj, now, evaluateCel) };
      if (namesKind(pending, ref.kind, ref.namespace)) return { ref, status: 'Unknown' as const, message: 'not listed yet' };
      // Absence is claimed only where the kind could be read, or is not served at all.
      const u = unreadAt(graph.unread, ref.kind, ref.namespace);
      if (!u) return { ref, status: 'NotFound' as const, message: 'not found' };
      return isNotServed(u) ? { ref, status: 'NotFound' as const, message: `not found: ${notServedWords(u)}` } : { ref, status: 'Unknown' as const, message: cannotRead(u) };
    }));
  }
  return result;
}

/** The ids an inventory view needs read: every managed object of the shown Kustomizations. */
export function inventoryRefs(objects: KubeObject[], options: TreeOptions): InventoryRef[] {
  const graph = buildGraph(objects, options.namespace, options.unreadable);
  return [...shownIn(graph, options).shown].flatMap((id) => {
    const node = graph.nodes.get(id);
    return node?.kind === KUSTOMIZATION ? inventoryOf(node.object?.status) : [];
  });
}
