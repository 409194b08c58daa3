// The seed's exercise 2 on the real control plane: a Deployment health-checked by infra gets an unpullable image,
// middleware and app wait; why-blocked app must name the Deployment, its pod and container, through middleware,
// and say "not blocked" once the chain recovers. The test plays kustomize-controller's part (status writes).
import assert from 'node:assert/strict';
import { run } from '../../src/cli.ts';
import { createAll } from '../support/apply.ts';
import { artifact, git, ks, type FluxBuilder } from '../support/fixtures.ts';
import { revisions } from '../support/flux-status.ts';
import { recordingIO } from '../support/io.ts';
import { clients, eventually, freshNamespace, gitRepositories, kustomizations, testenv, untilAllowed, writeStatus } from '../support/testenv.ts';

async function whyBlocked(args: string[], user: 'admin' | 'viewer' = 'admin') {
  const io = recordingIO({ env: { NO_COLOR: '1', KUBECONFIG: testenv().kubeconfig(user) }, now: () => new Date() });
  const code = await run(['why-blocked', ...args, '-o', 'json'], io);
  return { code, json: io.stdout ? JSON.parse(io.stdout) : undefined, stderr: io.stderr };
}

const at = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
const ready = (revision: string, inventory: Array<{ id: string; v: string }>) => ({
  observedGeneration: 1, lastAppliedRevision: revision, lastAttemptedRevision: revision, inventory: { entries: inventory },
  conditions: [{ type: 'Ready', status: 'True', reason: 'ReconciliationSucceeded', message: `Applied revision: ${revision}`, observedGeneration: 1, lastTransitionTime: at() }],
});

describe('why-blocked on the test cluster (exercise 2)', function () {
  this.timeout(120_000);
  let ns: string;
  let demo: string;
  const setImage = async (tag: string) => {
    const { apps } = clients();
    const d = await apps.readNamespacedDeployment({ namespace: demo, name: 'db' });
    (d.spec?.template.spec?.containers[0] as { image: string }).image = `postgres:${tag}`;
    await apps.replaceNamespacedDeployment({ namespace: demo, name: 'db', body: d });
  };
  const dbInventory = () => [{ id: `${demo}_db_apps_Deployment`, v: 'v1' }];

  before(async () => {
    ns = await freshNamespace('chain');
    demo = await freshNamespace('demo');
    await clients().apps.createNamespacedDeployment({
      namespace: demo,
      body: { metadata: { name: 'db' }, spec: { replicas: 2, selector: { matchLabels: { app: 'db' } }, template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image: 'postgres:16' }] } } } },
    });
    const source = (b: FluxBuilder) => b.source('GitRepository', 'fleet');
    await createAll([
      artifact(git('fleet').ns(ns), revisions.old).build(),
      source(ks('infra').ns(ns)).set('spec.wait', true).set('spec.timeout', '1m').build(),
      source(ks('middleware').ns(ns)).dependsOn('infra').build(),
      source(ks('app').ns(ns)).dependsOn('middleware').build(),
    ]);
    for (const name of ['infra', 'middleware', 'app']) await writeStatus(kustomizations, ns, name, ready(revisions.old, name === 'infra' ? dbInventory() : []));
  });

  it('is not blocked while the chain is Ready at the source’s revision', async () => {
    const r = await whyBlocked(['app', '-n', ns]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.json.blocked, false);
  });

  it('names the Deployment, its ImagePullBackOff pod and container, through middleware', async () => {
    await setImage('does-not-exist');
    await eventually('a pod in ImagePullBackOff', async () => {
      const pods = await clients().core.listNamespacedPod({ namespace: demo, labelSelector: 'app=db' });
      return pods.items.find((p) => p.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'ImagePullBackOff');
    });
    // kustomize-controller, one minute later: the new revision's health check timed out; the dependents wait.
    const source = await writeStatus(gitRepositories, ns, 'fleet', artifact(git('fleet'), revisions.new).build().status);
    assert.ok(source);
    const items = `[Deployment/${demo}/db status: 'InProgress']`;
    await writeStatus(kustomizations, ns, 'infra', {
      ...ready(revisions.old, dbInventory()),
      lastAttemptedRevision: revisions.new,
      conditions: [
        { type: 'Reconciling', status: 'True', reason: 'ProgressingWithRetry', message: `Running health checks for revision ${revisions.new} with a timeout of 1m0s`, observedGeneration: 1, lastTransitionTime: at() },
        { type: 'Ready', status: 'False', reason: 'HealthCheckFailed', message: `health check failed after 1m0.021654796s: timeout waiting for: ${items}`, observedGeneration: 1, lastTransitionTime: at() },
        { type: 'Healthy', status: 'False', reason: 'HealthCheckFailed', message: `timeout waiting for: ${items}`, observedGeneration: 1, lastTransitionTime: at() },
      ],
    });
    for (const [name, dep] of [['middleware', 'infra'], ['app', 'middleware']]) {
      await writeStatus(kustomizations, ns, name as string, {
        ...ready(revisions.old, []),
        conditions: [{ type: 'Ready', status: 'False', reason: 'DependencyNotReady', message: `dependency '${ns}/${dep}' is not ready`, observedGeneration: 1, lastTransitionTime: at() }],
      });
    }

    const r = await whyBlocked(['app', '-n', ns]);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.json.rootCauses.length, 1);
    const cause = r.json.rootCauses[0];
    assert.equal(cause.object, `Kustomization/${ns}/infra`);
    assert.equal(cause.reason, 'HealthCheckFailed');
    assert.deepEqual(cause.path, [`Kustomization/${ns}/app`, `Kustomization/${ns}/middleware`, `Kustomization/${ns}/infra`]);
    assert.equal(cause.source, 'live');
    assert.equal(cause.objects[0].id, `Deployment/${demo}/db`);
    assert.equal(cause.objects[0].status, 'InProgress');
    assert.match(cause.objects[0].details.join('\n'), /^pod db-\S+: container db: ImagePullBackOff: Back-off pulling image "postgres:does-not-exist"$/m);
    assert.match(cause.next[0], new RegExp(`^kubectl describe pod db-\\S+ -n ${demo}$`));
  });

  it('gives the viewer, who may read Flux objects but not pods, the same root cause from the controller’s message', async () => {
    const { rbac } = clients();
    await rbac.createNamespacedRole({ namespace: ns, body: { metadata: { name: 'flux-read' }, rules: [{ apiGroups: ['kustomize.toolkit.fluxcd.io', 'source.toolkit.fluxcd.io'], resources: ['*'], verbs: ['get', 'list'] }] } });
    await rbac.createNamespacedRoleBinding({ namespace: ns, body: { metadata: { name: 'flux-read' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'flux-read' }, subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'viewer' }] } });
    // In force once the API server's RBAC informers have the binding: a moment after the create returns.
    await untilAllowed('viewer', ns, kustomizations.group, kustomizations.plural);
    const r = await whyBlocked(['app', '-n', ns], 'viewer');
    assert.equal(r.code, 1, r.stderr);
    const cause = r.json.rootCauses[0];
    assert.deepEqual([cause.object, cause.reason, cause.source], [`Kustomization/${ns}/infra`, 'HealthCheckFailed', 'controller message']);
    assert.deepEqual(cause.objects.map((o: { id: string; status: string }) => [o.id, o.status]), [[`Deployment/${demo}/db`, 'InProgress']]);
    assert.deepEqual(cause.notes, [`could not read Deployments in ${demo} (forbidden): statuses are the controller's, details are not available`]);
    assert.match(r.stderr, new RegExp(`^⚠ forbidden to list deployments in namespace ${demo}`, 'm'));
  });

  it('says not blocked once the image is fixed and the chain has caught up', async () => {
    await setImage('16.4');
    await eventually('db to be available again', async () => {
      const d = await clients().apps.readNamespacedDeployment({ namespace: demo, name: 'db' });
      return d.status?.updatedReplicas === 2 && d.status?.availableReplicas === 2 && d.status?.observedGeneration === d.metadata?.generation ? d : undefined;
    });
    // Still blocked until the controller has looked again: infra has not applied the new revision yet.
    assert.equal((await whyBlocked(['app', '-n', ns])).code, 1);
    for (const name of ['infra', 'middleware', 'app']) await writeStatus(kustomizations, ns, name, ready(revisions.new, name === 'infra' ? dbInventory() : []));
    const r = await whyBlocked(['app', '-n', ns]);
    assert.equal(r.code, 0, JSON.stringify(r.json));
    assert.match(r.json.summary, /is Ready at main@sha1:1818d77d: not blocked$/);
  });

  it('names a dependsOn typo and a suspended upstream', async () => {
    await createAll([
      ks('typo').ns(ns).source('GitRepository', 'fleet').dependsOn('infrastucture').notReady('DependencyNotReady', `dependency '${ns}/infrastucture' not found: kustomizations.kustomize.toolkit.fluxcd.io "infrastucture" not found`).build(),
      ks('paused').ns(ns).source('GitRepository', 'fleet').suspended().notReady('HealthCheckFailed', 'health check failed after 1m0s: timeout waiting for: []').build(),
      ks('behind').ns(ns).source('GitRepository', 'fleet').dependsOn('paused').notReady('DependencyNotReady', `dependency '${ns}/paused' is not ready`).build(),
    ]);
    const typo = await whyBlocked(['typo', '-n', ns]);
    assert.deepEqual([typo.code, typo.json.rootCauses[0].object, typo.json.rootCauses[0].reason], [1, `Kustomization/${ns}/infrastucture`, 'NotFound']);
    const behind = await whyBlocked(['behind', '-n', ns]);
    assert.deepEqual([behind.code, behind.json.rootCauses[0].object, behind.json.rootCauses[0].reason], [1, `Kustomization/${ns}/paused`, 'Suspended']);
    assert.deepEqual(behind.json.rootCauses[0].next, [`flux resume kustomization paused -n ${ns}`]);
  });

  it('exits 3 for a REF that does not exist', async () => {
    const r = await whyBlocked(['nope', '-n', ns]);
    assert.equal(r.code, 3);
    assert.equal(r.stderr, `✗ Kustomization ${ns}/nope not found\n`);
  });
});
