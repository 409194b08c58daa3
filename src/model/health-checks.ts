// Why health checks fail: each health-check object's kstatus, and for workloads one level deeper, the pods that
// are not ready and why (waiting reasons, exit codes, scheduling), with their latest warning events. When the
// objects cannot be read (RBAC) or are gone, the controller's own message is parsed instead, and we say so.
import { healthChecksOf, HELMRELEASE } from './flux.ts';
import { releaseObjects } from './helm-release.ts';
import { inventoryOf } from './inventory.ts';
import { exprFor, exprHealth, healthExprsOf, type HealthExpr } from './health-exprs.ts';
import { healthOf, type Health, type KStatus } from './kstatus.ts';
import { compareStrings, conditionOf, objectId, type KubeObject } from './objects.ts';
import { isNotServed, notServedWords, unreadWhy } from './unread.ts';
import { unreadIn, type World } from './world.ts';
import { age } from './time.ts';

export interface CheckedObject {
  id: string;
  status: KStatus;
  message: string;
  details: string[];
}

export interface HealthCheckFindings {
  objects: CheckedObject[];
  /** Where the statuses came from: the objects themselves, or the controller's message about them. */
  source: 'live' | 'controller message';
  note?: string;
}

interface Target {
  id: string;
  kind: string;
  namespace: string;
}

/** What a Kustomization health-checks: every applied object with wait: true (but itself), else spec.healthChecks. */
export function healthCheckTargets(ks: KubeObject, namespace: string): Target[] {
  if (ks.spec?.wait === true) {
    // kustomize-controller never waits on itself (flux-system's own Kustomization is in its inventory).
    const self = objectId(ks.kind ?? 'Kustomization', namespace, ks.metadata?.name ?? '');
    return inventoryOf(ks.status).filter((r) => r.id !== self).map((r) => ({ id: r.id, kind: r.kind, namespace: r.namespace }));
  }
  return healthChecksOf(ks, namespace).map((r) => ({ id: objectId(r.kind, r.namespace, r.name), kind: r.kind, namespace: r.namespace }));
}

/** The unhealthy health-check objects of a Flux object, as live as the input allows. */
export function findUnhealthy(world: World, obj: KubeObject, namespace: string, controllerMessage: string): HealthCheckFindings {
  const fromMessage = parseHealthMessage(controllerMessage);
  const targets = healthCheckTargets(obj, namespace);
  // A HelmRelease (or a Kustomization whose inventory we lack) has no list of its own: the message names them,
  // else (a HelmRelease) the release's own objects are what Helm waits on.
  for (const m of fromMessage) if (!targets.some((t) => t.id === m.id)) targets.push({ id: m.id, kind: m.kind, namespace: m.namespace });
  const release = fromMessage.length === 0 && obj.kind === HELMRELEASE ? releaseObjects(world, obj, namespace) : undefined;
  targets.push(...(release?.targets ?? []));

  const objects: CheckedObject[] = [];
  // Named by the controller, but Current by our reading of its healthCheckExprs: cel-js may read an expression
  // otherwise than the controller's cel-go, so such an object is shown (after the unhealthy ones), not dropped.
  const currentNow: CheckedObject[] = [];
  const unreadableKinds = new Set<string>();
  const exprs = healthExprsOf(obj);
  for (const t of targets) {
    const live = world.byId.get(t.id);
    if (live && obj.spec?.wait === true && notApplied(live)) continue;
    if (live) {
      const said = fromMessage.find((m) => m.id === t.id);
      const expr = exprFor(exprs, live);
      const health = judge(world, expr, live, said);
      if (health.status !== 'Current') objects.push({ id: t.id, ...health, details: workloadDetails(world, live) });
      else if (expr && said && said.status !== 'Current') currentNow.push({ id: t.id, status: said.status, message: `at the controller's last check; Current here now (${health.message})`, details: [] });
      continue;
    }
    const u = unreadIn(world, t.kind, t.namespace);
    if (!u || isNotServed(u)) {
      objects.push({ id: t.id, status: 'NotFound', message: u ? `not found: ${notServedWords(u)}` : 'not found', details: [] });
    } else {
      unreadableKinds.add(`${t.kind}s in ${t.namespace || 'the cluster'} (${unreadWhy(u)})`);
      const said = fromMessage.find((m) => m.id === t.id);
      if (said) objects.push({ id: t.id, status: said.status, message: said.message || `status '${said.status}' according to the controller`, details: [] });
    }
  }
  objects.push(...currentNow);
  const releaseNote = release?.unreadable.length ? { note: `could not read ${release.unreadable.join(', ')}: the release's objects there are not known` } : {};
  if (unreadableKinds.size === 0) return { objects, source: 'live', ...releaseNote };
  return {
    objects,
    source: 'controller message',
    note: `could not read ${[...unreadableKinds].sort().join(', ')}: statuses are the controller's, details are not available`,
  };
}

/**
 * Whether a HelmRelease's own objects are worth reading (snapshot.ts lists them): it is not Ready for a reason of
 * its own (a Helm action failing or in progress), and no message of the controller names objects to look at.
 */
export function releaseObjectsWanted(hr: KubeObject): boolean {
  const ready = conditionOf(hr, 'Ready');
  if (ready?.status === 'True' || notYetReleased.has(ready?.reason ?? '')) return false;
  if (!ready && conditionOf(hr, 'Reconciling')?.status !== 'True') return false;
  return !['Ready', 'Released'].some((type) => parseHealthMessage(conditionOf(hr, type)?.message ?? '').length > 0);
}

// Ready reasons where the release's objects say nothing: it has not got that far (dependencies, its chart).
const notYetReleased = new Set(['DependencyNotReady', 'ArtifactFailed', 'SourceNotReady', 'HelmChartNotReady', 'SourceNotFound']);

// With wait: true the controller waits on what it applied: not on what these labels or annotations exclude, nor on
// an existing object marked apply-if-not-present (kustomize-controller's apply options, fluxcd/pkg ssa).
const notAppliedMarks: Array<[string, string]> = [
  ['kustomize.toolkit.fluxcd.io/reconcile', 'disabled'], ['kustomize.toolkit.fluxcd.io/ssa', 'Ignore'], ['kustomize.toolkit.fluxcd.io/ssa', 'IfNotPresent'],
];
function notApplied(live: KubeObject): boolean {
  return notAppliedMarks.some(([key, value]) => live.metadata?.labels?.[key] === value || live.metadata?.annotations?.[key] === value);
}

/** Live health, by the Kustomization's healthCheckExprs where one applies (the controller's word if CEL is not loaded). */
function judge(world: World, expr: HealthExpr | undefined, live: KubeObject, said: MessageItem | undefined): Health {
  if (!expr) return healthOf(live, world.now);
  if (world.evaluateCel) return exprHealth(expr, live, world.evaluateCel);
  return said ? { status: said.status, message: `status '${said.status}' according to the controller (its healthCheckExprs)` } : healthOf(live, world.now);
}

// The API versions of kinds a health-check message names without one (the current message form has no group).
const wellKnown: Record<string, string> = {
  Deployment: 'apps/v1', StatefulSet: 'apps/v1', DaemonSet: 'apps/v1', ReplicaSet: 'apps/v1', Job: 'batch/v1', CronJob: 'batch/v1',
  Pod: 'v1', Service: 'v1', PersistentVolumeClaim: 'v1', ConfigMap: 'v1', Namespace: 'v1', ServiceAccount: 'v1',
  Ingress: 'networking.k8s.io/v1', HorizontalPodAutoscaler: 'autoscaling/v2', CustomResourceDefinition: 'apiextensions.k8s.io/v1',
};

/** The objects a Flux object's Ready message names (health checks, a Helm wait), with API versions where known. */
export function objectsNamedIn(message: string): Array<{ apiVersion: string; kind: string; namespace: string; name: string }> {
  return parseHealthMessage(message).flatMap((i) => {
    const apiVersion = wellKnown[i.kind];
    const name = i.id.slice(i.id.lastIndexOf('/') + 1);
    return apiVersion ? [{ apiVersion, kind: i.kind, namespace: i.namespace, name }] : [];
  });
}

interface MessageItem {
  id: string;
  kind: string;
  namespace: string;
  status: KStatus;
  message: string;
}

const statuses: KStatus[] = ['InProgress', 'Failed', 'Current', 'Terminating', 'NotFound', 'Unknown'];

/**
 * The objects a health-check message names, in both forms kustomize-controller writes:
 * `Deployment/demo/db status: 'InProgress'` and (kustomize-controller#1653) `apps/v1/Deployment/demo/db status: ...`,
 * plus `can't determine status for Kind/ns/name`.
 */
export function parseHealthMessage(message: string): MessageItem[] {
  if (typeof message !== 'string') return [];
  const open = message.lastIndexOf('[');
  const close = message.lastIndexOf(']');
  if (open < 0 || close < open) return [];
  const items = message.slice(open + 1, close).split(/, (?=can't determine|[\w.-]+\/[\w.-]+)/);
  return items.flatMap((item) => {
    const unknown = /^can't determine status for (\S+)/.exec(item);
    const known = /^(\S+) status: '(\w+)'(?:: (.*))?$/.exec(item);
    const ref = parseObjectPath(unknown?.[1] ?? known?.[1] ?? '');
    if (!ref) return [];
    const status = (statuses as string[]).includes(known?.[2] ?? '') ? (known?.[2] as KStatus) : 'Unknown';
    return [{ ...ref, status, message: known?.[3] ?? (unknown ? "the controller can't determine its status" : '') }];
  });
}

/** `Kind/ns/name`, `Kind/name`, or with an apiVersion in front (`apps/v1/Deployment/ns/name`, `v1/Pod/ns/name`). */
function parseObjectPath(path: string): { id: string; kind: string; namespace: string } | undefined {
  const parts = path.split('/');
  const kindAt = parts.findIndex((p) => /^[A-Z]/.test(p));
  if (kindAt < 0) return undefined;
  const [kind = '', a, b] = parts.slice(kindAt);
  if (!a) return undefined;
  return b ? { id: objectId(kind, a, b), kind, namespace: a } : { id: objectId(kind, undefined, a), kind, namespace: '' };
}

const podOwners = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);

/** For a workload (or a pod): why its pods are not ready, then its latest warning events. */
export function workloadDetails(world: World, obj: KubeObject): string[] {
  const namespace = obj.metadata?.namespace ?? '';
  let pods: KubeObject[] = [];
  if (obj.kind === 'Pod') pods = [obj];
  else if (podOwners.has(obj.kind ?? '')) {
    const match: Record<string, string> = obj.spec?.selector?.matchLabels ?? {};
    pods = (world.podsByNamespace.get(namespace) ?? []).filter(
      (p) => Object.keys(match).length > 0 && Object.entries(match).every(([k, v]) => p.metadata?.labels?.[k] === v),
    );
  }
  const troubled = pods.filter((p) => !podIsReady(p)).sort((a, b) => compareStrings(a.metadata?.name ?? '', b.metadata?.name ?? ''));
  const lines = troubled.slice(0, 5).flatMap(podProblems);
  if (troubled.length > 5) lines.push(`… and ${troubled.length - 5} more pods not ready`);
  const about = [obj, ...troubled].map((o) => objectId(o.kind ?? '', o.metadata?.namespace, o.metadata?.name ?? ''));
  lines.push(...latestWarnings(world, about).map((e) => eventLine(e, world.now)));
  return lines;
}

function podIsReady(pod: KubeObject): boolean {
  return pod.status?.phase === 'Succeeded' || (pod.status?.phase === 'Running' && conditionOf(pod, 'Ready')?.status === 'True');
}

/** One line per problem a pod has: unschedulable, or each container's waiting or terminated state. */
export function podProblems(pod: KubeObject): string[] {
  const name = `pod ${pod.metadata?.name}`;
  const scheduled = conditionOf(pod, 'PodScheduled');
  if (scheduled?.status === 'False') return [`${name}: ${scheduled.reason ?? 'Unschedulable'}: ${scheduled.message ?? ''}`.trimEnd()];
  const containers: Array<Record<string, any>> = [pod.status?.initContainerStatuses, pod.status?.containerStatuses].flatMap((l) => (Array.isArray(l) ? l : [])); // eslint-disable-line @typescript-eslint/no-explicit-any
  const lines = containers.flatMap((c) => {
    if (c.ready) return [];
    const waiting = c.state?.waiting;
    const last = c.lastState?.terminated ?? c.state?.terminated;
    // The container's last words (terminationMessagePolicy FallbackToLogsOnError) often name the real cause.
    const said = typeof last?.message === 'string' && last.message.trim() ? `: ${last.message.trim().split('\n').pop()}` : '';
    const exit = last ? `last exit code ${last.exitCode}${last.reason ? ` (${last.reason})` : ''}${said}` : '';
    if (waiting?.reason === 'CrashLoopBackOff') return [`${name}: container ${c.name}: CrashLoopBackOff (restarts ${c.restartCount ?? 0}${exit ? `, ${exit}` : ''})`];
    if (waiting?.reason) return [`${name}: container ${c.name}: ${waiting.reason}${waiting.message ? `: ${waiting.message}` : ''}`];
    if (c.state?.terminated) return [`${name}: container ${c.name}: terminated, ${exit}`];
    if (last?.reason === 'OOMKilled') return [`${name}: container ${c.name}: not ready, ${exit}`];
    return [`${name}: container ${c.name}: not ready`];
  });
  return lines.length ? lines : [`${name}: ${pod.status?.phase ?? 'Pending'}, not ready`];
}

function latestWarnings(world: World, ids: string[], limit = 3): KubeObject[] {
  return ids
    .flatMap((id) => world.eventsByObject.get(id) ?? [])
    .filter((e) => e.type === 'Warning')
    .sort((a, b) => compareStrings(eventTime(b), eventTime(a)))
    .slice(0, limit);
}

function eventTime(e: KubeObject): string {
  return String(e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp ?? '');
}

function eventLine(e: KubeObject, now: Date): string {
  const about = e.involvedObject as { kind?: string; name?: string };
  const count = typeof e.count === 'number' && e.count > 1 ? ` x${e.count}` : '';
  const ago = age(eventTime(e) || undefined, now);
  return `event ${e.reason} on ${about.kind}/${about.name}${count}${ago ? `, ${ago} ago` : ''}: ${String(e.message ?? '').split('\n')[0]}`;
}
