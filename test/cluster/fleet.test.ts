// Fleets against two real API servers (the test cluster and a second one with its own etcd, started here): one
// answer across contexts, each cluster's failure its own row (credentials refused, then a stopped API server),
// exit codes by the documented order, and wait-for across both. Statuses written as the controllers write them.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { run } from '../../src/cli.ts';
import { createAll } from '../support/apply.ts';
import { artifact, git, ks, objects } from '../support/fixtures.ts';
import { recordingIO } from '../support/io.ts';
import { startSecondCluster, type SecondCluster } from '../support/second-cluster.ts';
import { eventually, freshNamespace, kustomizations, testenv, writeStatus } from '../support/testenv.ts';

const clock = new Date('2026-11-22T10:15:00Z');
const blocked = "health check failed after 5m0.01s: timeout waiting for: [Deployment/x/db status: 'InProgress']";

describe('fleets: one command across two API servers', function () {
  this.timeout(120_000);
  let second: SecondCluster;
  let ns: string;
  let kubeconfig: string;

  // The program in-process on the fleet kubeconfig; `started` for a run the test acts on while it waits.
  function started(args: string[]) {
    const io = recordingIO({ env: { TZ: 'UTC', NO_COLOR: '1', KUBECONFIG: kubeconfig }, now: () => clock });
    const done = run(args, io).then((code) => ({ code, stdout: io.stdout, stderr: io.stderr }));
    return { io, done };
  }
  const flux = (args: string[]) => started(args).done;

  before(async () => {
    const started = Date.now();
    second = await startSecondCluster();
    console.log(`      (second API server and etcd up in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
    ns = await freshNamespace('fleet');
    await second.kubeConfig().makeApiClient((await import('@kubernetes/client-node')).CoreV1Api).createNamespace({ body: { metadata: { name: ns } } });
    // The same layout in both clusters: blocked in "one", ready in "two".
    await createAll(objects(
      artifact(git('flux-system').ns(ns)),
      ks('infra').ns(ns).notReady('HealthCheckFailed', blocked),
      ks('apps').ns(ns).dependsOn('infra').notReady('DependencyNotReady', `dependency '${ns}/infra' is not ready`),
    ));
    await createAll(objects(artifact(git('flux-system').ns(ns)), ks('infra').ns(ns).ready(), ks('apps').ns(ns).dependsOn('infra').ready()), second.kubeConfig());
    // Contexts "one" and "two", and "bad": the first cluster with a token it does not know.
    const first = parse(readFileSync(testenv().kubeconfig('admin'), 'utf8'));
    const other = parse(readFileSync(second.kubeconfig, 'utf8'));
    const config = {
      apiVersion: 'v1', kind: 'Config',
      clusters: [{ name: 'one', cluster: first.clusters[0].cluster }, { name: 'two', cluster: other.clusters[0].cluster }],
      users: [{ name: 'one', user: first.users[0].user }, { name: 'two', user: other.users[0].user }, { name: 'bad', user: { token: 'not-a-known-token' } }],
      contexts: [{ name: 'one', context: { cluster: 'one', user: 'one' } }, { name: 'two', context: { cluster: 'two', user: 'two' } }, { name: 'bad', context: { cluster: 'one', user: 'bad' } }],
      'current-context': 'one',
    };
    kubeconfig = join(mkdtempSync(join(tmpdir(), 'flux-deps-fleet-')), 'kubeconfig');
    writeFileSync(kubeconfig, stringify(config));
  });

  after(async () => {
    await second?.down();
  });

  it('--context with one name is today’s run, byte for byte', async () => {
    const named = await flux(['tree', '-n', ns, '--context', 'one']);
    const current = await flux(['tree', '-n', ns]);
    assert.equal(named.code, 0, named.stderr);
    assert.equal(named.stdout, current.stdout);
    assert.doesNotMatch(named.stdout, /CONTEXT/);
  });

  it('tree on both: a row per context, then each tree; the JSON results are the single-context documents', async () => {
    const r = await flux(['tree', '-n', ns, '--context', 'one,two']);
    assert.equal(r.code, 0, r.stderr);
    const [head, rowOne, rowTwo] = r.stdout.split('\n');
    assert.match(head ?? '', /^CONTEXT +RESULT +SUMMARY$/);
    assert.match(rowOne ?? '', new RegExp(`^one +ok +2 objects: 2 not ready; root cause Kustomization/${ns}/infra$`));
    assert.match(rowTwo ?? '', /^two +ok +2 objects: 2 ready$/);
    const alone = await flux(['tree', '-n', ns, '--context', 'two']);
    assert.ok(r.stdout.endsWith(`\n── context two ──\n${alone.stdout}`), r.stdout);

    const json = await flux(['tree', '-n', ns, '--context', 'one,two', '-o', 'json']);
    const doc = JSON.parse(json.stdout);
    assert.equal(doc.exitCode, 0);
    assert.deepEqual(doc.contexts.map((c: { context: string; exitCode: number }) => [c.context, c.exitCode]), [['one', 0], ['two', 0]]);
    assert.deepEqual(doc.contexts[1].result, JSON.parse((await flux(['tree', '-n', ns, '--context', 'two', '-o', 'json'])).stdout));
  });

  it('why-blocked on both: blocked in one, not in the other; exit 1', async () => {
    const r = await flux(['why-blocked', 'apps', '-n', ns, '--context', 'two,one']);
    assert.equal(r.code, 1, r.stderr);
    const rows = r.stdout.split('\n').slice(1, 3);
    assert.match(rows[0] ?? '', /^two +not blocked +/);
    assert.match(rows[1] ?? '', new RegExp(`^one +blocked +.*Kustomization/${ns}/infra`));
    assert.match(r.stdout, /\n── context one ──\n/);
  });

  it('a context whose credentials are refused is a row saying so; the others answer; exit 4', async () => {
    const r = await flux(['why-blocked', 'apps', '-n', ns, '--context', 'one,bad,two', '-o', 'json']);
    assert.equal(r.code, 4, r.stderr);
    const doc = JSON.parse(r.stdout);
    const bad = doc.contexts.find((c: { context: string }) => c.context === 'bad');
    assert.equal(bad.exitCode, 4);
    assert.match(bad.error, /rejected .*401 Unauthorized/);
    assert.equal(bad.failure, 'unauthorized');
    assert.equal(doc.contexts.find((c: { context: string }) => c.context === 'one').result.blocked, true);
    assert.equal(doc.contexts.find((c: { context: string }) => c.context === 'two').result.blocked, false);
    const text = await flux(['lint', '-n', ns, '--all-contexts']);
    assert.equal(text.code, 4);
    assert.match(text.stdout, /^CONTEXT +RESULT +SUMMARY\nbad +unauthorized +the cluster at .* rejected/);
  });

  it('wait-for across both waits for all: events carry their context, a row per context', async () => {
    const p = started(['wait-for', 'apps', '-n', ns, '--context', 'one,two', '--timeout', '60s', '-o', 'json']);
    // "one" is watching once its first verdict is out; "two" is ready at once.
    await eventually('both contexts judged', async () => (/"context":"one".*"event":"waiting"/.test(p.io.stdout) && /"context":"two".*"event":"ready"/.test(p.io.stdout)) || undefined);
    await writeStatus(kustomizations, ns, 'infra', ks('infra').ns(ns).ready().build().status);
    await writeStatus(kustomizations, ns, 'apps', ks('apps').ns(ns).ready().build().status);
    const r = await p.done;
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.ok(lines.some((l) => l.context === 'one' && l.event === 'ready' && l.id === `Kustomization/${ns}/apps`));
    const summary = `Kustomization/${ns}/apps is ready`;
    assert.deepEqual(lines.slice(-2), [{ context: 'one', exitCode: 0, summary }, { context: 'two', exitCode: 0, summary }]);
  });

  it('wait-for --fail-fast ends the failing context only: the other still reports ready; exit 1', async () => {
    await writeStatus(kustomizations, ns, 'infra', ks('infra').ns(ns).notReady('HealthCheckFailed', blocked).build().status);
    await writeStatus(kustomizations, ns, 'apps', ks('apps').ns(ns).notReady('DependencyNotReady', `dependency '${ns}/infra' is not ready`).build().status);
    const r = await flux(['wait-for', 'apps', '-n', ns, '--context', 'one,two', '--with-upstream', '--fail-fast', '--timeout', '30s']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, new RegExp(`^CONTEXT +RESULT +SUMMARY\none +failed +Kustomization/${ns}/infra failed\ntwo +ready +2 objects are ready\n$`));
    // Each context's progress and explanation on stderr, prefixed with it.
    assert.match(r.stderr, new RegExp(`\\[one\\] ✗ Kustomization/${ns}/infra failed\\n`));
    assert.match(r.stderr, /\[two\] ✔ 2 objects are ready\n/);
  });

  describe('with the second API server stopped', () => {
    before(async () => {
      await second.stopApiServer();
    });

    it('tree answers for the first and reports the second unreachable: exit 4', async () => {
      const r = await flux(['tree', '-n', ns, '--all-contexts']);
      assert.equal(r.code, 4, r.stderr);
      assert.match(r.stdout, /\none +ok +2 objects/);
      assert.match(r.stdout, /\ntwo +unreachable +cannot reach the cluster at https:\/\/127\.0\.0\.1:\d+ \(context two\): connection refused\n/);
      assert.match(r.stdout, /\n── context one ──\n/);
      assert.doesNotMatch(r.stdout, /── context two ──/);
    });

    it('why-blocked -o json: the first blocked (1), the second an error (4); the fleet exits 4', async () => {
      const r = await flux(['why-blocked', 'apps', '-n', ns, '--context', 'one,two', '-o', 'json']);
      assert.equal(r.code, 4);
      const doc = JSON.parse(r.stdout);
      assert.equal(doc.exitCode, 4);
      assert.equal(doc.contexts[0].exitCode, 1);
      assert.equal(doc.contexts[0].result.target, `Kustomization/${ns}/apps`);
      assert.deepEqual(Object.keys(doc.contexts[1]), ['context', 'exitCode', 'error', 'failure']);
      assert.match(doc.contexts[1].error, /connection refused/);
      assert.equal(doc.contexts[1].failure, 'unreachable');
    });

    it('wait-for: the reachable context waits to its end, the stopped one is its row; exit 4', async () => {
      const p = started(['wait-for', 'infra', '-n', ns, '--context', 'one,two', '--timeout', '30s']);
      await eventually('one watching', async () => p.io.stderr.includes(`[one] `) || undefined);
      await writeStatus(kustomizations, ns, 'infra', ks('infra').ns(ns).ready().build().status);
      const r = await p.done;
      assert.equal(r.code, 4, r.stderr);
      assert.match(r.stdout, new RegExp(`\none +ready +Kustomization/${ns}/infra is ready\ntwo +unreachable +cannot reach`));
    });
  });
});
