// wait-for's verdict on one object at one moment: ready at the awaited revision, still waiting (and on what),
// or failed for good. Pure: the caller re-evaluates on every watch event.
import { artifactRevisionOf, KUSTOMIZATION, meetsReadyCheck, shortRevision, type FluxKind } from './flux.ts';
import { conditionOf, type KubeObject } from './objects.ts';
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
}

export interface WaitOptions {
  /** --revision: a full revision, a digest prefix (7+ hex), or an exact chart version; else the source's artifact. */
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

/**
 * reconcile's verdict: the controller has handled our request (`status.lastHandledReconcileAt` is our token), and
 * then Ready at the source's revision; a dependency not ready or any other failure ends the wait at once.
 */
export function reconciledState(obj: KubeObject | undefined, kind: string, source: KubeObject | undefined, token: string): WaitState {
  if (!obj) return { verdict: 'waiting', reason: 'NotFound', message: 'not found (deleted?)', revision: '' };
  const isSource = !(kind === KUSTOMIZATION || kind === 'HelmRelease');
  const revision = isSource ? artifactRevisionOf(obj) ?? '' : String(obj.status?.lastAppliedRevision ?? obj.status?.lastAttemptedRevision ?? '');
  if (obj.status?.lastHandledReconcileAt !== token) {
    return { verdict: 'waiting', reason: 'Requested', message: 'waiting for the controller to handle the request', revision };
  }
  const ready = conditionOf(obj, 'Ready');
  const stalled = conditionOf(obj, 'Stalled');
  if (stalled?.status === 'True') return { verdict: 'failed', reason: stalled.reason ?? 'Stalled', message: stalled.message ?? '', revision };
  const awaited = kind === KUSTOMIZATION ? artifactRevisionOf(source) : undefined;
  if (meetsReadyCheck(obj) && (!awaited || revision === awaited)) return { verdict: 'ready', reason: ready?.reason ?? 'Ready', message: ready?.message ?? '', revision };
  if (ready?.status === 'False') return { verdict: 'failed', reason: ready.reason ?? 'Failed', message: ready.message ?? '', revision };
  return { verdict: 'waiting', reason: ready?.reason ?? 'Progressing', message: ready?.message ?? 'reconciling', revision };
}
