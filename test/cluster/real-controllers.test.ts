// flux-deps against the real source-controller and kustomize-controller (testenv's flux profile), the seed's
// exercise 1 end to end: a Git repository on test/support/git-server.ts, a Kustomization health-checking a
// Deployment on the kwok nodes, a commit with an unpullable image, then the fix. Then a drift guard: the
// messages the controller wrote in that run have the shapes our stand-in statuses (flux-status.ts) and the
// model's parsers assume.
import assert from 'node:assert/strict';
import { parseHealthMessage } from '../../src/model/health-checks.ts';
import type { KubeObject } from '../../src/model/objects.ts';
import { createAll } from '../support/apply.ts';
import { readyOf, type Condition } from '../support/conditions.ts';
import { controllerLabel, controllerLog, messageShape, ownedGitRepository, ownedKustomization, requestReconcile } from '../support/flux-controllers.ts';
import { kustomizationDependencyNotReady, kustomizationHealthCheckFailed } from '../support/flux-status.ts';
import { gitRevision, startGitServer, type GitServer } from '../support/git-server.ts';
import { start, waitForOutput } from '../support/process.ts';
import { freshNamespace, getFlux, kustomizations } from '../support/testenv.ts';

const deployment = (ns: string, image: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: ${ns}}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: "${image}"}]
`;
const configMap = (ns: string) => `apiVersion: v1
kind: ConfigMap
metadata: {name: app-config, namespace: ${ns}}
data: {greeting: hello}
`;

describe('on the real kustomize- and source-controller (flux profile)', function () {
  this.timeout(240_000);
  let ns: string;
  let git: GitServer;
  // Every distinct condition the controller wrote on the two Kustomizations, in order seen: the drift guard reads them.
  const seen = new Map<string, Condition & { object: string }>();
  let polling: NodeJS.Timeout | undefined;
  const files = (image: string) => ({ 'web/deployment.yaml': deployment(ns, image), 'app/configmap.yaml': configMap(ns) });

  before(async () => {
    controllerLabel();
    ns = await freshNamespace('real');
    git = await startGitServer();
  });

  after(async () => {
    clearInterval(polling);
    await git?.close();
  });

  it('exercise 1: wait-for fails fast on an unpullable image, names Deployment, pod and container; the fix is awaited by revision', async () => {
    const url = await git.createRepository('fleet');
    const good = await git.commit('fleet', files('nginx:1.27'), { message: 'web on nginx 1.27' });
    await createAll([
      ownedGitRepository(ns, 'fleet', url), // fetched when asked: requestReconcile
      ownedKustomization(ns, 'web', { interval: '1m', timeout: '30s', wait: true, prune: true, path: './web', sourceRef: { kind: 'GitRepository', name: 'fleet' } }),
      ownedKustomization(ns, 'app', { interval: '1m', timeout: '30s', prune: true, path: './app', dependsOn: [{ name: 'web' }], sourceRef: { kind: 'GitRepository', name: 'fleet' } }),
    ]);
    polling = setInterval(() => void record(), 250);

    const first = await start(['wait-for', 'web', '-n', ns, '--revision', gitRevision(good), '--fail-fast', '--timeout', '90s']).done;
    assert.equal(first.code, 0, `${first.stderr}\n--- source-controller:\n${await controllerLog('source-controller')}\n--- kustomize-controller:\n${await controllerLog('kustomize-controller')}`);

    // The broken commit. wait-for starts while web is still Ready=True at the good commit: that must not satisfy it.
    const bad = await git.commit('fleet', files('nginx:does-not-exist'), { message: 'an image that cannot be pulled' });
    const failing = start(['wait-for', 'ks/web', '-n', ns, '--revision', gitRevision(bad), '--fail-fast', '--timeout', '150s']);
    await waitForOutput(failing, /◎/);
    assert.equal(readyOf(await getFlux(kustomizations, ns, 'web') as KubeObject)?.status, 'True', 'web should still be Ready at the previous commit');
    await requestReconcile('gitrepository', ns, 'fleet');
    const failed = await failing.done;
    assert.equal(failed.code, 1, failed.stderr);
    assert.ok(failed.ms > 25_000, `exited after ${failed.ms} ms, before the 30s health check could fail: a stale Ready satisfied it?`);
    assert.match(failed.stderr, new RegExp(`✗ Kustomization/${ns}/web failed\\n`));
    assert.match(failed.stderr, new RegExp(`Deployment/${ns}/web {2}InProgress[^\\n]*\\n\\s+pod web-\\S+: container web: ImagePullBackOff`));

    const why = await start(['why-blocked', 'ks/web', '-n', ns]).done;
    assert.equal(why.code, 1, why.stdout + why.stderr);
    assert.match(why.stdout, new RegExp(`Kustomization/${ns}/web {2}HealthCheckFailed`));
    assert.match(why.stdout, new RegExp(`Deployment/${ns}/web {2}InProgress[^\\n]*\\n\\s+pod web-\\S+: container web: ImagePullBackOff`));
    // The dependent is held by web, through dependsOn: why-blocked follows it to the same Deployment.
    const dependent = await start(['why-blocked', 'ks/app', '-n', ns]).done;
    assert.equal(dependent.code, 1, dependent.stdout + dependent.stderr);
    assert.match(dependent.stdout, new RegExp(`via: Kustomization/${ns}/app → Kustomization/${ns}/web\\n`));
    assert.match(dependent.stdout, new RegExp(`Deployment/${ns}/web {2}InProgress`));

    // The fix: the same wait on the new commit succeeds, the dependent included (--with-upstream from app).
    const fixed = await git.commit('fleet', files('nginx:1.28'), { message: 'a pullable image again' });
    const recovering = start(['wait-for', 'app', '-n', ns, '--with-upstream', '--revision', gitRevision(fixed), '--timeout', '150s']);
    await waitForOutput(recovering, /◎/);
    await requestReconcile('gitrepository', ns, 'fleet');
    const ok = await recovering.done;
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stderr, new RegExp(`✔ Kustomization/${ns}/web at ${gitRevision(fixed).slice(0, 18)}`));
    const web = (await getFlux(kustomizations, ns, 'web')) as KubeObject;
    assert.equal(web.status?.lastAppliedRevision, gitRevision(fixed));
    await record();
  });

  it('drift guard: the controller’s messages have the shapes flux-deps and its stand-in statuses assume', () => {
    assert.ok(seen.size, 'reads what exercise 1 recorded: run the two together');
    const conditions = [...seen.values()];
    const find = (object: string, type: string, reason: string) => conditions.find((c) => c.object === object && c.type === type && c.reason === reason);
    const shapeOf = (status: { conditions: Condition[] }, type: string) => messageShape(status.conditions.find((c) => c.type === type)?.message ?? '');
    const listed = conditions.map((c) => `${c.object} ${c.type}=${c.status} ${c.reason}: ${c.message}`).join('\n');

    // Reconciling stays True beside a failed health check, its reason ProgressingWithRetry (kstatus: InProgress).
    const running = find('web', 'Reconciling', 'ProgressingWithRetry');
    assert.ok(running, `no Reconciling=True ProgressingWithRetry seen:\n${listed}`);
    assert.equal(messageShape(running.message ?? ''), shapeOf(kustomizationHealthCheckFailed(), 'Reconciling'), listed);

    // The health-check failure: flux-status.ts's shape, and the model reads the Deployment out of it.
    const failed = find('web', 'Ready', 'HealthCheckFailed');
    assert.ok(failed, `no HealthCheckFailed seen:\n${listed}`);
    assert.equal(messageShape(failed.message ?? ''), shapeOf(kustomizationHealthCheckFailed(), 'Ready'));
    assert.deepEqual(parseHealthMessage(failed.message ?? '').map((i) => [i.id, i.status]), [[`Deployment/${ns}/web`, 'InProgress']]);
    const healthy = find('web', 'Healthy', 'HealthCheckFailed');
    assert.ok(healthy, listed);
    assert.equal(messageShape(healthy.message ?? ''), shapeOf(kustomizationHealthCheckFailed(), 'Healthy'));

    // The dependent waiting on web: `dependency '<ns>/<name>' is not ready` (or its revision form, seen first).
    const waiting = conditions.filter((c) => c.object === 'app' && c.reason === 'DependencyNotReady').map((c) => c.message);
    assert.ok(waiting.includes(`dependency '${ns}/web' is not ready`), `app's DependencyNotReady messages: ${JSON.stringify(waiting)}`);
    assert.equal(messageShape(`dependency '${ns}/web' is not ready`), shapeOf(kustomizationDependencyNotReady('flux-system/infra'), 'Ready'));
    for (const m of waiting) assert.match(m ?? '', new RegExp(`^dependency '${ns}/web' (is not ready|revision is not up to date)$`));
  });

  async function record(): Promise<void> {
    for (const name of ['web', 'app']) {
      try {
        const obj = (await getFlux(kustomizations, ns, name)) as KubeObject;
        for (const c of (obj.status?.conditions ?? []) as Condition[]) {
          const key = `${name}|${c.type}|${c.status}|${c.reason}|${c.message}`;
          if (!seen.has(key)) seen.set(key, { object: name, type: c.type, status: c.status, reason: c.reason, message: c.message });
        }
      } catch {
        // not created yet, or a moment of API trouble: the next poll sees it
      }
    }
  }
});
