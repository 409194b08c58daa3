// Statuses exactly as the Flux controllers write them (FLUX.md in the shared folder, observed/ for the
// Kustomization shapes), so tests play the controllers' part with their fields and message strings.

export const revisions = {
  old: 'main@sha1:6e23072f91245f47eb6c49fab6093566dd28063e',
  new: 'main@sha1:1818d77d2d502ad9547bcc732a2b2c39d7e5eba5',
};

const condition = (type: string, status: string, reason: string, message: string, at: string) => ({
  type,
  status,
  reason,
  message,
  observedGeneration: 1,
  lastTransitionTime: at,
});

/** Now, as a condition's lastTransitionTime (whole seconds, as metav1.Time is written). */
export const conditionTime = (): string => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

/** kustomize-controller once it has applied `revision` (and its health checks passed). */
export function kustomizationReadyAt(revision: string, at = conditionTime()) {
  return {
    observedGeneration: 1,
    lastAppliedRevision: revision,
    lastAttemptedRevision: revision,
    conditions: [condition('Ready', 'True', 'ReconciliationSucceeded', `Applied revision: ${revision}`, at)],
  };
}

/** kustomize-controller after a health check timed out (observed/3-health-check-failed.yaml, infra). */
export function kustomizationHealthCheckFailed(at = '2026-11-22T03:42:19Z') {
  const items = "[Deployment/demo/db status: 'InProgress']";
  return {
    observedGeneration: 1,
    conditions: [
      condition('Reconciling', 'True', 'ProgressingWithRetry', `Running health checks for revision ${revisions.new} with a timeout of 1m0s`, at),
      condition('Ready', 'False', 'HealthCheckFailed', `health check failed after 1m0.021654796s: timeout waiting for: ${items}`, at),
      condition('Healthy', 'False', 'HealthCheckFailed', `timeout waiting for: ${items}`, at),
    ],
    inventory: { entries: [{ id: '_demo__Namespace', v: 'v1' }, { id: 'demo_db_apps_Deployment', v: 'v1' }] },
    lastAppliedRevision: revisions.old,
    lastAttemptedRevision: revisions.new,
    lastHandledReconcileAt: '2026-11-22T03:40:18Z',
  };
}

/** kustomize-controller for a dependent whose dependency is not ready (observed/3, app). */
export function kustomizationDependencyNotReady(dependency: string, at = '2026-11-22T03:40:48Z') {
  return {
    observedGeneration: 1,
    conditions: [condition('Ready', 'False', 'DependencyNotReady', `dependency '${dependency}' is not ready`, at)],
    inventory: { entries: [{ id: 'demo_app-config__ConfigMap', v: 'v1' }] },
    lastAppliedRevision: revisions.old,
    lastAttemptedRevision: revisions.old,
  };
}

/** helm-controller v1.6 after a successful install. */
export function helmReleaseInstalled(namespace: string, name: string, at = '2026-11-22T03:39:30Z') {
  const chart = `${namespace}-${name}`;
  return {
    observedGeneration: 1,
    conditions: [
      condition('Ready', 'True', 'InstallSucceeded', `Helm install succeeded for release ${namespace}/${name}.v1 with chart podinfo@6.5.4`, at),
      condition('Released', 'True', 'InstallSucceeded', `Helm install succeeded for release ${namespace}/${name}.v1 with chart podinfo@6.5.4`, at),
    ],
    helmChart: `${namespace}/${chart}`,
    history: [
      {
        appVersion: '6.5.4',
        chartName: 'podinfo',
        chartVersion: '6.5.4',
        configDigest: 'sha256:e15c415d62760896bd8bec192a44c5716dc224db9e0fc609b9ac14718f8f9e56',
        digest: 'sha256:e59aeb8b854f42e44756c2ef552a073051f1fc4f90e68aacbae7f824139580bc',
        firstDeployed: at,
        lastDeployed: at,
        name,
        namespace,
        status: 'deployed',
        version: 1,
      },
    ],
    lastAttemptedConfigDigest: 'sha256:e15c415d62760896bd8bec192a44c5716dc224db9e0fc609b9ac14718f8f9e56',
    lastAttemptedGeneration: 1,
    lastAttemptedReleaseAction: 'install',
    lastAttemptedRevision: '6.5.4',
    storageNamespace: namespace,
  };
}
