// The graph as data: the JSON shape of CONTRACT.md (nodes, edges; `from` depends on `to`), extended with
// each node's Ready transition time and rollout level, the cycles, and inventories when asked for.
import { compareIds, type GraphNode } from '../model/graph.ts';
import type { TreeView } from '../model/tree-view.ts';

export interface NodeData {
  id: string;
  kind: string;
  namespace: string;
  name: string;
  found: boolean;
  ready: string;
  reason: string;
  message: string;
  suspended: boolean;
  revision: string;
  lastTransitionTime: string | null;
  /** 1-based rollout level; null when a dependency cycle upstream means it never rolls out. */
  level: number | null;
  /** The why-blocked reason when this object is the root cause of a block, else null. */
  rootCause: string | null;
  inventory?: Array<{ id: string; apiVersion: string; status: string; message: string }>;
}

export interface GraphData {
  nodes: NodeData[];
  edges: Array<{ from: string; to: string }>;
  cycles: string[][];
}

/** The view as plain data, sorted, ready for JSON or YAML. */
export function graphData(view: TreeView): GraphData {
  const level = new Map<string, number>();
  view.levels.levels.forEach((ids, i) => ids.forEach((id) => level.set(id, i + 1)));
  const shown = reached(view);
  const ids = [...shown].sort(compareIds);
  const nodes = ids.map((id) => {
    const n = view.graph.nodes.get(id) as GraphNode;
    const data: NodeData = {
      id: n.id, kind: n.kind, namespace: n.namespace, name: n.name, found: n.found,
      ready: n.ready, reason: n.reason, message: n.message, suspended: n.suspended, revision: n.revision,
      lastTransitionTime: n.since ?? null,
      level: level.get(id) ?? null,
      rootCause: view.rootCauses.get(id) ?? null,
    };
    const inventory = view.inventory?.get(id);
    if (inventory) data.inventory = inventory.map((i) => ({ id: i.ref.id, apiVersion: i.ref.apiVersion, status: i.status, message: i.message }));
    return data;
  });
  const edges = ids.flatMap((id) =>
    (view.graph.dependencies.get(id) ?? []).filter((e) => shown.has(e.to)).map((e) => ({ from: e.from, to: e.to })),
  );
  return { nodes, edges, cycles: view.cycles };
}

/** An object a shown Kustomization applied (status.inventory), with its health: what `-o dot|mermaid --inventory` draw. */
export interface ManagedNode {
  id: string;
  kind: string;
  /** '' for a cluster-scoped object. */
  namespace: string;
  name: string;
  apiVersion: string;
  /** kstatus, as the text tree and the SVG's titles give it. */
  status: string;
  message: string;
}

export interface ManagedGraph {
  /** The managed objects that are not themselves nodes of the graph, sorted by id. */
  nodes: ManagedNode[];
  /** From each owner to each object it manages (a graph node or a managed one), in the owners' order. */
  edges: Array<{ owner: string; object: string }>;
}

/**
 * The inventories of the data's nodes as a graph of their own (empty without --inventory): one node per managed
 * object, however many owners list it (its health as the first owner's checks judge it), and an edge from each
 * owner. An object that is a node already (a Kustomization or HelmRelease another one applies) gets only the edge.
 */
export function managedGraph(data: GraphData): ManagedGraph {
  const drawn = new Set(data.nodes.map((n) => n.id));
  const nodes = new Map<string, ManagedNode>();
  const edges: ManagedGraph['edges'] = [];
  for (const owner of data.nodes) {
    for (const item of owner.inventory ?? []) {
      edges.push({ owner: owner.id, object: item.id });
      if (drawn.has(item.id) || nodes.has(item.id)) continue;
      nodes.set(item.id, { ...idParts(item.id), id: item.id, apiVersion: item.apiVersion, status: item.status, message: item.message });
    }
  }
  return { nodes: [...nodes.values()].sort((a, b) => compareIds(a.id, b.id)), edges };
}

// An id is Kind/namespace/name or, cluster-scoped, Kind/name: neither a kind nor a Kubernetes name holds a '/'.
function idParts(id: string): { kind: string; namespace: string; name: string } {
  const parts = id.split('/');
  return { kind: parts[0] ?? '', namespace: parts.length > 2 ? (parts[1] ?? '') : '', name: parts[parts.length - 1] ?? '' };
}

// Without --depth every shown node; with it, those the text tree's forest reaches, as the text tree stops there.
function reached(view: TreeView): Set<string> {
  if (view.options.depth === undefined) return view.shown;
  const ids = new Set<string>();
  const walk = (entries: TreeView['forest']) => entries.forEach((e) => (ids.add(e.id), walk(e.children)));
  walk(view.forest);
  return ids;
}

/**
 * The data as JSON.stringify(data, null, 2) would write it, in pieces: one per node, so a graph with 100,000
 * inventory entries never becomes one giant string in memory.
 */
export function* jsonPieces(data: GraphData): Generator<string> {
  const keys = Object.keys(data) as Array<keyof GraphData>;
  yield '{\n';
  for (const [k, key] of keys.entries()) {
    const list = data[key] as unknown[];
    yield `  ${JSON.stringify(key)}: ${list.length ? '[\n' : '[]'}`;
    for (const [i, item] of list.entries()) {
      yield `    ${JSON.stringify(item, null, 2).replaceAll('\n', '\n    ')}${i < list.length - 1 ? ',' : ''}\n`;
    }
    yield `${list.length ? '  ]' : ''}${k < keys.length - 1 ? ',' : ''}\n`;
  }
  yield '}\n';
}
