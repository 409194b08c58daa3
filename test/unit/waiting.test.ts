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
  const request = { token, since: new Date(token) };
  it('waits until the controller has handled this request', () => {
    assert.equal(reconciledState(ks('infra').ready().build(), 'Kustomization', source, request).reason, 'Requested');
  });
  it('is ready once handled and Ready at the source’s revision', () => {
    assert.equal(reconciledState(ks('infra').ready().set('status.lastHandledReconcileAt', token).build(), 'Kustomization', source, request).verdict, 'ready');
  });

  // app's request answered with DependencyNotReady: judged by what its dependency infra is doing.
  const app = ks('app').dependsOn('infra').notReady('DependencyNotReady', "dependency 'flux-system/infra' is not ready").set('status.lastHandledReconcileAt', token).build();
  const judge = (infra: ReturnType<typeof ks>, src = source) => {
    const objects = new Map([infra.build(), src].map((o) => [`${o.kind}/${o.metadata?.namespace}/${o.metadata?.name}`, o]));
    const s = reconciledState(app, 'Kustomization', src, request, (id) => objects.get(id));
    return [s.verdict, s.reason, s.message, s.dependenciesReady ?? false];
  };
  const dependencyCases: Array<[string, ReturnType<typeof ks>, Array<string | boolean>]> = [
    ['re-applying the new revision: a wait, and says on what', ks('infra').progressing(),
      ['waiting', 'DependencyNotReady', 'waiting for dependency Kustomization/flux-system/infra (Progressing: Reconciliation in progress)', false]],
    ['failed its health check at the source’s revision: blocked', ks('infra').notReady('HealthCheckFailed', 'health check failed after 30s: timeout waiting for: [Deployment/demo/web status: \'InProgress\']'),
      ['failed', 'DependencyNotReady', "dependency Kustomization/flux-system/infra is blocked: HealthCheckFailed: health check failed after 30s: timeout waiting for: [Deployment/demo/web status: 'InProgress']", false]],
    ['failed at an older revision, about to try the new one: a wait', ks('infra').notReady('HealthCheckFailed', 'health check failed').set('status.lastAttemptedRevision', OLD),
      ['waiting', 'DependencyNotReady', 'waiting for dependency Kustomization/flux-system/infra (HealthCheckFailed: health check failed)', false]],
    ['Ready at the source’s revision: the controller just has not looked again', ks('infra').ready(),
      ['waiting', 'DependencyNotReady', 'its dependencies are ready now; the controller checks again within 30s', true]],
    ['Ready at an older revision of the same source: the controller’s revision check', ks('infra').ready().set('status.lastAppliedRevision', OLD),
      ['waiting', 'DependencyNotReady', 'waiting for dependency Kustomization/flux-system/infra (RevisionNotUpToDate: at main@sha1:6e23072f, its source at main@sha1:1818d77d)', false]],
    ['Stalled: blocked', ks('infra').notReady('ReconciliationFailed', 'x').condition2('Stalled', 'True', 'InvalidCELExpression', 'bad expr'),
      ['failed', 'DependencyNotReady', 'dependency Kustomization/flux-system/infra is blocked: InvalidCELExpression: bad expr', false]],
    ['suspended and not Ready: blocked', ks('infra').progressing().suspended(),
      ['failed', 'DependencyNotReady', 'dependency Kustomization/flux-system/infra is blocked: Suspended: suspended; resume it with flux resume kustomization infra -n flux-system', false]],
  ];
  for (const [what, infra, expected] of dependencyCases) it(`a dependency ${what}`, () => assert.deepEqual(judge(infra), expected));

  it('a dependency the watch does not hold, or one judged by a readyExpr, is never claimed ready', () => {
    const unseen = reconciledState(app, 'Kustomization', source, request, () => undefined);
    assert.deepEqual([unseen.verdict, unseen.message], ['waiting', 'waiting for dependency Kustomization/flux-system/infra (Unknown: not watched by this command)']);
    const withExpr = ks('app').dependsOn({ name: 'infra', readyExpr: 'true' }).notReady('DependencyNotReady', 'x').set('status.lastHandledReconcileAt', token).build();
    const infra = ks('infra').ready().build();
    const s = reconciledState(withExpr, 'Kustomization', source, request, (id) => (id === 'Kustomization/flux-system/infra' ? infra : undefined));
    assert.equal(s.message, 'waiting for dependency Kustomization/flux-system/infra (Unknown: judged by its readyExpr)');
  });

  it('a dependency blocked further up blocks too', () => {
    const infra = ks('infra').dependsOn('crds').notReady('DependencyNotReady', "dependency 'flux-system/crds' is not ready").build();
    const crds = ks('crds').notReady('BuildFailed', 'kustomize build failed').build();
    const objects = new Map([infra, crds, source].map((o) => [`${o.kind}/${o.metadata?.namespace}/${o.metadata?.name}`, o]));
    assert.equal(reconciledState(app, 'Kustomization', source, request, (id) => objects.get(id)).message, 'dependency Kustomization/flux-system/crds is blocked: BuildFailed: kustomize build failed');
  });

  it('a dependency Ready at an older revision whose own dependency is blocked is blocked too: it cannot move', () => {
    const infra = ks('infra').dependsOn('crds').ready().set('status.lastAppliedRevision', OLD).build();
    const crds = ks('crds').notReady('HealthCheckFailed', 'health check failed').build();
    const objects = new Map([infra, crds, source].map((o) => [`${o.kind}/${o.metadata?.namespace}/${o.metadata?.name}`, o]));
    assert.equal(reconciledState(app, 'Kustomization', source, request, (id) => objects.get(id)).message, 'dependency Kustomization/flux-system/crds is blocked: HealthCheckFailed: health check failed');
  });

  it('says at once that an attempt at the awaited revision which began before the request failed, and waits for the answer', () => {
    const failed = (at: string) => ks('infra').notReady('HealthCheckFailed', 'health check failed after 1m0s: timeout waiting for: [...]').set('status.conditions.0.lastTransitionTime', at).build();
    const early = reconciledState(failed('2026-11-22T10:15:40Z'), 'Kustomization', source, request);
    assert.deepEqual([early.verdict, early.reason, early.earlyFailure], ['waiting', 'HealthCheckFailed', true]);
    assert.equal(early.message, "an attempt at this revision that began before the request failed: health check failed after 1m0s: timeout waiting for: [...]; waiting for the controller's answer to the request");
    // A failure from before the command is what the user asked to retry: wait for the answer to the request.
    assert.equal(reconciledState(failed('2026-11-22T10:00:00Z'), 'Kustomization', source, request).reason, 'Requested');
    // Stamped with the second the command started (10:15:00.123): it may be older than the command.
    assert.equal(reconciledState(failed('2026-11-22T10:15:00Z'), 'Kustomization', source, request).reason, 'Requested');
  });

  it('judges a source by its artifact', () => {
    const fetched = artifact(git('fleet')).set('status.lastHandledReconcileAt', token).build();
    assert.deepEqual([reconciledState(fetched, 'GitRepository', undefined, request).verdict, reconciledState(fetched, 'GitRepository', undefined, request).revision], ['ready', REV]);
  });
});
