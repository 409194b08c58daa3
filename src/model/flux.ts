// Flux's own objects as flux-deps sees them: kinds, typed dependsOn edges, and the fields of their status.
// Semantics follow kustomize-controller and helm-controller (FLUX.md in the shared folder).
import { conditionOf, type KubeObject } from './objects.ts';
import { parseDuration } from './time.ts';

export const KUSTOMIZATION = 'Kustomization';
export const HELMRELEASE = 'HelmRelease';
export type FluxKind = typeof KUSTOMIZATION | typeof HELMRELEASE;

export const fluxApis: Record<FluxKind, { group: string; version: string; plural: string }> = {
  Kustomization: { group: 'kustomize.toolkit.fluxcd.io', version: 'v1', plural: 'kustomizations' },
  HelmRelease: { group: 'helm.toolkit.fluxcd.io', version: 'v2', plural: 'helmreleases' },
};

/** The Flux kind of an object, if it is a Kustomization or HelmRelease of any API version. */
export function fluxKindOf(obj: KubeObject): FluxKind | undefined {
  const apiVersion = obj.apiVersion ?? '';
  if (obj.kind === KUSTOMIZATION && apiVersion.startsWith(`${fluxApis.Kustomization.group}/`)) return KUSTOMIZATION;
  if (obj.kind === HELMRELEASE && apiVersion.startsWith(`${fluxApis.HelmRelease.group}/`)) return HELMRELEASE;
  return undefined;
}

/** A typed reference to an object: what dependsOn entries and sourceRefs point at. */
export interface Ref {
  kind: string;
  namespace: string;
  name: string;
  apiVersion?: string;
}

export interface Dependency {
  ref: Ref;
  readyExpr?: string;
  /** The entry named a kind explicitly (Flux's proposed cross-kind dependencies). */
  explicitKind: boolean;
}

/**
 * The dependsOn entries of a Flux object as typed edges. As the controllers do, a missing namespace is the
 * dependent's own and a missing kind is the dependent's own kind (a HelmRelease depends on HelmReleases).
 */
export function dependenciesOf(obj: KubeObject, kind: FluxKind, namespace: string): Dependency[] {
  const entries: unknown = obj.spec?.dependsOn;
  if (!Array.isArray(entries)) return [];
  const deps: Dependency[] = [];
  for (const e of entries) {
    if (typeof e !== 'object' || e === null || typeof e.name !== 'string' || !e.name) continue;
    const explicitKind = typeof e.kind === 'string' && e.kind !== '';
    deps.push({
      ref: {
        kind: explicitKind ? e.kind : kind,
        namespace: typeof e.namespace === 'string' && e.namespace ? e.namespace : namespace,
        name: e.name,
        ...(typeof e.apiVersion === 'string' ? { apiVersion: e.apiVersion } : {}),
      },
      ...(typeof e.readyExpr === 'string' ? { readyExpr: e.readyExpr } : {}),
      explicitKind,
    });
  }
  return deps;
}

/** The source a Kustomization or HelmRelease reads (for a HelmRelease: its chart's source, or its chartRef). */
export function sourceRefOf(obj: KubeObject, kind: FluxKind, namespace: string): Ref | undefined {
  const ref = kind === KUSTOMIZATION ? obj.spec?.sourceRef : (obj.spec?.chartRef ?? obj.spec?.chart?.spec?.sourceRef);
  if (typeof ref?.kind !== 'string' || typeof ref?.name !== 'string') return undefined;
  return { kind: ref.kind, name: ref.name, namespace: typeof ref.namespace === 'string' && ref.namespace ? ref.namespace : namespace };
}

export type ReadyStatus = 'True' | 'False' | 'Unknown';

export interface Readiness {
  ready: ReadyStatus;
  reason: string;
  message: string;
  /** When the Ready condition last changed, if known. */
  since?: string;
}

/** The object's Ready condition; no status (a manifest from Git) or no condition yet reads as Unknown. */
export function readinessOf(obj: KubeObject): Readiness {
  const ready = conditionOf(obj, 'Ready');
  if (!ready) {
    const reconciled = typeof obj.status?.observedGeneration === 'number' && obj.status.observedGeneration >= 0;
    return { ready: 'Unknown', reason: reconciled ? 'Unknown' : 'NotReconciled', message: reconciled ? 'no Ready condition' : 'not reconciled yet' };
  }
  const status: ReadyStatus = ready.status === 'True' || ready.status === 'False' ? ready.status : 'Unknown';
  return {
    ready: status,
    reason: ready.reason ?? '',
    message: ready.message ?? '',
    ...(ready.lastTransitionTime ? { since: ready.lastTransitionTime } : {}),
  };
}

/** The revision an object last applied: a Kustomization's lastAppliedRevision, a HelmRelease's chart version. */
export function revisionOf(obj: KubeObject, kind: FluxKind): string {
  const s = obj.status ?? {};
  if (kind === KUSTOMIZATION) return typeof s.lastAppliedRevision === 'string' ? s.lastAppliedRevision : '';
  const latest = Array.isArray(s.history) ? s.history[0] : undefined;
  if (typeof latest?.chartVersion === 'string') return latest.chartVersion;
  return typeof s.lastAttemptedRevision === 'string' ? s.lastAttemptedRevision : '';
}

/**
 * The revision the object is to roll out: a Kustomization's source artifact (what kustomize-controller fetches
 * next; its lastAttemptedRevision only moves once its dependencies let it try), else its lastAttemptedRevision.
 * A HelmRelease's lastAttemptedRevision: its source's artifact is a repository index (or, by chartRef, a version
 * with a digest), never the chart version its history records.
 */
export function attemptedRevisionOf(obj: KubeObject, kind: FluxKind, source: KubeObject | undefined): string | undefined {
  const attempted = typeof obj.status?.lastAttemptedRevision === 'string' && obj.status.lastAttemptedRevision ? obj.status.lastAttemptedRevision : undefined;
  return kind === KUSTOMIZATION ? (artifactRevisionOf(source) ?? attempted) : attempted;
}

export function isSuspended(obj: KubeObject): boolean {
  return obj.spec?.suspend === true;
}

/** A revision as `flux get` prints it: `main@sha1:6e23072f` (digest cut to 8 characters). */
export function shortRevision(revision: string): string {
  const m = /^(.*?)(sha1|sha256):([0-9a-f]+)$/.exec(revision);
  return m ? `${m[1]}${m[2]}:${(m[3] ?? '').slice(0, 8)}` : revision;
}

/** A Kustomization's spec.healthChecks as refs (apiVersion defaults to apps/v1, namespace to the Kustomization's). */
export function healthChecksOf(obj: KubeObject, namespace: string): Array<Ref & { apiVersion: string }> {
  const checks: unknown = obj.spec?.healthChecks;
  if (!Array.isArray(checks)) return [];
  return checks
    .filter((c) => typeof c?.kind === 'string' && typeof c?.name === 'string')
    .map((c) => ({
      apiVersion: typeof c.apiVersion === 'string' && c.apiVersion ? c.apiVersion : 'apps/v1',
      kind: c.kind,
      name: c.name,
      namespace: typeof c.namespace === 'string' && c.namespace ? c.namespace : namespace,
    }));
}

/** The source objects a Flux object reads through, with their API versions (a HelmRelease's HelmChart too). */
export function sourceObjectsOf(obj: KubeObject, kind: FluxKind, namespace: string): Array<Ref & { apiVersion: string }> {
  const source = sourceRefOf(obj, kind, namespace);
  const refs: Array<Ref & { apiVersion: string }> = [];
  // Every source kind (GitRepository, OCIRepository, Bucket, HelmRepository, HelmChart, ExternalArtifact) is v1.
  if (source) refs.push({ ...source, apiVersion: 'source.toolkit.fluxcd.io/v1' });
  const chart = kind === HELMRELEASE && typeof obj.status?.helmChart === 'string' ? obj.status.helmChart.split('/') : undefined;
  if (chart?.length === 2) refs.push({ kind: 'HelmChart', namespace: chart[0], name: chart[1], apiVersion: 'source.toolkit.fluxcd.io/v1' });
  return refs;
}

/**
 * kustomize-controller's built-in dependency check: the dependency has conditions, has observed its current
 * generation, and is Ready=True. Suspension does not matter: a suspended Ready dependency counts as ready.
 */
export function meetsReadyCheck(dep: KubeObject): boolean {
  const conditions: unknown = dep.status?.conditions;
  if (!Array.isArray(conditions) || conditions.length === 0) return false;
  if ((dep.metadata?.generation ?? 0) !== dep.status?.observedGeneration) return false;
  return conditionOf(dep, 'Ready')?.status === 'True';
}

/** The revision of a source's current artifact, if it has one. */
export function artifactRevisionOf(source: KubeObject | undefined): string | undefined {
  const revision = source?.status?.artifact?.revision;
  return typeof revision === 'string' && revision ? revision : undefined;
}

/** kustomize-controller's GetTimeout: spec.timeout, else interval minus 30 s; at least 30 s either way. */
export function kustomizationTimeout(obj: KubeObject): number | undefined {
  const interval = parseDuration(obj.spec?.interval);
  const timeout = parseDuration(obj.spec?.timeout) ?? (interval === undefined ? undefined : interval - 30_000);
  return timeout === undefined ? undefined : Math.max(30_000, timeout);
}

/** helm-controller's: the running action's own timeout (spec.install.timeout, ...), else spec.timeout, else 5m. */
export function helmTimeout(obj: KubeObject, reconciling: string): number {
  const action = /Running '(install|upgrade|test|rollback|uninstall)' action/.exec(reconciling)?.[1];
  return (action ? parseDuration(obj.spec?.[action]?.timeout) : undefined) ?? parseDuration(obj.spec?.timeout) ?? 300_000;
}

/** `flux resume helmrelease|kustomization NAME -n NAMESPACE`: what resumes a suspended Kustomization or HelmRelease. */
export function resumeCommand(kind: string, name: string, namespace: string): string {
  return `flux resume ${kind === HELMRELEASE ? 'helmrelease' : 'kustomization'} ${name} -n ${namespace}`;
}

/** The flux CLI's name for each source kind: `flux get sources git`, `flux resume source oci`. */
export const fluxSourceCommands: Record<string, string> = { GitRepository: 'git', OCIRepository: 'oci', Bucket: 'bucket', HelmRepository: 'helm', HelmChart: 'chart' };
