// reconcile against the real API server with the stand-in controller: the seed's exercise 2. A broken infra
// stops middleware and app; reconcile app explains that at once instead of waiting out its timeout; once fixed,
// --with-source --with-upstream rolls the chain in dependency order to the new revision. Only annotations are
// written.
import assert from 'node:assert/strict';
import { createAll } from '../support/apply.ts';
import { hr, ks } from '../support/fixtures.ts';
import { revisions } from '../support/flux-status.ts';
import { start } from '../support/process.ts';
import { StandInReconciler } from '../support/reconciler.ts';
import { auditEvents, clients, eventually, freshNamespace, getFlux, helmReleases } from '../support/testenv.ts';

describe('reconcile on the test cluster (exercise 2)', function () {
  this.timeout(120_000);
  let ns: string;
  let controller: StandInReconciler;

  const setImage = async (image: string) => {
    const { apps } = clients();
    const d = await apps.readNamespacedDeployment({ namespace: ns, name: 'db' });
    (d.spec?.template.spec?.containers[0] as { image: string }).image = image;
    await apps.replaceNamespacedDeployment({ namespace: ns, name: 'db', body: d });
    await eventually('the rollout to settle or stall', async () => {
      const pods = (await clients().core.listNamespacedPod({ namespace: ns, labelSelector: 'app=db' })).items;
      return pods.some((p) => p.spec?.containers[0]?.image === image && p.status?.conditions?.length) ? pods : undefined;
    });
  };

  before(async () => {
    ns = await freshNamespace('reconcile');
    controller = new StandInReconciler(ns, revisions.old);
    await controller.start();
    await clients().apps.createNamespacedDeployment({
      namespace: ns,
      body: { metadata: { name: 'db' }, spec: { replicas: 1, selector: { matchLabels: { app: 'db' } }, template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image: 'postgres:16' }] } } } },
    });
    await eventually('db available', async () => ((await clients().apps.readNamespacedDeployment({ namespace: ns, name: 'db' })).status?.availableReplicas === 1 ? true : undefined));
    const fleet = { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', metadata: { name: 'fleet', namespace: ns }, spec: { interval: '1m', url: 'https://example.com/fleet' } };
    await createAll([
      fleet,
      ks('infra').ns(ns).source('GitRepository', 'fleet').set('spec.healthChecks', [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'db' }]).build(),
      ks('middleware').ns(ns).source('GitRepository', 'fleet').dependsOn('infra').build(),
      ks('app').ns(ns).source('GitRepository', 'fleet').dependsOn('middleware').build(),
    ]);
  });

  after(() => controller.stop());

  it('rolls a fresh chain in order with --with-source --with-upstream and exits 0 at the revision', async () => {
    const r = await start(['reconcile', 'app', '-n', ns, '--with-source', '--with-upstream', '--timeout', '30s']).done;
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(controller.handled, ['GitRepository/fleet', 'Kustomization/infra', 'Kustomization/middleware', 'Kustomization/app']);
    assert.match(r.stderr, new RegExp(`✔ Kustomization/${ns}/app applied main@sha1:6e23072f\\n$`));
  });

  it('explains at once when the chain is broken upstream, not after its timeout', async () => {
    await setImage('postgres:does-not-exist');
    controller.revision = revisions.new;
    controller.handled.length = 0;
    const r = await start(['reconcile', 'app', '-n', ns, '--with-source', '--with-upstream', '--timeout', '60s']).done;
    assert.equal(r.code, 1, r.stderr);
    assert.ok(r.ms < 20_000, `took ${r.ms} ms`);
    assert.deepEqual(controller.handled, ['GitRepository/fleet', 'Kustomization/infra']);
    assert.match(r.stderr, new RegExp(`✗ Kustomization/${ns}/infra: HealthCheckFailed: health check failed after 1.0s: timeout waiting for: \\[Deployment/${ns}/db status: 'InProgress'\\]`));
    assert.match(r.stderr, new RegExp(`1\\. Kustomization/${ns}/infra  HealthCheckFailed[\\s\\S]*pod db-\\S+: container db: ImagePullBackOff`));
  });

  it('without --with-upstream, says at once that a dependency is not ready, and why', async () => {
    const r = await start(['reconcile', 'app', '-n', ns, '--timeout', '60s']).done;
    assert.equal(r.code, 1, r.stderr);
    assert.ok(r.ms < 20_000, `took ${r.ms} ms`);
    // middleware still at the old revision cannot move while infra fails: app is blocked, and by what.
    assert.match(r.stderr, new RegExp(`✗ Kustomization/${ns}/app: DependencyNotReady: dependency Kustomization/${ns}/infra is blocked: HealthCheckFailed: health check failed after`));
    assert.match(r.stderr, new RegExp(`via: Kustomization/${ns}/app → Kustomization/${ns}/middleware → Kustomization/${ns}/infra`));
  });

  it('after the fix, rolls infra, middleware and app in order to the new revision', async () => {
    await setImage('postgres:16.4');
    await eventually('db available again', async () => {
      const s = (await clients().apps.readNamespacedDeployment({ namespace: ns, name: 'db' })).status;
      return s?.availableReplicas === 1 && s.updatedReplicas === 1 && !s.unavailableReplicas ? true : undefined;
    });
    controller.handled.length = 0;
    const r = await start(['reconcile', 'app', '-n', ns, '--with-source', '--with-upstream', '--as', 'reconciler', '--as-group', 'system:masters']).done;
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(controller.handled, ['GitRepository/fleet', 'Kustomization/infra', 'Kustomization/middleware', 'Kustomization/app']);
    assert.match(r.stderr, new RegExp(`✔ Kustomization/${ns}/app applied main@sha1:1818d77d\\n$`));
    // It wrote annotations (merge patches on the objects themselves) and nothing else.
    const writes = auditEvents().filter((e) => (e as { impersonatedUser?: { username: string } }).impersonatedUser?.username === 'reconciler' && e.objectRef?.namespace === ns && !['get', 'list', 'watch'].includes(e.verb));
    assert.deepEqual(writes.map((w) => `${w.verb} ${w.objectRef?.resource}/${w.objectRef?.name}${w.objectRef?.subresource ? '/' + w.objectRef.subresource : ''}`), [
      'patch gitrepositories/fleet', 'patch kustomizations/infra', 'patch kustomizations/middleware', 'patch kustomizations/app',
    ]);
  });

  it('--reset goes only to the HelmRelease named, not to the releases upstream of it', async () => {
    await createAll([hr('base').ns(ns).build(), hr('top').ns(ns).dependsOn('base').build()]);
    const r = await start(['reconcile', 'hr/top', '-n', ns, '--with-upstream', '--reset', '--no-wait']).done;
    assert.equal(r.code, 0, r.stderr);
    const [base, top] = await Promise.all(['base', 'top'].map((name) => getFlux(helmReleases, ns, name)));
    const annotations = (o: typeof top) => (o?.metadata as { annotations?: Record<string, string> }).annotations ?? {};
    assert.ok(annotations(base)['reconcile.fluxcd.io/requestedAt'], 'base was asked to reconcile');
    assert.equal(annotations(base)['reconcile.fluxcd.io/resetAt'], undefined, 'and not reset');
    // Both unset would also be equal: top must carry a reset, and the same token as its request.
    assert.ok(annotations(top)['reconcile.fluxcd.io/resetAt'], 'top was reset');
    assert.equal(annotations(top)['reconcile.fluxcd.io/resetAt'], annotations(top)['reconcile.fluxcd.io/requestedAt']);
  });

  it('refuses a suspended object, with the command to resume it', async () => {
    await createAll([ks('paused').ns(ns).source('GitRepository', 'fleet').suspended().build()]);
    const r = await start(['reconcile', 'paused', '-n', ns]).done;
    assert.equal(r.code, 1);
    assert.equal(r.stderr, `✗ Kustomization/${ns}/paused is suspended; resume it with: flux resume kustomization paused -n ${ns}\n`);
  });
});
