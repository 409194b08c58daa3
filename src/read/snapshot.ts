// What `snapshot` captures for offline analysis: the Flux objects in scope and what they depend on, their
// sources, health-check and inventory objects with status, the pods behind unhealthy workloads, and the events
// of all of those. Secrets keep only their metadata: no Secret data ever leaves the cluster.
import { fluxKindOf, healthChecksOf, KUSTOMIZATION, sourceObjectsOf } from '../model/flux.ts';
import { inventoryOf } from '../model/inventory.ts';
import { objectsNamedIn } from '../model/health-checks.ts';
import { healthOf } from '../model/kstatus.ts';
import { conditionOf, objectId, type KubeObject } from '../model/objects.ts';
import { crossKindTargets, readFluxObjects, readObjects, type Gathered, type ObjectRef, type Scope } from './gather.ts';
import type { Reader } from './reader.ts';

const workloads = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);

/**
 * Everything the read commands need about the scope, as plain objects. With `focus`, only those Flux objects'
 * sources, health checks and inventories are read (why-blocked reads just the target's upstream).
 */
export async function takeSnapshot(reader: Reader, scope: Scope, now: Date, focus?: (flux: KubeObject[]) => KubeObject[]): Promise<Gathered> {
  const flux = await readFluxObjects(reader, scope);
  const expand = focus ? focus(flux.objects) : flux.objects;
  const refs: ObjectRef[] = [...crossKindTargets(expand, scope.namespace)];
  for (const obj of expand) {
    const kind = fluxKindOf(obj);
    if (!kind) continue;
    const ns = obj.metadata?.namespace ?? scope.namespace;
    refs.push(...sourceObjectsOf(obj, kind, ns));
    if (kind === KUSTOMIZATION) {
      refs.push(...healthChecksOf(obj, ns));
      refs.push(...inventoryOf(obj.status));
    }
    // What a failure message names (a HelmRelease's Helm wait, say), so the answer can go one level deeper.
    refs.push(...objectsNamedIn(conditionOf(obj, 'Ready')?.message ?? ''));
  }
  const related = await readObjects(reader, refs);

  // One level deeper for workloads that are not healthy: their pods, which say why. The events of every
  // namespace involved are listed at the same time (pods live in their workloads' namespaces), then filtered.
  const unhealthy = related.objects.filter((o) => workloads.has(o.kind ?? '') && healthOf(o, now).status !== 'Current');
  const known = [...flux.objects, ...related.objects];
  const [pods, eventLists] = await Promise.all([podsOf(reader, unhealthy), listEvents(reader, known)]);
  const all = [...known, ...pods.objects];
  const events = eventsAbout(eventLists, all);
  return {
    objects: [...all, ...events.objects].map(clean).sort(byKindAndId),
    warnings: [...flux.warnings, ...related.warnings, ...pods.warnings, ...events.warnings],
    unreadable: [flux, related, pods, events].flatMap((g) => g.unreadable ?? []),
  };
}

async function podsOf(reader: Reader, owners: KubeObject[]): Promise<Gathered> {
  const out: Gathered = { objects: [], warnings: [] };
  const namespaces = [...new Set(owners.map((o) => o.metadata?.namespace ?? ''))];
  const lists = await Promise.all(namespaces.map((namespace) => reader.list({ apiVersion: 'v1', kind: 'Pod', namespace })));
  lists.forEach((list, i) => {
    if (list.unreadable) {
      out.warnings.push(list.unreadable);
      (out.unreadable ??= []).push(`Pod/${namespaces[i]}`);
    }
    const mine = owners.filter((o) => (o.metadata?.namespace ?? '') === namespaces[i]);
    out.objects.push(...list.items.filter((pod) => mine.some((o) => selects(o.spec?.selector?.matchLabels, pod.metadata?.labels))));
  });
  return out;
}

function selects(matchLabels: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  if (!matchLabels || Object.keys(matchLabels).length === 0) return false;
  return Object.entries(matchLabels).every(([k, v]) => labels?.[k] === v);
}

async function listEvents(reader: Reader, objects: KubeObject[]): Promise<Gathered> {
  const out: Gathered = { objects: [], warnings: [] };
  const namespaces = [...new Set(objects.map((o) => o.metadata?.namespace).filter((n): n is string => !!n))].sort();
  const lists = await Promise.all(namespaces.map((namespace) => reader.list({ apiVersion: 'v1', kind: 'Event', namespace })));
  for (const [i, list] of lists.entries()) {
    if (list.unreadable) {
      out.warnings.push(list.unreadable);
      (out.unreadable ??= []).push(`Event/${namespaces[i]}`);
    }
    out.objects.push(...list.items);
  }
  return out;
}

/** Only the events about the given objects. */
function eventsAbout(events: Gathered, objects: KubeObject[]): Gathered {
  const ids = new Set(objects.map((o) => objectId(o.kind ?? '', o.metadata?.namespace, o.metadata?.name ?? '')));
  return {
    ...events,
    objects: events.objects.filter((e) => {
      const about = e.involvedObject as { kind?: string; namespace?: string; name?: string } | undefined;
      return about?.kind && about.name && ids.has(objectId(about.kind, about.namespace, about.name));
    }),
  };
}

/** Drops what is noise offline (managedFields) and what must never be written out (Secret data). */
function clean(obj: KubeObject): KubeObject {
  const { managedFields: _m, ...metadata } = (obj.metadata ?? {}) as Record<string, unknown>;
  const copy: KubeObject = { ...obj, metadata };
  if (obj.kind === 'Secret' && (obj.apiVersion ?? 'v1') === 'v1') {
    delete copy.data;
    delete copy.stringData;
    // kubectl apply keeps the whole manifest, data included, in this annotation.
    const annotations = { ...(metadata.annotations as Record<string, string> | undefined) };
    delete annotations['kubectl.kubernetes.io/last-applied-configuration'];
    copy.metadata = { ...metadata, annotations };
  }
  return copy;
}

function byKindAndId(a: KubeObject, b: KubeObject): number {
  const key = (o: KubeObject) => `${o.apiVersion}|${objectId(o.kind ?? '', o.metadata?.namespace, o.metadata?.name ?? '')}`;
  return key(a).localeCompare(key(b));
}
