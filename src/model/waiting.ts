// wait-for's verdict on one object at one moment: ready at the awaited revision, still waiting (and on what),
// or failed for good. Pure: the caller re-evaluates on every watch event.
import { artifactRevisionOf, dependenciesOf, KUSTOMIZATION, meetsReadyCheck, resumeCommand, shortRevision, type FluxKind } from './flux.ts';
import { conditionOf, objectId, type KubeObject } from './objects.ts';
import { matchesRevision } from './revision.ts';

export type Verdict = 'ready' | 'waiting' | 'failed';

export interface WaitState {
  verdict: Verdict;
  reason: string;
  message: string;
  /** The revision the object has applied. */
  revision: string;
  /** The revision being waited for, when there is one. */
  awaited?: string;
  /**
   * Held by its dependency check although every dependency it has is ready now: the controller looks again only
   * at its requeue interval, so a new request is worth making (reconcile asks again).
   */
  dependenciesReady?: true;
  /** An attempt that began before the request failed at the awaited revision: said once, the answer still awaited. */
  earlyFailure?: true;
}

export interface WaitOptions {
  /** --revision: a full revision, a digest prefix (4+ hex), or an exact chart version; else the source's artifact. */
  revision?: string;
  failFast: boolean;
}

// Ready=False reasons that are a verdict on the attempted revision, not a wait (kustomize- and helm-controller).
const failures = new Set([
  'HealthCheckFailed', 'ReconciliationFailed', 'BuildFailed', 'PruneFailed', 'DecryptionFailed', 'ArtifactFailed',
  'InvalidCELExpression', 'InstallFailed', 'UpgradeFailed', 'RollbackFailed', 'UninstallFailed', 'TestFailed', 'InitFailed',
]);

export function waitState(obj: KubeObject | undefined, kind: FluxKind, source: KubeObject | undefined, opts: WaitOptions): WaitState {
  if (!obj) return { verdict: 'waiting', reason: 'NotFound', message: 'not found (deleted?)', revision: '' };
  const applied = kind === KUSTOMIZATION ? String(obj.status?.lastAppliedRevision ?? '') : String(obj.status?.history?.[0]?.chartVersion ?? obj.status?.lastAttemptedRevision ?? '');
  const attempted = String(obj.status?.lastAttemptedRevision ?? '');
  const awaited = opts.revision ?? (kind === KUSTOMIZATION ? artifactRevisionOf(source) : undefined);
  const base = { revision: applied, ...(awaited ? { awaited } : {}) };
  const ready = conditionOf(obj, 'Ready');

  const stalled = conditionOf(obj, 'Stalled');
  if (stalled?.status === 'True') return { ...base, verdict: 'failed', reason: stalled.reason ?? 'Stalled', message: stalled.message ?? '' };

  if (meetsReadyCheck(obj) && (!awaited || matchesRevision(applied, awaited))) {
    return { ...base, verdict: 'ready', reason: ready?.reason ?? 'Ready', message: ready?.message ?? '' };
  }
  if (opts.failFast) {
    const atAwaited = !awaited || matchesRevision(attempted, awaited);
    if (ready?.status === 'False' && failures.has(ready.reason ?? '') && atAwaited) {
      return { ...base, verdict: 'failed', reason: ready.reason ?? '', message: ready.message ?? '' };
    }
    const sourceReady = source ? conditionOf(source, 'Ready') : undefined;
    if (sourceReady?.status === 'False') {
      return { ...base, verdict: 'failed', reason: 'SourceNotReady', message: `${source?.kind} ${source?.metadata?.name}: ${sourceReady.message ?? sourceReady.reason}` };
    }
  }
  if (ready?.status === 'True' && awaited && !matchesRevision(applied, awaited)) {
    return { ...base, verdict: 'waiting', reason: 'RevisionNotApplied', message: `at ${shortRevision(applied || 'nothing')}, waiting for ${shortRevision(awaited)}` };
  }
  const reconciling = conditionOf(obj, 'Reconciling');
  const said = reconciling?.status === 'True' && ready?.status !== 'False' ? reconciling : ready;
  return { ...base, verdict: 'waiting', reason: said?.reason ?? 'NotReconciled', message: said?.message ?? 'not reconciled yet' };
}

/** Another object by id, as the watch holds it (undefined: not watched, or not there). */
export type Lookup = (id: string) => KubeObject | undefined;

/**
 * reconcile's verdict: the controller has handled our request (`status.lastHandledReconcileAt` is our token), and
 * then Ready at the source's revision. A failure is a verdict on the awaited revision (a failed health check, a
 * build or apply error) or a dependency that is itself blocked; a dependency still progressing is a wait, and
 * says on what. A failure at the awaited revision from an attempt that started before our request (the source's
 * new artifact starts one before the annotation lands) is said at once, while the wait goes on for the answer.
 */
export interface Request {
  /** The requestedAt token the controller echoes in lastHandledReconcileAt. */
  token: string;
  /** When the command started: a failure recorded since then, at the awaited revision, is news. */
  since: Date;
}

export function reconciledState(obj: KubeObject | undefined, kind: string, source: KubeObject | undefined, request: Request, lookup: Lookup = () => undefined): WaitState {
  if (!obj) return { verdict: 'waiting', reason: 'NotFound', message: 'not found (deleted?)', revision: '' };
  const isSource = !(kind === KUSTOMIZATION || kind === 'HelmRelease');
  const revision = isSource ? artifactRevisionOf(obj) ?? '' : String(obj.status?.lastAppliedRevision ?? obj.status?.lastAttemptedRevision ?? '');
  const awaited = kind === KUSTOMIZATION ? artifactRevisionOf(source) : undefined;
  const ready = conditionOf(obj, 'Ready');
  const stalled = conditionOf(obj, 'Stalled');
  if (obj.status?.lastHandledReconcileAt !== request.token) {
    const early = awaited && failedAt(obj, awaited, request.since);
    // Said at once, but not the answer: the attempt that handles the request may still pass (a rollout that
    // needed a moment longer than the health check's timeout).
    if (early) return { verdict: 'waiting', reason: early.reason, message: `an attempt at this revision that began before the request failed: ${early.message}; waiting for the controller's answer to the request`, revision, earlyFailure: true };
    return { verdict: 'waiting', reason: 'Requested', message: 'waiting for the controller to handle the request', revision };
  }
  if (stalled?.status === 'True') return { verdict: 'failed', reason: stalled.reason ?? 'Stalled', message: stalled.message ?? '', revision };
  if (meetsReadyCheck(obj) && (!awaited || revision === awaited)) return { verdict: 'ready', reason: ready?.reason ?? 'Ready', message: ready?.message ?? '', revision };
  if (ready?.status === 'False' && ready.reason === 'DependencyNotReady' && !isSource) {
    const dep = dependencyHolding(obj, kind as FluxKind, lookup);
    if (dep.blocked) return { verdict: 'failed', reason: 'DependencyNotReady', message: `dependency ${dep.blocked.id} is blocked: ${dep.blocked.reason}: ${dep.blocked.message}`, revision };
    const message = dep.waiting
      ? `waiting for dependency ${dep.waiting.id} (${dep.waiting.reason}${dep.waiting.message ? `: ${dep.waiting.message}` : ''})`
      : `its dependencies are ready now; the controller checks again within ${dependencyRequeue}`;
    return { verdict: 'waiting', reason: 'DependencyNotReady', message, revision, ...(dep.waiting ? {} : { dependenciesReady: true as const }) };
  }
  if (ready?.status === 'False' && !progressing.has(ready.reason ?? '')) return { verdict: 'failed', reason: ready.reason ?? 'Failed', message: ready.message ?? '', revision };
  return { verdict: 'waiting', reason: ready?.reason ?? 'Progressing', message: ready?.message ?? 'reconciling', revision };
}

/** kustomize-controller's --requeue-dependency default: how soon it looks at a dependency again. */
const dependencyRequeue = '30s';

// Ready=False reasons that are not a verdict: the controller is still at it.
const progressing = new Set(['Progressing', 'ProgressingWithRetry', 'DependencyNotReady']);

/**
 * The object's failure at `revision`: its current spec's last attempt was at that revision and failed there
 * (since `since`, when given: an older failure is what the user asked to retry).
 */
function failedAt(obj: KubeObject, revision: string, since?: Date): { reason: string; message: string } | undefined {
  const ready = conditionOf(obj, 'Ready');
  if (ready?.status !== 'False' || !failures.has(ready.reason ?? '') || obj.status?.lastAttemptedRevision !== revision) return undefined;
  if ((obj.metadata?.generation ?? 0) !== obj.status?.observedGeneration) return undefined;
  // Conditions carry whole seconds: one stamped with the second the command started may be older than it.
  if (since && !(Date.parse(String(ready.lastTransitionTime ?? '')) >= Math.ceil(since.getTime() / 1000) * 1000)) return undefined;
  return { reason: ready.reason ?? '', message: ready.message ?? '' };
}

interface Holding {
  id: string;
  reason: string;
  message: string;
}

/**
 * What holds an object's dependency check: the first dependency that is blocked for good (Stalled, failed,
 * suspended and not ready, or blocked itself further up), else the first still on its way. Only dependencies
 * the watch holds are judged: one it cannot see is not claimed either way.
 */
export function dependencyHolding(obj: KubeObject, kind: FluxKind, lookup: Lookup, seen = new Set<string>()): { blocked?: Holding; waiting?: Holding } {
  const id = objectId(kind, obj.metadata?.namespace, obj.metadata?.name ?? '');
  seen.add(id);
  let waiting: Holding | undefined;
  for (const d of dependenciesOf(obj, kind, obj.metadata?.namespace ?? '')) {
    const depId = objectId(d.ref.kind, d.ref.namespace, d.ref.name);
    const dep = lookup(depId);
    // One the watch does not hold (another namespace or kind), or judged by a readyExpr we do not evaluate here:
    // not claimed ready, so never asked again on its account.
    if (!dep || d.readyExpr) {
      waiting ??= { id: depId, reason: 'Unknown', message: dep ? 'judged by its readyExpr' : 'not watched by this command' };
      continue;
    }
    if (meetsReadyCheck(dep)) {
      // The controller's revision check: a dependency from the same source must have applied its latest artifact.
      const sameSource = kind === KUSTOMIZATION && d.ref.kind === KUSTOMIZATION && sourceIdOf(dep) === sourceIdOf(obj);
      const latest = sameSource ? artifactRevisionOf(lookup(sourceIdOf(obj))) : undefined;
      const applied = String(dep.status?.lastAppliedRevision ?? '');
      if (!latest || applied === latest) continue;
      // It moves to the new revision only once its own dependencies let it.
      const further = upstream(dep, d.ref.kind, lookup, seen);
      if (further.blocked) return further;
      waiting ??= { id: depId, reason: 'RevisionNotUpToDate', message: `at ${shortRevision(applied || 'nothing')}, its source at ${shortRevision(latest)}` };
      continue;
    }
    const ready = conditionOf(dep, 'Ready');
    const stalled = conditionOf(dep, 'Stalled');
    if (stalled?.status === 'True') return { blocked: { id: depId, reason: stalled.reason ?? 'Stalled', message: stalled.message ?? '' } };
    if (dep.spec?.suspend === true) return { blocked: { id: depId, reason: 'Suspended', message: `suspended; resume it with ${resumeCommand(d.ref.kind, d.ref.name, d.ref.namespace)}` } };
    // A Kustomization failed at its source's current revision is blocked; at an older one it is about to try the
    // new one. helm-controller retries failed releases itself: only Stalled (above) is final there.
    const failure = d.ref.kind === KUSTOMIZATION ? failedAt(dep, artifactRevisionOf(lookup(sourceIdOf(dep))) ?? '') : undefined;
    if (failure) return { blocked: { id: depId, ...failure } };
    const further = upstream(dep, d.ref.kind, lookup, seen);
    if (further.blocked) return further;
    waiting ??= { id: depId, reason: ready?.reason ?? 'NotReconciled', message: ready?.message ?? '' };
  }
  return waiting ? { waiting } : {};
}

/** What holds a dependency's own dependencies, once per object (a cycle is not followed round). */
function upstream(dep: KubeObject, kind: string, lookup: Lookup, seen: Set<string>): { blocked?: Holding; waiting?: Holding } {
  const id = objectId(kind, dep.metadata?.namespace, dep.metadata?.name ?? '');
  if (seen.has(id) || (kind !== KUSTOMIZATION && kind !== 'HelmRelease')) return {};
  return dependencyHolding(dep, kind as FluxKind, lookup, seen);
}

/** The id of a Kustomization's spec.sourceRef (its namespace by default). */
function sourceIdOf(obj: KubeObject): string {
  const ref = (obj.spec?.sourceRef ?? {}) as { kind?: unknown; name?: unknown; namespace?: unknown };
  return objectId(String(ref.kind ?? ''), typeof ref.namespace === 'string' && ref.namespace ? ref.namespace : obj.metadata?.namespace, String(ref.name ?? ''));
}
