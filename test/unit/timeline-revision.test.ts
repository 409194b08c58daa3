// timeline's revision column through a failing and recovering rollout, on the objects the real kustomize- and
// source-controller wrote (shared/observed: seed exercise 2, infra's Deployment given an unpullable image, app
// depending on infra): the revision each object is rolling out, marked when it has not applied it, beside the one it
// last applied; nothing marked once the fix is applied.
import assert from 'node:assert/strict';
import { buildTimeline, type TimelineEntry } from '../../src/model/timeline.ts';
import { renderTimelineText } from '../../src/render/timeline-text.ts';
import type { KubeObject } from '../../src/model/objects.ts';

const old = 'main@sha1:6e23072f91245f47eb6c49fab6093566dd28063e';
const broken = 'main@sha1:1818d77d2d502ad9547bcc732a2b2c39d7e5eba5';
const fixed = 'main@sha1:e4dc47a4f97b4e12b8125505b9ce42c334188c1b';

const meta = (name: string) => ({ finalizers: ['finalizers.fluxcd.io'], generation: 1, name, namespace: 'flux-system' });
const sourceRef = { kind: 'GitRepository', name: 'fleet' };
const infra = (status: object): KubeObject => ({
  apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: meta('infra'),
  spec: { force: false, interval: '1m', path: './infra', prune: true, sourceRef, timeout: '1m', wait: true }, status,
});
const app = (status: object): KubeObject => ({
  apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: meta('app'),
  spec: { dependsOn: [{ name: 'infra' }], force: false, interval: '1m', path: './app', prune: true, sourceRef }, status,
});
const condition = (type: string, status: string, reason: string, message: string, lastTransitionTime: string) => ({ lastTransitionTime, message, observedGeneration: 1, reason, status, type });
const history = (digest: string, at: string, took: string, status: string, revision: string, total = 1) => ({
  digest, firstReconciled: at, lastReconciled: at, lastReconciledDuration: took, lastReconciledStatus: status, metadata: { revision }, totalReconciliations: total,
});
const infraInventory = { entries: [{ id: '_demo__Namespace', v: 'v1' }, { id: 'demo_db_apps_Deployment', v: 'v1' }] };
const appInventory = { entries: [{ id: 'demo_app-config__ConfigMap', v: 'v1' }] };
const infraApplied = history('sha256:db1b442f812a6eb27d2489d2b667c43c1d27f67bf1814fcea6a28aebd259d9b9', '2026-11-22T03:39:23Z', '5.351623363s', 'ReconciliationSucceeded', old);
const appApplied = history('sha256:37eace4f2d25a4d90d99c446aed46a38fb0672d6aeafd3cd7449fa7cc7792f6e', '2026-11-22T03:39:48Z', '165.913443ms', 'ReconciliationSucceeded', old);
const running = `Running health checks for revision ${broken} with a timeout of 1m0s`;
const timedOut = "timeout waiting for: [Deployment/demo/db status: 'InProgress']";

// source-controller's GitRepository once it stored the artifact of `revision`.
const fleet = (revision: string, at: string): KubeObject => ({
  apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', metadata: meta('fleet'),
  spec: { interval: '1m', ref: { branch: 'main' }, timeout: '60s', url: 'http://127.0.0.1/fleet.git' },
  status: {
    artifact: { digest: 'sha256:d9b7e747658254b98f2c49e7d9768ed856d0846f34ec8b2fa1ee3c22e9fb3b0d', lastUpdateTime: at, path: `gitrepository/flux-system/fleet/${revision.slice(-40)}.tar.gz`, revision, size: 46168, url: `http://source-controller.flux-system.svc.cluster.local./gitrepository/flux-system/fleet/${revision.slice(-40)}.tar.gz` },
    conditions: [condition('Ready', 'True', 'Succeeded', `stored artifact for revision '${revision}'`, at), condition('ArtifactInStorage', 'True', 'Succeeded', `stored artifact for revision '${revision}'`, at)],
    observedGeneration: 1,
  },
});

// observed/2-health-check-running.yaml: infra tries the broken commit; app's check ran while infra was still Ready.
const phase2 = [
  infra({
    conditions: [condition('Reconciling', 'True', 'Progressing', running, '2026-11-22T03:40:19Z'), condition('Ready', 'Unknown', 'Progressing', 'Reconciliation in progress', '2026-11-22T03:40:18Z'), condition('Healthy', 'Unknown', 'Progressing', running, '2026-11-22T03:40:19Z')],
    history: [infraApplied], inventory: infraInventory, lastAppliedRevision: old, lastAttemptedRevision: broken, observedGeneration: 1,
  }),
  app({
    conditions: [condition('Ready', 'False', 'DependencyNotReady', "dependency 'flux-system/infra' revision is not up to date", '2026-11-22T03:40:18Z')],
    history: [appApplied], inventory: appInventory, lastAppliedRevision: old, lastAttemptedRevision: old, observedGeneration: 1,
  }),
];
// observed/3-health-check-failed.yaml: infra's health check timed out (and is retried); app waits on it.
const phase3 = [
  infra({
    conditions: [condition('Reconciling', 'True', 'ProgressingWithRetry', running, '2026-11-22T03:42:19Z'), condition('Ready', 'False', 'HealthCheckFailed', `health check failed after 1m0.021654796s: ${timedOut}`, '2026-11-22T03:42:19Z'), condition('Healthy', 'False', 'HealthCheckFailed', timedOut, '2026-11-22T03:42:19Z')],
    history: [{ ...history('sha256:b254f82cd7fed86950617cce520cf74dc984f133bbdf880c33a27f200d69f839', '2026-11-22T03:41:19Z', '1m0.200462049s', 'HealthCheckFailed', broken, 2), lastReconciled: '2026-11-22T03:42:19Z' }, infraApplied],
    inventory: infraInventory, lastAppliedRevision: old, lastAttemptedRevision: broken, lastHandledReconcileAt: '2026-11-22T03:40:18Z', observedGeneration: 1,
  }),
  app({
    conditions: [condition('Ready', 'False', 'DependencyNotReady', "dependency 'flux-system/infra' is not ready", '2026-11-22T03:40:48Z')],
    history: [appApplied], inventory: appInventory, lastAppliedRevision: old, lastAttemptedRevision: old, observedGeneration: 1,
  }),
];
// observed/4-recovered.yaml: the fix applied by both.
const phase4 = [
  infra({
    conditions: [condition('Ready', 'True', 'ReconciliationSucceeded', `Applied revision: ${fixed}`, '2026-11-22T03:42:48Z'), condition('Healthy', 'True', 'Succeeded', 'Health check passed in 36.984452ms', '2026-11-22T03:42:48Z')],
    history: [
      { ...infraApplied, lastReconciled: '2026-11-22T03:42:48Z', lastReconciledDuration: '259.074712ms', metadata: { revision: fixed }, totalReconciliations: 3 },
      { ...history('sha256:b254f82cd7fed86950617cce520cf74dc984f133bbdf880c33a27f200d69f839', '2026-11-22T03:41:19Z', '1m0.200462049s', 'HealthCheckFailed', broken, 2), lastReconciled: '2026-11-22T03:42:19Z' },
    ],
    inventory: infraInventory, lastAppliedRevision: fixed, lastAttemptedRevision: fixed, lastHandledReconcileAt: '2026-11-22T03:42:43Z', observedGeneration: 1,
  }),
  app({
    conditions: [condition('Ready', 'True', 'ReconciliationSucceeded', `Applied revision: ${fixed}`, '2026-11-22T03:43:13Z')],
    history: [{ ...appApplied, lastReconciled: '2026-11-22T03:43:13Z', lastReconciledDuration: '133.413409ms', metadata: { revision: fixed }, totalReconciliations: 2 }],
    inventory: appInventory, lastAppliedRevision: fixed, lastAttemptedRevision: fixed, observedGeneration: 1,
  }),
];

const revisions = (objects: KubeObject[]) => buildTimeline(objects, { namespace: 'flux-system' }).entries.map((e: TimelineEntry) => [e.id.split('/')[2], e.revision, e.attemptedRevision, e.ready]);

describe('timeline: the revision a rollout is about', () => {
  it('while infra runs its health checks: the broken commit for both, not applied, beside what they last applied', () => {
    assert.deepEqual(revisions([fleet(broken, '2026-11-22T03:40:18Z'), ...phase2]), [['infra', old, broken, false], ['app', old, broken, false]]);
  });

  it("after the health check failed: app's lastAttemptedRevision never moved (it did not get to try), its source says what it waits to apply", () => {
    const objects = [fleet(broken, '2026-11-22T03:40:18Z'), ...phase3];
    assert.deepEqual(revisions(objects), [['infra', old, broken, false], ['app', old, broken, false]]);
    const text = renderTimelineText(buildTimeline(objects, { namespace: 'flux-system' }));
    assert.match(text, /^0 +Kustomization\/flux-system\/infra +main@sha1:1818d77d \(not applied\) +- +not ready /m);
    assert.match(text, /^1 +Kustomization\/flux-system\/app +main@sha1:1818d77d \(not applied\) +- +not ready /m);
    assert.match(text, /^not applied yet: main@sha1:1818d77d by Kustomization\/flux-system\/infra, Kustomization\/flux-system\/app \(last applied: main@sha1:6e23072f\)$/m);
  });

  it('without the source (kubectl get ks alone): what infra last attempted; app has nothing that says, and is shown as it is', () => {
    assert.deepEqual(revisions(phase3), [['infra', old, broken, false], ['app', old, undefined, false]]);
    assert.match(renderTimelineText(buildTimeline(phase3, { namespace: 'flux-system' })), /^1 +Kustomization\/flux-system\/app +main@sha1:6e23072f +- +not ready /m);
  });

  it('once recovered: the fix applied, nothing marked', () => {
    const objects = [fleet(fixed, '2026-11-22T03:42:43Z'), ...phase4];
    assert.deepEqual(revisions(objects), [['infra', fixed, undefined, true], ['app', fixed, undefined, true]]);
    assert.doesNotMatch(renderTimelineText(buildTimeline(objects, { namespace: 'flux-system' })), /not applied/);
  });

  it('a first install that fails has nothing applied before', () => {
    const [first] = phase3;
    const { lastAppliedRevision: _, history: __, ...status } = (first as KubeObject).status;
    const objects = [fleet(broken, '2026-11-22T03:40:18Z'), { ...(first as KubeObject), status }];
    assert.deepEqual(revisions(objects), [['infra', '', broken, false]]);
    assert.match(renderTimelineText(buildTimeline(objects, { namespace: 'flux-system' })), /^not applied yet: main@sha1:1818d77d by Kustomization\/flux-system\/infra \(nothing applied before\)$/m);
  });

  // helm-controller after an upgrade it rolled back (test/golden/why-blocked/helmrelease-rolled-back.yaml): the
  // release in place is the old chart, the one tried the new; its HelmRepository's artifact is an index, not a chart.
  it('a HelmRelease rolled back: the chart version it tried, not its repository index', () => {
    const repository: KubeObject = { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'HelmRepository', metadata: meta('podinfo'), spec: { interval: '10m', url: 'https://stefanprodan.github.io/podinfo' }, status: { artifact: { revision: 'sha256:5b1c6f0e', lastUpdateTime: '2026-11-22T08:30:00Z' }, conditions: [condition('Ready', 'True', 'Succeeded', 'stored artifact: revision \'sha256:5b1c6f0e\'', '2026-11-22T08:30:00Z')], observedGeneration: 1 } };
    const release: KubeObject = {
      apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: meta('podinfo'),
      spec: { interval: '10m', chart: { spec: { chart: 'podinfo', version: '6.7.2', sourceRef: { kind: 'HelmRepository', name: 'podinfo' } } } },
      status: {
        observedGeneration: 2, lastAttemptedRevision: '6.7.2', upgradeFailures: 3,
        history: [{ chartName: 'podinfo', chartVersion: '6.7.1', name: 'podinfo', namespace: 'podinfo', status: 'deployed', version: 8 }, { chartName: 'podinfo', chartVersion: '6.7.2', name: 'podinfo', namespace: 'podinfo', status: 'failed', version: 7 }],
        conditions: [condition('Ready', 'False', 'RollbackSucceeded', 'Helm rollback to previous release podinfo/podinfo.v6 with chart podinfo@6.7.1 succeeded', '2026-11-22T08:40:00Z')],
      },
    };
    assert.deepEqual(revisions([repository, release]), [['podinfo', '6.7.1', '6.7.2', false]]);
  });
});
