// timeline's reading of the controllers' records, on plain objects: when each object became Ready at its
// revision, how long it took and only waited, requeues, the critical path and the worst case.
import assert from 'node:assert/strict';
import { buildTimeline, goDuration } from '../../src/model/timeline.ts';
import { renderTimelineText } from '../../src/render/timeline-text.ts';
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
    assert.deepEqual(t.worstCase, { path: ['Kustomization/flux-system/infra', 'Kustomization/flux-system/apps'], timeoutMs: 300_000 + 570_000, requeuesMs: 30_000 });
  });

  it('takes the first success at the revision after its gate, not a later periodic reconcile', () => {
    const history = [{ digest: 'sha256:1', firstReconciled: '2026-11-22T10:00:05Z', lastReconciled: '2026-11-22T10:40:05Z', lastReconciledDuration: '1s', lastReconciledStatus: 'ReconciliationSucceeded', metadata: { revision: REV }, totalReconciliations: 5 }];
    const infra = readyAt(ks('infra'), '2026-11-22T10:40:05Z').set('status.history', history).build();
    const [entry] = buildTimeline([source, infra], { namespace: 'flux-system' }).entries;
    assert.equal(entry?.readyAt, '2026-11-22T10:00:05Z');
  });

  // production-namespace in examples/production.yaml: the new revision changed nothing it applies (history's digest
  // is a week old), and a 10m-interval reconcile moved its Ready transition and lastReconciled 10 minutes on.
  describe('an interval-driven reconcile of unchanged manifests is no dependency wait', () => {
    const history = [{ digest: 'sha256:1', firstReconciled: '2026-11-14T08:21:07Z', lastReconciled: '2026-11-22T10:10:01Z', lastReconciledDuration: '187ms', lastReconciledStatus: 'ReconciliationSucceeded', metadata: { revision: REV }, totalReconciliations: 1146 }];
    const namespace = () => readyAt(ks('namespace').set('spec.interval', '10m'), '2026-11-22T10:10:01Z').set('status.history', history);
    const apps = readyAt(ks('apps').dependsOn('namespace'), '2026-11-22T10:00:40Z').build();

    it('with its events, the first success after the gate is the rollout', () => {
      const t = buildTimeline([source, namespace().build(), apps, finished('namespace', '2026-11-22T10:00:01Z', '200ms'), finished('namespace', '2026-11-22T10:10:01Z', '187ms')], { namespace: 'flux-system' });
      const [ns, app] = t.entries;
      assert.deepEqual([ns?.readyAt, ns?.tookMs, ns?.waitedMs, ns?.periodicAt], ['2026-11-22T10:00:01Z', 200, 800, undefined]);
      assert.deepEqual([app?.gate, app?.gateAt], ['Kustomization/flux-system/namespace', '2026-11-22T10:00:01Z']);
    });

    it('without them, Ready by the periodic reconcile, its first Ready unknown, no wait counted, its dependents\' waits unknown', () => {
      const t = buildTimeline([source, namespace().build(), apps], { namespace: 'flux-system' });
      const [ns, app] = t.entries;
      assert.deepEqual([ns?.ready, ns?.periodicAt, ns?.readyAt, ns?.waitedMs, ns?.requeues], [true, '2026-11-22T10:10:01Z', undefined, undefined, undefined]);
      assert.deepEqual([app?.gate, app?.gateAt, app?.readyAt, app?.waitedMs], ['Kustomization/flux-system/namespace', undefined, '2026-11-22T10:00:40Z', undefined]);
      assert.match(renderTimelineText(t), /^Kustomization\/flux-system\/namespace: Ready at main@sha1:1818d77d by \+10m1s, a periodic reconcile of manifests it had applied before; when it first became Ready is not recorded/m);
    });

    it('without any gate, not a week-old firstReconciled of the same manifests', () => {
      const [ns] = buildTimeline([namespace().build()], { namespace: 'flux-system' }).entries;
      assert.deepEqual([ns?.gate, ns?.readyAt], [undefined, '2026-11-22T10:10:01Z']);
    });

    it('a success an interval after the gate with new manifests is the rollout (it failed before)', () => {
      const fresh = [{ ...history[0], firstReconciled: '2026-11-22T10:10:01Z', totalReconciliations: 1 }];
      const [ns] = buildTimeline([source, namespace().set('status.history', fresh).build()], { namespace: 'flux-system' }).entries;
      assert.deepEqual([ns?.readyAt, ns?.periodicAt], ['2026-11-22T10:10:01Z', undefined]);
    });
  });

  it('words the worst case as what Flux does: the leaf Ready that late, a failure holding its dependents, which wait', () => {
    const objects = [source, readyAt(ks('infra').set('spec.timeout', '5m'), '2026-11-22T10:00:20Z').build(), readyAt(ks('apps').dependsOn('infra').set('spec.timeout', '2m'), '2026-11-22T10:01:21Z').build()];
    const t = buildTimeline(objects, { namespace: 'flux-system' });
    assert.deepEqual(t.worstCase, { path: ['Kustomization/flux-system/infra', 'Kustomization/flux-system/apps'], timeoutMs: 420_000, requeuesMs: 30_000 });
    const text = renderTimelineText(t);
    assert.match(text, /^worst case: Kustomization\/flux-system\/apps Ready up to 7m after a change \(\+30s of dependency requeues\) when every level of Kustomization\/flux-system\/infra → Kustomization\/flux-system\/apps takes its whole timeout$/m);
    assert.match(text, /they wait \(DependencyNotReady, re-checked every 30s\) and never fail; a broken Kustomization\/flux-system\/infra reports its failure after its 5m timeout/);
    assert.doesNotMatch(text, /to fail/);
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
