// The seed's exercises 2 and 3 on the real source- and kustomize-controller (testenv's flux profile).
// 2: infra -> middleware -> app, each health-checking a Deployment on the kwok nodes; a commit breaks infra's
//    image; why-blocked follows app through middleware to infra's Deployment; tree --watch shows the chain stop
//    and, once the fix is pushed and reconciled, recover in order.
// 3: postBuild.substituteFrom a ConfigMap that does not exist; why-blocked names it and how to fix it; created,
//    the chain recovers.
import assert from 'node:assert/strict';
import type { KubeObject } from '../../src/model/objects.ts';
import { createAll } from '../support/apply.ts';
import { readyOf } from '../support/conditions.ts';
import { controllerLabel, controllerLog, ownedGitRepository, ownedKustomization, requestReconcile } from '../support/flux-controllers.ts';
import { deploymentManifest, gitRevision, startGitServer, type GitServer } from '../support/git-server.ts';
import { start, waitForOutput } from '../support/process.ts';
import { clients, eventually, freshNamespace, getFlux, kustomizations } from '../support/testenv.ts';

// Substituted by kustomize-controller from the ConfigMap cluster-vars (exercise 3).
const substituted = (ns: string) => `apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: ${ns}}
data: {region: "\${region}"}
`;
const plain = (ns: string, name: string) => `apiVersion: v1
kind: ConfigMap
metadata: {name: ${name}, namespace: ${ns}}
data: {a: b}
`;

describe('the seed’s exercises 2 and 3 on the real kustomize- and source-controller (flux profile)', function () {
  this.timeout(300_000);
  let ns: string;
  let git: GitServer;
  const files = (infraImage: string) => ({
    'infra/deploy.yaml': deploymentManifest(ns, 'infra', infraImage),
    'middleware/deploy.yaml': deploymentManifest(ns, 'middleware', 'nginx:1.27'),
    'app/deploy.yaml': deploymentManifest(ns, 'app', 'nginx:1.27'),
    'vars/settings.yaml': substituted(ns),
    'web/cm.yaml': plain(ns, 'web'),
  });
  const logs = async () => `\n--- kustomize-controller:\n${await controllerLog('kustomize-controller')}`;
  const ks = (name: string, extra: Record<string, unknown>) => ownedKustomization(ns, name, {
    interval: '10m', timeout: '30s', prune: true, path: `./${name}`, sourceRef: { kind: 'GitRepository', name: 'fleet' }, ...extra,
  });

  /** Commits `tree` to `repo`, has source-controller fetch it, and waits for the controller's own verdict before
   * asking flux-deps: Kustomization `failing` failed its health check at that commit. */
  const pushBroken = async (namespace: string, repo: string, tree: Record<string, string>, message: string, failing: string) => {
    const bad = await git.commit(repo, tree, { message });
    await requestReconcile('gitrepository', namespace, repo);
    await eventually(`${failing} HealthCheckFailed at the broken commit`, async () => {
      const obj = (await getFlux(kustomizations, namespace, failing)) as KubeObject;
      return readyOf(obj)?.reason === 'HealthCheckFailed' && obj.status?.lastAttemptedRevision === gitRevision(bad) ? true : undefined;
    }, 90_000);
  };

  before(async () => {
    controllerLabel();
    ns = await freshNamespace('real-ex');
    git = await startGitServer();
    const url = await git.createRepository('fleet');
    await git.commit('fleet', files('nginx:1.27'), { message: 'the chain, all healthy' });
    await createAll([
      ownedGitRepository(ns, 'fleet', url),
      ks('infra', { wait: true }),
      ks('middleware', { wait: true, dependsOn: [{ name: 'infra' }] }),
      ks('app', { wait: true, dependsOn: [{ name: 'middleware' }] }),
    ]);
    const up = await start(['reconcile', 'app', '-n', ns, '--with-source', '--with-upstream', '--timeout', '90s']).done;
    assert.equal(up.code, 0, up.stderr + (await logs()));
  });

  after(async () => {
    await git?.close();
  });

  it('exercise 2: a broken infra stops the chain; why-blocked names its Deployment through middleware; the fix recovers it in order', async () => {
    const watch = start(['tree', '--watch', '-n', ns]);
    await waitForOutput(watch, /Kustomization\/\S+\/app/, 'stdout');
    await pushBroken(ns, 'fleet', files('nginx:does-not-exist'), 'infra on an image that cannot be pulled', 'infra');

    const why = await start(['why-blocked', 'app', '-n', ns]).done;
    assert.equal(why.code, 1, why.stdout + why.stderr);
    assert.match(why.stdout, new RegExp(`^1\\. Kustomization/${ns}/infra {2}HealthCheckFailed\\n {3}via: Kustomization/${ns}/app → Kustomization/${ns}/middleware → Kustomization/${ns}/infra\\n`, 'm'));
    assert.match(why.stdout, new RegExp(`Deployment/${ns}/infra {2}InProgress[^\\n]*\\n\\s+pod infra-\\S+: container infra: ImagePullBackOff`));
    assert.doesNotMatch(why.stdout, /2\. /, 'one root cause: middleware and app only wait on it');

    const fixed = await git.commit('fleet', files('nginx:1.28'), { message: 'a pullable image again' });
    const r = await start(['reconcile', 'app', '-n', ns, '--with-source', '--with-upstream', '--timeout', '90s']).done;
    assert.equal(r.code, 0, r.stderr + (await logs()));
    assert.match(r.stderr, new RegExp(`✔ Kustomization/${ns}/app applied ${gitRevision(fixed).slice(0, 18)}`));
    assert.equal(((await getFlux(kustomizations, ns, 'app')) as KubeObject).status?.lastAppliedRevision, gitRevision(fixed));

    // tree --watch saw it all: infra fail and its dependents held at the broken commit, then the three Ready at
    // the fix, upstream first. A line names the revision short (main@sha1: and 8 hex, 18 characters): fewer would
    // also match the first commit's lines now and then (3 hex: one run in 4096).
    const short = gitRevision(fixed).slice(0, 18);
    await waitForOutput(watch, new RegExp(`✔ Kustomization/${ns}/app at ${short}`), 'stdout');
    watch.kill('SIGINT');
    const w = await watch.done;
    assert.equal(w.code, 130, w.stderr);
    const lines = w.stdout.trimEnd().split('\n').map((l) => l.slice(9));
    const at = (pattern: RegExp) => lines.findIndex((l) => pattern.test(l));
    const failed = at(new RegExp(`^✗ Kustomization/${ns}/infra: HealthCheckFailed: health check failed after \\S+: timeout waiting for: \\[Deployment/${ns}/infra status: 'InProgress'\\]`));
    assert.ok(failed >= 0, lines.join('\n'));
    for (const held of ['middleware', 'app']) {
      assert.ok(at(new RegExp(`^[◎✗] Kustomization/${ns}/${held}: DependencyNotReady: dependency '${ns}/\\w+' (is not ready|revision is not up to date)`)) >= 0, `${held} never shown held:\n${lines.join('\n')}`);
    }
    const recovered = ['infra', 'middleware', 'app'].map((name) => at(new RegExp(`^✔ Kustomization/${ns}/${name} at ${short}`)));
    assert.ok(recovered.every((i) => i > failed), lines.join('\n'));
    assert.deepEqual([...recovered].sort((a, b) => a - b), recovered, `not recovered in order:\n${lines.join('\n')}`);
  });

  it('the seed’s multi-tier example: brought up in order; redis broken, why-blocked names it, not postgres, through every level', async () => {
    const tiers = await freshNamespace('real-tiers');
    const url = await git.createRepository('tiers');
    const tierFiles = (redis: string) => ({
      'namespace/quota.yaml': plain(tiers, 'namespace-defaults'),
      'infrastructure/postgres.yaml': deploymentManifest(tiers, 'postgres', 'postgres:17'),
      'infrastructure/redis.yaml': deploymentManifest(tiers, 'redis', redis),
      'config/settings.yaml': plain(tiers, 'settings'),
      'backend/deploy.yaml': deploymentManifest(tiers, 'backend', 'nginx:1.27'),
      'frontend/deploy.yaml': deploymentManifest(tiers, 'frontend', 'nginx:1.27'),
    });
    await git.commit('tiers', tierFiles('redis:7'), { message: 'the production tiers' });
    const level = (name: string, path: string, after: string | undefined, extra: Record<string, unknown> = { wait: true }) => ownedKustomization(tiers, name, {
      interval: '10m', timeout: '30s', prune: true, path: `./${path}`, sourceRef: { kind: 'GitRepository', name: 'tiers' }, ...(after ? { dependsOn: [{ name: after }] } : {}), ...extra,
    });
    const checks = ['postgres', 'redis'].map((name) => ({ kind: 'Deployment', name, namespace: tiers }));
    await createAll([
      ownedGitRepository(tiers, 'tiers', url),
      level('production-namespace', 'namespace', undefined),
      level('production-infrastructure', 'infrastructure', 'production-namespace', { healthChecks: checks }),
      level('production-config', 'config', 'production-infrastructure'),
      level('production-backend', 'backend', 'production-config'),
      level('production-frontend', 'frontend', 'production-backend'),
    ]);
    const up = await start(['reconcile', 'production-frontend', '-n', tiers, '--with-source', '--with-upstream', '--timeout', '120s']).done;
    assert.equal(up.code, 0, up.stderr + (await logs()));
    const applied = up.stderr.split('\n').filter((l) => l.startsWith('✔ Kustomization/')).map((l) => l.split(' ')[1]);
    assert.deepEqual(applied, ['namespace', 'infrastructure', 'config', 'backend', 'frontend'].map((n) => `Kustomization/${tiers}/production-${n}`), up.stderr);

    await pushBroken(tiers, 'tiers', tierFiles('redis:does-not-exist'), 'redis on an image that cannot be pulled', 'production-infrastructure');
    const why = await start(['why-blocked', 'production-frontend', '-n', tiers]).done;
    assert.equal(why.code, 1, why.stdout + why.stderr);
    const via = ['frontend', 'backend', 'config', 'infrastructure'].map((n) => `Kustomization/${tiers}/production-${n}`).join(' → ');
    assert.match(why.stdout, new RegExp(`^1\\. Kustomization/${tiers}/production-infrastructure {2}HealthCheckFailed\\n {3}via: ${via}\\n`, 'm'));
    assert.match(why.stdout, new RegExp(`Deployment/${tiers}/redis {2}InProgress[^\\n]*\\n\\s+pod redis-\\S+: container redis: ImagePullBackOff`));
    assert.doesNotMatch(why.stdout, /Deployment\/\S+\/postgres/, 'postgres is healthy: not named');
    assert.doesNotMatch(why.stdout, /2\. /);
    const tree = await start(['tree', '-n', tiers]).done;
    assert.match(tree.stdout, /✗ Kustomization\/production-infrastructure ◀ root cause +False/, tree.stdout);
  });

  it('exercise 3: substituteFrom a missing ConfigMap: why-blocked names it and how to fix it; created, the chain recovers', async () => {
    await createAll([
      ks('vars', { postBuild: { substituteFrom: [{ kind: 'ConfigMap', name: 'cluster-vars' }] } }),
      ks('web', { dependsOn: [{ name: 'vars' }] }),
    ]);
    const message = await eventually('vars BuildFailed', async () => {
      const ready = readyOf((await getFlux(kustomizations, ns, 'vars')) as KubeObject);
      return ready?.reason === 'BuildFailed' ? ready.message : undefined;
    });
    // And the dependent's own verdict, before flux-deps is asked about it (its first attempt is as quick as vars').
    await eventually('web DependencyNotReady', async () => (readyOf((await getFlux(kustomizations, ns, 'web')) as KubeObject)?.reason === 'DependencyNotReady' ? true : undefined));
    // What kustomize-controller v1.9.6 writes (fluxcd/pkg/kustomize LoadVariables, wrapped by its post build).
    assert.equal(message, `post build failed for 'ConfigMap.v1.[noGrp]/settings': substitute from 'ConfigMap/cluster-vars' error: configmaps "cluster-vars" not found`);

    const why = await start(['why-blocked', 'web', '-n', ns]).done;
    assert.equal(why.code, 1, why.stdout + why.stderr);
    assert.match(why.stdout, new RegExp(`^1\\. Kustomization/${ns}/vars {2}ReconciliationFailed\\n {3}via: Kustomization/${ns}/web → Kustomization/${ns}/vars\\n`, 'm'));
    assert.match(why.stdout, new RegExp(`✗ ConfigMap/${ns}/cluster-vars {2}NotFound`));
    assert.match(why.stdout, /create it, or mark its substituteFrom entry optional: true/);
    assert.match(why.stdout, new RegExp(`kubectl create configmap cluster-vars -n ${ns}`));

    await clients().core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'cluster-vars' }, data: { region: 'eu-west-1' } } });
    const r = await start(['reconcile', 'web', '-n', ns, '--with-upstream', '--timeout', '60s']).done;
    assert.equal(r.code, 0, r.stderr + (await logs()));
    const settings = await clients().core.readNamespacedConfigMap({ namespace: ns, name: 'settings' });
    assert.equal(settings.data?.region, 'eu-west-1');
  });
});
