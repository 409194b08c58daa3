// Everything read for an explanation, indexed: objects by id, pods by namespace, events by the object they are
// about, and what could not be read. Built once from plain objects; the explainers only look things up.
import { objectId, type KubeObject } from './objects.ts';
import { unreadAt, type Unread } from './unread.ts';

export interface World {
  byId: Map<string, KubeObject>;
  podsByNamespace: Map<string, KubeObject[]>;
  eventsByObject: Map<string, KubeObject[]>;
  /** What could not be read, and why: absence there proves nothing (but a kind not served holds nothing). */
  unread: readonly Unread[];
  defaultNamespace: string;
  now: Date;
  /** Evaluates a CEL expression (readyExpr, healthCheckExprs); loaded by the command only when one is present. */
  evaluateCel?: (expression: string, context: Record<string, unknown>) => unknown;
}

export function buildWorld(objects: KubeObject[], opts: Omit<World, 'byId' | 'podsByNamespace' | 'eventsByObject' | 'unread'> & { unread?: readonly Unread[] }): World {
  const byId = new Map<string, KubeObject>();
  const podsByNamespace = new Map<string, KubeObject[]>();
  const eventsByObject = new Map<string, KubeObject[]>();
  for (const o of objects) {
    if (!o.kind || !o.metadata?.name) continue;
    if (o.kind === 'Event' && (o.apiVersion ?? 'v1') === 'v1') {
      const about = o.involvedObject as { kind?: string; namespace?: string; name?: string } | undefined;
      if (about?.kind && about.name) push(eventsByObject, objectId(about.kind, about.namespace, about.name), o);
      continue;
    }
    byId.set(objectId(o.kind, o.metadata.namespace ?? (isFlux(o) ? opts.defaultNamespace : undefined), o.metadata.name), o);
    if (o.kind === 'Pod') push(podsByNamespace, o.metadata.namespace ?? '', o);
  }
  return { ...opts, byId, podsByNamespace, eventsByObject, unread: opts.unread ?? [] };
}

/** Whether objects of this kind in this namespace could be read, so that a missing one is really missing. */
export function readable(world: World, kind: string, namespace: string | undefined): boolean {
  return !unreadIn(world, kind, namespace);
}

/** Why objects of this kind in this namespace are not known, if they are not. */
export function unreadIn(world: World, kind: string, namespace: string | undefined): Unread | undefined {
  return unreadAt(world.unread, kind, namespace);
}

function isFlux(o: KubeObject): boolean {
  return (o.apiVersion ?? '').includes('.toolkit.fluxcd.io/');
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
