// wait-for against the real API server: the right revision only, fail-fast, timeout with the explanation,
// one watch per kind for forty targets, watches held through a quiet spell, an API server restart in the middle,
// and Ctrl-C.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createAll } from '../support/apply.ts';
import { artifact, git, ks } from '../support/fixtures.ts';
import { conditionTime as at, kustomizationReadyAt, revisions } from '../support/flux-status.ts';
import { start, waitForOutput } from '../support/process.ts';
import { tcpConnections } from '../support/proc-tcp.ts';
import { auditEvents, clients, eventually, freshNamespace, gitRepositories, kustomizations, testenv, writeStatus } from '../support/testenv.ts';

const healthCheckFailed = (revision: string) => ({
  observedGeneration: 1, lastAppliedRevision: revisions.old, lastAttemptedRevision: revision,
  conditions: [
    { type: 'Reconciling', status: 'True', reason: 'ProgressingWithRetry', message: `Running health checks for revision ${revision} with a timeout of 1m0s`, observedGeneration: 1, lastTransitionTime: at() },
    { type: 'Ready', status: 'False', reason: 'HealthCheckFailed', message: "health check failed after 1m0.02s: timeout waiting for: [Deployment/demo/db status: 'InProgress']", observedGeneration: 1, lastTransitionTime: at() },
  ],
});

describe('wait-for on the test cluster', function () {
  this.timeout(90_000);
  let ns: string;

  before(async () => {
    ns = await freshNamespace('wait');
    await createAll([
      artifact(git('fleet').ns(ns), revisions.new).build(),
      ks('infra').ns(ns).source('GitRepository', 'fleet').build(),
      ks('apps').ns(ns).source('GitRepository', 'fleet').dependsOn('infra').build(),
    ]);
  });

  it('is not satisfied by a stale Ready=True of the previous revision, only by the source’s current one', async () => {
    await writeStatus(kustomizations, ns, 'infra', kustomizationReadyAt(revisions.old));
    const p = start(['wait-for', 'infra', '-n', ns, '--timeout', '30s']);
    await waitForOutput(p, /RevisionNotApplied: at main@sha1:6e23072f, waiting for main@sha1:1818d77d/);
    await new Promise((r) => setTimeout(r, 300));
    await writeStatus(kustomizations, ns, 'infra', kustomizationReadyAt(revisions.new));
    const r = await p.done;
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`✔ Kustomization/${ns}/infra at main@sha1:1818d77d\\n✔ Kustomization/${ns}/infra is ready\\n$`));
  });

  it('waits for an explicit --revision given as a digest prefix, down to 4 hex characters (git’s shortest)', async () => {
    for (const prefix of ['1818d77d', '1818']) {
      const r = await start(['wait-for', 'infra', '-n', ns, '--revision', prefix, '--timeout', '10s']).done;
      assert.equal(r.code, 0, `${prefix}: ${r.stderr}`);
    }
  });

  it('with --fail-fast, exits 1 at a health-check failure of the awaited revision and explains it', async () => {
    await writeStatus(kustomizations, ns, 'infra', healthCheckFailed(revisions.new));
    await writeStatus(kustomizations, ns, 'apps', { ...kustomizationReadyAt(revisions.old), conditions: [{ type: 'Ready', status: 'False', reason: 'DependencyNotReady', message: `dependency '${ns}/infra' is not ready`, observedGeneration: 1, lastTransitionTime: at() }] });
    const r = await start(['wait-for', 'apps', '-n', ns, '--with-upstream', '--fail-fast', '--timeout', '30s']).done;
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, new RegExp(`✗ Kustomization/${ns}/infra failed\\n`));
    assert.match(r.stderr, new RegExp(`\\n1\\. Kustomization/${ns}/infra {2}HealthCheckFailed\\n {3}via: Kustomization/${ns}/apps → Kustomization/${ns}/infra\\n`));
  });

  it('times out with exit 5 and the explanation of what still blocks', async () => {
    const r = await start(['wait-for', 'apps', '-n', ns, '--timeout', '2s']).done;
    assert.equal(r.code, 5, r.stderr);
    assert.match(r.stderr, new RegExp(`✗ timed out after 2s waiting for Kustomization/${ns}/apps\\n`));
    assert.match(r.stderr, new RegExp(`✗ Kustomization/${ns}/apps is blocked by one root cause[\\s\\S]*via: Kustomization/${ns}/apps → Kustomization/${ns}/infra`));
    // It never hangs past its 2 s (a process start, a read, 2 s, a read: seconds even on a loaded machine).
    assert.ok(r.ms < 20_000, `took ${r.ms} ms`);
  });

  it('exits 3 for a REF that does not exist', async () => {
    const r = await start(['wait-for', 'nope', '-n', ns]).done;
    assert.equal(r.code, 3);
    assert.equal(r.stderr, `✗ Kustomization ${ns}/nope not found\n`);
  });

  it('exits 130 at once on Ctrl-C', async () => {
    const p = start(['wait-for', 'apps', '-n', ns, '--timeout', '60s']);
    await waitForOutput(p, /◎/);
    const sent = Date.now();
    p.kill('SIGINT');
    const r = await p.done;
    assert.equal(r.code, 130);
    // At once: well before its 60 s timeout (the margin is for a loaded machine, not for the program).
    assert.ok(Date.now() - sent < 10_000, `exited ${Date.now() - sent} ms after SIGINT`);
  });

  it('serves forty targets with one watch per kind and namespace, and only reads', async () => {
    const many = await freshNamespace('many');
    await createAll([artifact(git('fleet').ns(many), revisions.new).build(), ...Array.from({ length: 40 }, (_, i) => ks(`k${i}`).ns(many).source('GitRepository', 'fleet').build())]);
    const p = start(['wait-for', '--all', '-n', many, '--timeout', '60s', '--as', 'waiter', '--as-group', 'system:masters']);
    await waitForOutput(p, /◎/);
    for (let i = 0; i < 40; i++) await writeStatus(kustomizations, many, `k${i}`, kustomizationReadyAt(revisions.new));
    const r = await p.done;
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /✔ 40 objects are ready\n$/);
    // A watch is logged (ResponseComplete) when the API server sees it end, a moment after the process exits.
    const mine = await eventually('its two watches in the audit log', async () => {
      const all = auditEvents().filter((e) => (e as { impersonatedUser?: { username: string } }).impersonatedUser?.username === 'waiter' && (!e.objectRef?.namespace || e.objectRef.namespace === many));
      const kinds = new Set(all.filter((e) => e.verb === 'watch').map((e) => e.objectRef?.resource));
      return kinds.has('gitrepositories') && kinds.has('kustomizations') ? all : undefined;
    }, 15_000);
    const watches = mine.filter((e) => e.verb === 'watch').map((e) => `${e.objectRef?.resource}/${e.objectRef?.namespace}`);
    assert.deepEqual(watches.sort(), [`gitrepositories/${many}`, `kustomizations/${many}`]);
    const verbs = new Set(mine.map((e) => e.verb));
    assert.ok(verbs.has('list') && verbs.has('watch') && [...verbs].every((v) => ['get', 'list', 'watch'].includes(v)), [...verbs].join(','));
  });

  it('keeps its watches through 40 s of quiet, past the 30 s after which TCP keep-alive probes: no idle timeout', async () => {
    // A watch of a quiet namespace carries nothing for a minute (the API server's bookmarks come about once a
    // minute); keep-alive probes are answered by the server's kernel, so the watch lives on, as kubectl's does.
    const quiet = await freshNamespace('quiet');
    await createAll([artifact(git('fleet').ns(quiet), revisions.new).build(), ks('app').ns(quiet).source('GitRepository', 'fleet').build()]);
    const p = start(['wait-for', 'app', '-n', quiet, '--timeout', '80s', '--as', 'quiet-waiter', '--as-group', 'system:masters']);
    await waitForOutput(p, /◎/);
    await new Promise((r) => setTimeout(r, 35_000));
    const held = tcpConnections(p.pid).filter((c) => c.established);
    assert.ok(held.length >= 2 && held.every((c) => c.keepAliveIn !== undefined), `keep-alive on every connection: ${JSON.stringify(held)}`);
    await new Promise((r) => setTimeout(r, 5_000));
    await writeStatus(kustomizations, quiet, 'app', kustomizationReadyAt(revisions.new));
    const r = await p.done;
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /interrupted|retrying|relisting/);
    // A watch is logged (ResponseComplete) when the API server sees it end, a moment after the process exits.
    const watches = await eventually('its two watches in the audit log', async () => {
      const all = auditEvents().filter((e) => (e as { impersonatedUser?: { username: string } }).impersonatedUser?.username === 'quiet-waiter' && e.verb === 'watch');
      const kinds = new Set(all.map((e) => e.objectRef?.resource));
      return kinds.has('gitrepositories') && kinds.has('kustomizations') ? all : undefined;
    }, 15_000);
    assert.deepEqual(watches.map((e) => `${e.objectRef?.resource}/${e.objectRef?.namespace}`).sort(), [`gitrepositories/${quiet}`, `kustomizations/${quiet}`]);
  });

  it('survives the API server being killed and restarted in the middle of a wait', async () => {
    await writeStatus(kustomizations, ns, 'infra', kustomizationReadyAt(revisions.old));
    const p = start(['wait-for', 'infra', '-n', ns, '--timeout', '60s']);
    await waitForOutput(p, /RevisionNotApplied/);
    // Writes after the wait's LIST: the restarted API server's fresh watch cache will find its resourceVersion too
    // old and answer 410 Gone, which must lead to a relist, not a missed transition.
    for (let i = 0; i < 5; i++) await clients().core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: `churn-${i}` } } });
    const pid = Number(readFileSync(`${testenv().dir}/pids/kube-apiserver.pid`, 'utf8'));
    process.kill(pid, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 1000));
    try {
      execFileSync('testenv/up.sh', [process.env.FLUX_DEPS_TESTENV_PROFILE ?? 'full'], { env: { ...process.env, TESTENV_DIR: testenv().dir }, encoding: 'utf8', stdio: 'pipe' });
    } catch (err) {
      throw new Error(`restarting the API server failed: ${(err as { stderr: string }).stderr}`);
    }
    await writeStatus(kustomizations, ns, 'infra', kustomizationReadyAt(revisions.new));
    const r = await p.done;
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /watch of kustomizations in \S+ interrupted \(.*\); retrying in/);
    assert.match(r.stderr, /watch of (kustomizations|gitrepositories) in \S+ expired \(410 Gone\); relisting/);
    assert.match(r.stderr, new RegExp(`✔ Kustomization/${ns}/infra is ready\\n$`));
  });

  it('follows the source when it moves during the wait', async () => {
    await writeStatus(kustomizations, ns, 'infra', kustomizationReadyAt(revisions.new));
    const moved = 'main@sha1:aaaaaaaa2d502ad9547bcc732a2b2c39d7e5eba5';
    await writeStatus(gitRepositories, ns, 'fleet', artifact(git('fleet'), moved).build().status);
    const p = start(['wait-for', 'infra', '-n', ns, '--timeout', '30s']);
    await waitForOutput(p, /waiting for main@sha1:aaaaaaaa/);
    await writeStatus(kustomizations, ns, 'infra', kustomizationReadyAt(moved));
    assert.equal((await p.done).code, 0);
  });
});

describe('wait-for, exercise 1: a health-checked Deployment with an unpullable image', function () {
  this.timeout(120_000);

  it('fails fast naming the Deployment and its pod, then succeeds once fixed; -o json prints one event per line', async () => {
    const ns = await freshNamespace('ex1');
    const { StandInReconciler } = await import('../support/reconciler.ts');
    const { clients: c } = await import('../support/testenv.ts');
    const controller = new StandInReconciler(ns, revisions.new);
    await controller.start();
    try {
      await c().apps.createNamespacedDeployment({
        namespace: ns,
        body: { metadata: { name: 'web' }, spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:does-not-exist' }] } } } },
      });
      const { eventually } = await import('../support/testenv.ts');
      await eventually('the pod in ImagePullBackOff', async () => (await c().core.listNamespacedPod({ namespace: ns })).items.find((p) => p.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'ImagePullBackOff'));
      await createAll([
        { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', metadata: { name: 'fleet', namespace: ns }, spec: { interval: '1m', url: 'https://example.com/x' } },
        ks('web').ns(ns).source('GitRepository', 'fleet').set('spec.healthChecks', [{ kind: 'Deployment', name: 'web' }]).build(),
      ]);
      // The controller runs: fetches, applies, health check fails.
      const first = await start(['reconcile', 'web', '-n', ns, '--with-source', '--timeout', '30s']).done;
      assert.equal(first.code, 1, first.stderr);
      const failed = await start(['wait-for', 'web', '-n', ns, '--fail-fast', '--timeout', '30s']).done;
      assert.equal(failed.code, 1, failed.stderr);
      assert.match(failed.stderr, new RegExp(`◎ Deployment/${ns}/web  InProgress[^\\n]*\\n {7}pod web-\\S+: container web: ImagePullBackOff: Back-off pulling image "nginx:does-not-exist"`));

      const fix = await c().apps.readNamespacedDeployment({ namespace: ns, name: 'web' });
      (fix.spec?.template.spec?.containers[0] as { image: string }).image = 'nginx:1.27';
      await c().apps.replaceNamespacedDeployment({ namespace: ns, name: 'web', body: fix });
      await eventually('web available', async () => ((await c().apps.readNamespacedDeployment({ namespace: ns, name: 'web' })).status?.availableReplicas === 1 ? true : undefined));
      const waiting = start(['wait-for', 'web', '-n', ns, '--timeout', '30s', '-o', 'json']);
      // Its first verdict (not Ready) printed before the reconcile can make web Ready: a fixed pause could be outrun.
      await waitForOutput(waiting, new RegExp(`"id":"Kustomization/${ns}/web"`), 'stdout');
      assert.equal((await start(['reconcile', 'web', '-n', ns, '--timeout', '30s']).done).code, 0);
      const ok = await waiting.done;
      assert.equal(ok.code, 0, ok.stderr);
      const events = ok.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
      assert.deepEqual(Object.keys(events[0]), ['time', 'id', 'event', 'ready', 'reason', 'message', 'revision']);
      assert.deepEqual(events.map((e) => [e.id, e.event, e.ready]).slice(-1), [[`Kustomization/${ns}/web`, 'ready', true]]);
      assert.equal(events[0].ready, false);
    } finally {
      controller.stop();
    }
  });
});
