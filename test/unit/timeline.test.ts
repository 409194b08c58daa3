// timeline's reading of the controllers' records, on plain objects: when each object became Ready at its
// revision, how long it took and only waited, requeues, the critical path and the worst case.
import assert from 'node:assert/strict';
import { buildTimeline, goDuration } from '../../src/model/timeline.ts';
import { artifact, git, ks, REV } from '../support/fixtures.ts';

const source = artifact(git('flux-system')).set('status.artifact.lastUpdateTime', '2026-11-22T10:00:00Z').build();
const readyAt = (b: ReturnType<typeof ks>, at: string) => b.ready().set('status.conditions.0.lastTransitionTime', at);
const finished = (name: string, at: string, took: string) => ({
  apiVersion: 'v1', kind: 'Event', metadata: { name: `${name}.${at}`, namespace: 'flux-system' }, reason: 'ReconciliationSucceeded',
  involvedObject: { kind: 'Kustomization', name, namespace: 'flux-system' }, message: `Reconciliation finished in ${took}, next run in 10m0s`, lastTimestamp: at,
});

describe('timeline', () => {
  it('reads Go durations as the controllers print them', () => {
    assert.deepEqual(['5.371589553s', '1m0.2s', '133.4ms', '2h', 'soon'].map(goDuration), [5371.589553, 60200, 133.4, 7_200_000, undefined]);
  });

  it('tells reconciling from waiting on a dependency, and counts the 30 s requeues', () => {
    const objects = [
      source,
      readyAt(ks('infra').set('spec.timeout', '5m'), '2026-11-22T10:00:20Z').build(),
      readyAt(ks('apps').dependsOn('infra'), '2026-11-22T10:01:21Z').build(),
      finished('infra', '2026-11-22T10:00:20Z', '20s'), finished('apps', '2026-11-22T10:01:21Z', '1s'),
    ];
    const t = buildTimeline(objects, { namespace: 'flux-system' });
    const [infra, apps] = t.entries;
    assert.deepEqual([infra?.id, infra?.tookMs, infra?.waitedMs, infra?.requeues, infra?.gate], ['Kustomization/flux-system/infra', 20_000, 0, 0, 'GitRepository/flux-system/flux-system']);
    assert.deepEqual([apps?.tookMs, apps?.waitedMs, apps?.requeues, apps?.gate], [1_000, 60_000, 2, 'Kustomization/flux-system/infra']);
    assert.deepEqual(t.criticalPath, ['GitRepository/flux-system/flux-system', 'Kustomization/flux-system/infra', 'Kustomization/flux-system/apps']);
    assert.equal(t.totalMs, 81_000);
    // infra's 5m, apps' interval of 10m less 30 s
    assert.deepEqual(t.worstCase, { path: ['Kustomization/flux-system/infra', 'Kustomization/flux-system/apps'], timeoutMs: 300_000 + 570_000 });
  });

  it('takes the first success at the revision after its gate, not a later periodic reconcile', () => {
    const history = [{ digest: 'sha256:1', firstReconciled: '2026-11-22T10:00:05Z', lastReconciled: '2026-11-22T10:40:05Z', lastReconciledDuration: '1s', lastReconciledStatus: 'ReconciliationSucceeded', metadata: { revision: REV }, totalReconciliations: 5 }];
    const infra = readyAt(ks('infra'), '2026-11-22T10:40:05Z').set('status.history', history).build();
    const [entry] = buildTimeline([source, infra], { namespace: 'flux-system' }).entries;
    assert.equal(entry?.readyAt, '2026-11-22T10:00:05Z');
  });

  it('shows what is not Ready as such, and follows no cycle round', () => {
    const objects = [source, ks('a').dependsOn('b').notReady('DependencyNotReady', 'x').build(), ks('b').dependsOn('a').notReady('DependencyNotReady', 'x').build(), ks('c').progressing().build()];
    const t = buildTimeline(objects, { namespace: 'flux-system' });
    assert.deepEqual(t.entries.map((e) => [e.id, e.ready]), [['Kustomization/flux-system/c', false]]);
    assert.deepEqual(t.criticalPath, []);
  });

  it('with a REF, only it and its upstream', () => {
    const objects = [source, readyAt(ks('infra'), '2026-11-22T10:00:20Z').build(), readyAt(ks('apps').dependsOn('infra'), '2026-11-22T10:00:50Z').build(), readyAt(ks('other'), '2026-11-22T10:00:20Z').build()];
    assert.deepEqual(buildTimeline(objects, { namespace: 'flux-system', ref: 'Kustomization/flux-system/apps' }).entries.map((e) => e.id), ['Kustomization/flux-system/infra', 'Kustomization/flux-system/apps']);
  });
});
