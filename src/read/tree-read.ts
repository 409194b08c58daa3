// tree's read plan, the one place that decides what tree shows beside the Flux objects: their sources and
// cross-kind dependsOn targets, then (with --inventory) the inventory objects of the Kustomizations shown.
// `tree` reads it once; `tree --watch` reads it the same way for its first frame, then watches the same LISTs
// and picks from its caches by the same rules, so the two cannot drift.
import { fluxKindOf } from '../model/flux.ts';
import { objectId, type KubeObject } from '../model/objects.ts';
import { inventoryRefs, type TreeOptions } from '../model/tree-view.ts';
import type { Unread } from '../model/unread.ts';
import * as gather from './gather.ts';
import type { ListQuery, Reader } from './reader.ts';

export interface TreeRead {
  objects: KubeObject[];
  warnings: string[];
  unreadable?: Unread[];
  /** Every LIST the read made, Flux kinds first: what tree --watch watches. */
  queries: ListQuery[];
}

/** Reads what tree shows, in two or three rounds of parallel LISTs. */
export async function readTree(reader: Reader, scope: gather.Scope, options: TreeOptions): Promise<TreeRead> {
  const flux = await gather.readFluxObjects(reader, scope);
  const out: TreeRead = { objects: [...flux.objects], warnings: [...flux.warnings], queries: [...flux.queries], ...(flux.unreadable ? { unreadable: [...flux.unreadable] } : {}) };
  const withUnreadable = () => ({ ...options, ...(out.unreadable ? { unreadable: out.unreadable } : {}) });
  for (const stage of stages) {
    const more = await gather.readObjects(reader, stage(out.objects, scope, withUnreadable()));
    out.objects.push(...more.objects);
    out.warnings.push(...more.warnings.filter((w) => !out.warnings.includes(w)));
    out.queries.push(...(more.queries ?? []));
    if (more.unreadable) out.unreadable = [...(out.unreadable ?? []), ...more.unreadable];
  }
  return out;
}

/** From everything a watch holds, what tree shows: the Flux objects, and the rest as readTree would pick it. */
export function pickTree(cached: KubeObject[], scope: gather.Scope, options: TreeOptions): KubeObject[] {
  const objects = cached.filter((o) => fluxKindOf(o));
  for (const stage of stages) objects.push(...gather.pick(stage(objects, scope, options), cached));
  return objects;
}

/** The LISTs the objects tree holds now need beyond the Flux kinds: new sources, kinds, inventories. */
export function treeQueries(objects: KubeObject[], scope: gather.Scope, options: TreeOptions): ListQuery[] {
  return stages.flatMap((stage) => gather.queriesFor(stage(objects, scope, options)));
}

type Stage = (objects: KubeObject[], scope: gather.Scope, options: TreeOptions) => gather.ObjectRef[];

// Sources too, so that revision lags are judged as why-blocked judges them; the inventory of what is shown,
// which depends on the cross-kind targets (they are nodes of the graph) and so comes second.
const stages: Stage[] = [
  (objects, scope) => [...gather.crossKindTargets(objects, scope.namespace), ...gather.sourceTargets(objects, scope.namespace)],
  (objects, _scope, options) => (options.inventory ? notHeld(inventoryRefs(objects, options), objects) : []),
];

// An inventory may list Kustomizations and HelmReleases (flux-system's applies the others): they are read already,
// and read twice each would be in the graph twice, with every dependency edge doubled.
function notHeld(refs: gather.ObjectRef[], objects: KubeObject[]): gather.ObjectRef[] {
  const held = new Set(objects.map((o) => objectId(o.kind ?? '', o.metadata?.namespace, o.metadata?.name ?? '')));
  return refs.filter((r) => !held.has(objectId(r.kind, r.namespace || undefined, r.name)));
}
