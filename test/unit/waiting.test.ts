// wait-for's and reconcile's verdicts on one object, on statuses as the controllers write them.
import assert from 'node:assert/strict';
import { reconciledState, waitState } from '../../src/model/waiting.ts';
import { artifact, git, ks, REV } from '../support/fixtures.ts';

const OLD = 'main@sha1:6e23072f91245f47eb6c49fab6093566dd28063e';
const source = artifact(git('flux-system')).build();

describe('wait-for verdicts', () => {
  const opts = { failFast: false };
  it('is ready only at the source’s current revision, not with a stale Ready=True', () => {
    const stale = ks('infra').ready().set('status.lastAppliedRevision', OLD).build();
    assert.deepEqual([waitState(stale, 'Kustomization', source, opts).verdict, waitState(stale, 'Kustomization', source, opts).reason], ['waiting', 'RevisionNotApplied']);
    assert.equal(waitState(ks('infra').ready().build(), 'Kustomization', source, opts).verdict, 'ready');
  });

  it('waits for an explicit --revision even when the source says otherwise', () => {
    assert.equal(waitState(ks('infra').ready().build(), 'Kustomization', source, { failFast: false, revision: '6e23072f' }).verdict, 'waiting');
  });

  it('is not ready while the controller has not observed the current generation', () => {
    const old = ks('infra').ready().set('metadata.generation', 2).build();
    assert.equal(waitState(old, 'Kustomization', source, opts).verdict, 'waiting');
  });

  it('fails on Stalled, always; on a failure at the awaited revision only with --fail-fast', () => {
    const stalled = ks('infra').notReady('ReconciliationFailed', 'x').condition2('Stalled', 'True', 'InvalidCELExpression', 'bad expr').build();
    assert.equal(waitState(stalled, 'Kustomization', source, opts).verdict, 'failed');
    const failed = ks('infra').notReady('HealthCheckFailed', 'timeout waiting for: [...]').set('status.lastAttemptedRevision', REV).build();
    assert.equal(waitState(failed, 'Kustomization', source, opts).verdict, 'waiting');
    assert.equal(waitState(failed, 'Kustomization', source, { failFast: true }).verdict, 'failed');
    const earlier = ks('infra').notReady('HealthCheckFailed', 'x').set('status.lastAttemptedRevision', OLD).build();
    assert.equal(waitState(earlier, 'Kustomization', source, { failFast: true }).verdict, 'waiting', 'a failure of an older revision is not the awaited one');
    const waitingOnDep = ks('apps').notReady('DependencyNotReady', "dependency 'flux-system/infra' is not ready").build();
    assert.equal(waitState(waitingOnDep, 'Kustomization', source, { failFast: true }).verdict, 'waiting');
  });

  it('with --fail-fast, fails when the source fails', () => {
    const broken = artifact(git('flux-system')).notReady('GitOperationFailed', 'authentication required').build();
    const s = waitState(ks('infra').progressing().build(), 'Kustomization', broken, { failFast: true });
    assert.deepEqual([s.verdict, s.reason], ['failed', 'SourceNotReady']);
  });
});

describe('reconcile verdicts', () => {
  const token = '2026-11-22T10:15:00.123Z';
  it('waits until the controller has handled this request', () => {
    assert.equal(reconciledState(ks('infra').ready().build(), 'Kustomization', source, token).reason, 'Requested');
  });
  it('is ready once handled and Ready at the source’s revision; a dependency not ready fails at once', () => {
    assert.equal(reconciledState(ks('infra').ready().set('status.lastHandledReconcileAt', token).build(), 'Kustomization', source, token).verdict, 'ready');
    const dep = ks('app').notReady('DependencyNotReady', "dependency 'flux-system/infra' is not ready").set('status.lastHandledReconcileAt', token).build();
    assert.deepEqual([reconciledState(dep, 'Kustomization', source, token).verdict, reconciledState(dep, 'Kustomization', source, token).reason], ['failed', 'DependencyNotReady']);
  });
  it('judges a source by its artifact', () => {
    const fetched = artifact(git('fleet')).set('status.lastHandledReconcileAt', token).build();
    assert.deepEqual([reconciledState(fetched, 'GitRepository', undefined, token).verdict, reconciledState(fetched, 'GitRepository', undefined, token).revision], ['ready', REV]);
  });
});
