// What `snapshot` captures for offline analysis: the Flux objects in scope and what they depend on, their
// sources, health-check and inventory objects with status, the pods behind unhealthy workloads, and the events
// of all of those. Secrets keep only their metadata: no Secret data ever leaves the cluster.
import { fluxKindOf, healthChecksOf, HELMRELEASE, KUSTOMIZATION, sourceObjectsOf } from '../model/flux.ts';
import { belongsTo, releaseInventory, releaseOf, releaseWorkloadApiVersion, releaseWorkloadKinds } from '../model/helm-release.ts';
import { inventoryOf } from '../model/inventory.ts';
import { objectsNamedIn, releaseObjectsWanted } from '../model/health-checks.ts';
import { healthOf } from '../model/kstatus.ts';
import { compareStrings, conditionOf, objectId, type KubeObject } from '../model/objects.ts';
import { crossKindTargets, noteUnread, readFluxObjects, readObjects, type Gathered, type KindQuery, type ObjectRef, type Scope } from './gather.ts';
import type { ListResult, Reader } from './reader.ts';

const workloads = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);

/**
 * Everything the read commands need about the scope, as plain objects. With `focus`, only those Flux objects'
 * sources, health checks and inventories are read (why-blocked reads just the target's upstream).
 */
export async function takeSnapshot(reader: Reader, scope: Scope, now: Date, focus?: (flux: KubeObject[]) => KubeObject[]): Promise<Gathered> {
  // Two rounds of requests as a rule, each round's lists in parallel (dependsOn into other namespaces, and
  // unhealthy workloads that no health check names, add one each). First the Flux objects, and the events of
  // their namespace (most of theirs are there).
  const [flux, scopeEvents] = await Promise.all([readFluxObjects(reader, scope), listEvents(reader, scope.allNamespaces ? [] : [scope.namespace])]);
  const expand = focus ? focus(flux.objects) : flux.objects;
  const gating: ObjectRef[] = [...crossKindTargets(expand, scope.namespace)];
  const refs: ObjectRef[] = [];
  const releases: KindQuery[] = [];
  for (const obj of expand) {
    const kind = fluxKindOf(obj);
    if (!kind) continue;
    const ns = obj.metadata?.namespace ?? scope.namespace;
    refs.push(...sourceObjectsOf(obj, kind, ns));
    if (kind === KUSTOMIZATION) {
      gating.push(...healthChecksOf(obj, ns));
      refs.push(...inventoryOf(obj.status));
    }
    // What a failure message names (a HelmRelease's Helm wait, say), so the answer can go one level deeper; after a
    // rollback, the failed action's is in Released.
    for (const type of ['Ready', 'Released']) gating.push(...objectsNamedIn(conditionOf(obj, type)?.message ?? ''));
    // Where they name none, the release's own objects: its inventory, else the workloads in its namespace that
    // carry its marks (in the same LISTs as anything else of their kind there).
    if (kind === HELMRELEASE && releaseObjectsWanted(obj)) {
      const inventory = releaseInventory(obj);
      const release = releaseOf(obj, ns);
      if (inventory.length) gating.push(...inventory);
      else releases.push(...releaseWorkloadKinds.map((k) => ({ apiVersion: releaseWorkloadApiVersion, kind: k, namespace: release.namespace, keep: (o: KubeObject) => belongsTo(o, release) })));
    }
  }
  refs.push(...gating);

  // Then what they name, the events of every other namespace involved, and the pods of the namespaces whose
  // workloads gate readiness (health checks): pods say why a workload is not healthy, and waiting to see which
  // are unhealthy would cost a third round trip. Only the pods of unhealthy workloads are kept.
  const eventNamespaces = new Set([...namespacesOf(flux.objects), ...refs.map((r) => r.namespace).filter(Boolean)]);
  if (!scope.allNamespaces) eventNamespaces.delete(scope.namespace);
  for (const r of releases) if (r.namespace !== scope.namespace || scope.allNamespaces) eventNamespaces.add(r.namespace ?? '');
  const podNamespaces = new Set([...gating.filter((r) => workloads.has(r.kind)), ...releases].map((r) => r.namespace ?? ''));
  const [related, moreEvents, gatingPods] = await Promise.all([
    readObjects(reader, refs, releases),
    listEvents(reader, [...eventNamespaces].sort()),
    listPods(reader, [...podNamespaces]),
  ]);

  // A third round only for unhealthy workloads elsewhere (in an inventory, not health-checked).
  const unhealthy = related.objects.filter((o) => workloads.has(o.kind ?? '') && healthOf(o, now).status !== 'Current');
  const otherPods = await listPods(reader, [...new Set(namespacesOf(unhealthy))].filter((ns) => !podNamespaces.has(ns)));
  const pods = ownedPods(unhealthy, new Map([...gatingPods, ...otherPods]));
  const known = [...flux.objects, ...related.objects];
  const all = [...known, ...pods.objects];
  const events = eventsAbout(gathered('Event', [...scopeEvents, ...moreEvents]), all);
  return {
    objects: [...all, ...events.objects].map(clean).sort(byKindAndId),
    // Once each: a group version whose discovery failed fails again in a later round (it is asked again).
    warnings: [...new Set([...flux.warnings, ...related.warnings, ...pods.warnings, ...events.warnings])],
    unreadable: [flux, related, pods, events].flatMap((g) => g.unreadable ?? []),
  };
}

function namespacesOf(objects: KubeObject[]): string[] {
  return objects.map((o) => o.metadata?.namespace).filter((n): n is string => !!n);
}

type Lists = Map<string, ListResult>;

function listPods(reader: Reader, namespaces: string[]): Promise<Lists> {
  return listIn(reader, 'Pod', namespaces);
}

function listEvents(reader: Reader, namespaces: string[]): Promise<Lists> {
  return listIn(reader, 'Event', namespaces);
}

/** Every object of a core kind in the namespaces, one LIST each, by namespace. */
async function listIn(reader: Reader, kind: string, namespaces: string[]): Promise<Lists> {
  const lists = await Promise.all(namespaces.map((namespace) => reader.list({ apiVersion: 'v1', kind, namespace })));
  return new Map(lists.map((list, i) => [namespaces[i] ?? '', list]));
}

/** The lists' objects; each list that could not be read is a warning. */
function gathered(kind: string, lists: Array<[string, ListResult]>): Gathered {
  const out: Gathered = { objects: [], warnings: [] };
  for (const [namespace, list] of lists) {
    noteUnread(out, list, { apiVersion: 'v1', kind, namespace });
    out.objects.push(...list.items);
  }
  return out;
}

/**
 * The pods the owners select (by their selector's matchLabels, in their namespace). Pods listed in case they
 * were needed are no concern where no owner is unhealthy: not readable there is no warning.
 */
function ownedPods(owners: KubeObject[], lists: Lists): Gathered {
  const needed = new Set(namespacesOf(owners));
  const pods = gathered('Pod', [...lists].filter(([namespace]) => needed.has(namespace)));
  pods.objects = pods.objects.filter((pod) => owners.some((o) => o.metadata?.namespace === pod.metadata?.namespace && selects(o.spec?.selector?.matchLabels, pod.metadata?.labels)));
  return pods;
}

function selects(matchLabels: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  if (!matchLabels || Object.keys(matchLabels).length === 0) return false;
  return Object.entries(matchLabels).every(([k, v]) => labels?.[k] === v);
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
  return compareStrings(key(a), key(b));
}
