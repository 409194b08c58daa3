// Read what explaining needs and explain: shared by why-blocked, and by wait-for and reconcile when they fail.
// Reads only the targets' upstream: their Flux objects' sources, health checks, unhealthy pods and events.
import { explain, type Explanation } from '../model/blockers.ts';
import { buildGraph, type Graph } from '../model/graph.ts';
import { healthExprsOf } from '../model/health-exprs.ts';
import type { KubeObject } from '../model/objects.ts';
import type { Unread } from '../model/unread.ts';
import { closure } from '../model/walk.ts';
import { buildWorld } from '../model/world.ts';
import { celEvaluator } from './cel.ts';
import type { Scope } from './gather.ts';
import type { Reader } from './reader.ts';
import { takeSnapshot } from './snapshot.ts';

export interface Explained {
  graph: Graph;
  /** By target id; a target that was not found (or not readable) has none. */
  explanations: Map<string, Explanation>;
  warnings: string[];
  unreadable: Unread[];
}

export async function readAndExplain(reader: Reader, scope: Scope, ids: string[], now: Date): Promise<Explained> {
  const upstreamOf = (flux: KubeObject[]): KubeObject[] => {
    const graph = buildGraph(flux, scope.namespace);
    return [...closure(graph, ids, 'upstream')].flatMap((n): KubeObject[] => {
      const obj = graph.nodes.get(n)?.object;
      return obj ? [obj] : [];
    });
  };
  const read = await takeSnapshot(reader, scope, now, upstreamOf);
  const unreadable = read.unreadable ?? [];
  const graph = buildGraph(read.objects, scope.namespace, unreadable);
  const upstream = closure(graph, ids.filter((id) => graph.nodes.get(id)?.found), 'upstream');
  // CEL for readyExpr entries and healthCheckExprs upstream only.
  const evaluateCel = await celEvaluator(graph.edges.some((e) => e.readyExpr && upstream.has(e.from)) ||
    [...upstream].some((id) => healthExprsOf(graph.nodes.get(id)?.object ?? {}).length > 0));
  const world = buildWorld(read.objects, { defaultNamespace: scope.namespace, now, unread: unreadable, ...(evaluateCel ? { evaluateCel } : {}) });
  const explanations = new Map<string, Explanation>();
  for (const id of ids) if (graph.nodes.get(id)?.found) explanations.set(id, explain(graph, world, id));
  return { graph, explanations, warnings: read.warnings, unreadable };
}
