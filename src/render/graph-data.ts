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
