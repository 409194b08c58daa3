// flux-deps against the real helm-controller and source-controller (testenv's flux profile), the failures whose
// messages the model reads: charts from a chart repository on 127.0.0.1 (test/support/chart-repo.ts, set up by
// test/support/helm-fixtures.ts), installed onto the kwok nodes. Then a drift guard: the messages the controllers
// wrote in these runs have the shapes the model and the hand-written statuses assume. It reads what the tests
// before it recorded, so the file is one sequence; the reconcile and upgrade runs the guard does not read are in
// real-helm-reconcile.test.ts.
import assert from 'node:assert/strict';
import { parseHealthMessage } from '../../src/model/health-checks.ts';
import { releaseOf } from '../../src/model/helm-release.ts';
import type { KubeObject } from '../../src/model/objects.ts';
import { createAll } from '../support/apply.ts';
import { conditionOf } from '../support/conditions.ts';
import { owned } from '../support/flux-controllers.ts';
import { helmCharts, helmRepositories, poolLabel, startHelmFixture, type HelmFixture, type ReleaseSpec } from '../support/helm-fixtures.ts';
import { start } from '../support/process.ts';
import { eventually, getFlux, helmReleases, runBinary } from '../support/testenv.ts';

describe('on the real helm-controller (flux profile)', function () {
  this.timeout(240_000);
  let f: HelmFixture;
  let ns: string;
  // Every distinct condition the controllers wrote on the HelmReleases and HelmCharts, in order seen: the drift guard.
  let seen: HelmFixture['seen'];
  const helmRelease = (name: string, spec: ReleaseSpec) => f.helmRelease(name, spec);
  const patchValues = (name: string, image: string) => f.patchValues(name, image);
  const logs = () => f.logs();

  before(async () => {
    f = await startHelmFixture('real-helm', { record: true });
    ({ ns, seen } = f);
  });

  after(async () => {
    await f?.close();
    if (ns) await runBinary('kubectl', ['label', 'node', '--all', `${poolLabel}-`]).catch(() => undefined);
  });

  it('an install with an unpullable image: why-blocked names the Deployment, pod and container; Stalled RetriesExceeded and --reset; the fix recovers it', async () => {
    await createAll([helmRelease('db', { version: '1.0.0', image: 'nginx:does-not-exist' })]);
    // Two attempts of 20s and an uninstall between them: wait-for ends on Stalled, a terminal failure.
    const failing = await start(['wait-for', 'hr/db', '-n', ns, '--timeout', '150s']).done;
    assert.equal(failing.code, 1, failing.stderr + (await logs()));
    assert.ok(failing.ms > 35_000, `exited after ${failing.ms} ms, before two 20s attempts could fail`);
    assert.match(failing.stderr, new RegExp(`✗ HelmRelease/${ns}/db failed`));

    const why = await start(['why-blocked', 'hr/db', '-n', ns]).done;
    assert.equal(why.code, 1, why.stdout + why.stderr);
    const said = conditionOf((await getFlux(helmReleases, ns, 'db')) as KubeObject, 'Ready')?.message ?? '';
    assert.ok(why.stdout.includes(`HelmRelease/${ns}/db  ReconciliationFailed\n   InstallFailed: ${said}\n`), why.stdout);
    // Helm's wait can end on its client's rate limiter instead ('client rate limiter Wait returned an error:
    // rate: Wait(n=1) would exceed context deadline': the deadline passed between two status polls), a race seen
    // here on either attempt. That message names no object: flux-deps then finds the Deployment by the release's
    // marks on it, so the answer is the same either way.
    if (!said.endsWith(`timeout waiting for: [Deployment/${ns}/db status: 'InProgress']`)) {
      assert.match(said, /client rate limiter Wait returned an error: rate: Wait\(n=\d+\) would exceed context deadline$/, said);
    }
    assert.match(why.stdout, new RegExp(`Deployment/${ns}/db {2}InProgress[^\\n]*\\n\\s+pod db-\\S+: container db: ImagePullBackOff`), why.stdout);
    assert.match(why.stdout, /Stalled \(RetriesExceeded\): helm-controller will not try again until the failure count is reset/);
    assert.match(why.stdout, new RegExp(`flux reconcile helmrelease db -n ${ns} --reset`));
    const db = (await getFlux(helmReleases, ns, 'db')) as KubeObject;
    assert.equal(conditionOf(db, 'Stalled')?.message, 'Failed to install after 2 attempt(s)');

    // New values are a new attempt (the failure count is per spec): an upgrade of the failed release, then Ready.
    await patchValues('db', 'nginx:1.27');
    const fixed = await start(['wait-for', 'hr/db', '-n', ns, '--timeout', '90s']).done;
    assert.equal(fixed.code, 0, fixed.stderr + (await logs()));
    assert.match(fixed.stderr, new RegExp(`✔ HelmRelease/${ns}/db`));
    const ok = await start(['why-blocked', 'hr/db', '-n', ns]).done;
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
  });

  it('a chart version the repository lacks, a repository that does not answer: SourceNotReady with the source’s own message', async () => {
    await createAll([
      { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'HelmRepository', metadata: { ...owned('offline'), namespace: ns }, spec: { interval: '10m', timeout: '5s', url: 'http://127.0.0.1:9/charts' } },
      helmRelease('ghost', { version: '9.9.9' }),
      helmRelease('stranded', { version: '1.0.0', repository: 'offline' }),
    ]);
    f.watch(helmRepositories, 'offline');
    const chartFailed = await eventually('the HelmChart of ghost to fail', async () => {
      const c = conditionOf((await getFlux(helmCharts, ns, `${ns}-ghost`)) as KubeObject, 'Ready');
      return c?.status === 'False' ? c : undefined;
    }, 60_000);
    const ghost = await start(['why-blocked', 'hr/ghost', '-n', ns]).done;
    assert.equal(ghost.code, 1, ghost.stdout + ghost.stderr);
    // source-controller calls a version it cannot find Stalled (InvalidChartReference): it will not retry by itself.
    assert.match(ghost.stdout, new RegExp(`HelmChart/${ns}/${ns}-ghost {2}SourceNotReady\\n\\s+via: HelmRelease/${ns}/ghost → HelmChart/${ns}/${ns}-ghost\\n\\s+[^\\n]*${escape(chartFailed.message ?? '')}\\n`), ghost.stdout);
    assert.match(chartFailed.message ?? '', /9\.9\.9/);

    const repoFailed = await eventually('the offline HelmRepository to fail', async () => {
      const c = conditionOf((await getFlux(helmRepositories, ns, 'offline')) as KubeObject, 'Ready');
      return c?.status === 'False' ? c : undefined;
    }, 60_000);
    await eventually('the HelmChart of stranded to have a status', async () => conditionOf((await getFlux(helmCharts, ns, `${ns}-stranded`)) as KubeObject, 'Ready'), 60_000);
    // source-controller retries the repository (and so the chart) with a growing backoff, and each retry shows them
    // Ready=Unknown (Progressing: building artifact) for a moment: an answer read then is right for that moment, not
    // about the failure. Asked again (a few times at most) when that is what it read.
    let stranded = await start(['why-blocked', 'hr/stranded', '-n', ns]).done;
    for (let asked = 1; asked < 5 && /Progressing: (building artifact|processing object)/.test(stranded.stdout); asked++) {
      await new Promise((r) => setTimeout(r, 500));
      stranded = await start(['why-blocked', 'hr/stranded', '-n', ns]).done;
    }
    assert.equal(stranded.code, 1, stranded.stdout + stranded.stderr);
    assert.match(stranded.stdout, new RegExp(`HelmChart/${ns}/${ns}-stranded {2}SourceNotReady`), stranded.stdout);
    assert.ok(stranded.stdout.includes(`HelmRepository ${ns}/offline is not Ready (${repoFailed.reason}: ${repoFailed.message})`), stranded.stdout);
  });

  it('a Helm wait whose message names no objects: why-blocked finds the release’s Deployment and its pod; fixed elsewhere, reconcile --reset retries it', async () => {
    // The legacy waiter (Helm 3's) ends in 'context deadline exceeded'; one attempt, then RetriesExceeded.
    await createAll([helmRelease('pool', { chart: 'pool', version: '1.0.0', more: { waitStrategy: { name: 'legacy' }, install: { remediation: { retries: 0 } } } })]);
    const failing = await start(['wait-for', 'hr/pool', '-n', ns, '--timeout', '90s']).done;
    assert.equal(failing.code, 1, failing.stderr + (await logs()));
    const pool = (await getFlux(helmReleases, ns, 'pool')) as KubeObject;
    const said = conditionOf(pool, 'Ready')?.message ?? '';
    assert.equal(conditionOf(pool, 'Stalled')?.reason, 'RetriesExceeded', JSON.stringify(pool.status));
    assert.deepEqual(parseHealthMessage(said), [], `the premise: a message that names no objects (${said})`);
    // helm-controller records the release's objects all the same: what flux-deps reads first.
    assert.deepEqual(pool.status?.inventory?.entries, [{ id: `${ns}_pool_apps_Deployment`, v: 'v1' }], JSON.stringify(pool.status));

    const why = await start(['why-blocked', 'hr/pool', '-n', ns]).done;
    assert.equal(why.code, 1, why.stdout + why.stderr);
    assert.ok(why.stdout.includes(`HelmRelease/${ns}/pool  ReconciliationFailed\n   ${conditionOf(pool, 'Ready')?.reason}: ${said}\n`), why.stdout);
    assert.match(why.stdout, new RegExp(`Deployment/${ns}/pool {2}InProgress[^\\n]*\\n\\s+pod pool-\\S+: Unschedulable: [^\\n]*node affinity/selector`), why.stdout);
    assert.match(why.stdout, new RegExp(`flux-deps reconcile hr/pool -n ${ns} --reset`));
    // What flux-deps matches the release's objects by (model/helm-release.ts), as Helm and helm-controller wrote it.
    const deployment = JSON.parse((await runBinary('kubectl', ['get', 'deployment', 'pool', '-n', ns, '-o', 'json'])).stdout) as KubeObject;
    const { annotations = {}, labels = {} } = deployment.metadata ?? {};
    assert.deepEqual([annotations['meta.helm.sh/release-name'], annotations['meta.helm.sh/release-namespace']], ['pool', ns], JSON.stringify(deployment.metadata));
    assert.deepEqual([labels['helm.toolkit.fluxcd.io/name'], labels['helm.toolkit.fluxcd.io/namespace']], ['pool', ns], JSON.stringify(deployment.metadata));
    assert.deepEqual(releaseOf(pool, ns), { owner: { namespace: ns, name: 'pool' }, name: 'pool', namespace: ns });
    assert.deepEqual([pool.status?.history?.[0]?.name, pool.status?.history?.[0]?.namespace], ['pool', ns], JSON.stringify(pool.status?.history));
    // The same from a snapshot: the read plan took the release's objects along.
    const snap = await start(['snapshot', '-n', ns]).done;
    assert.equal(snap.code, 0, snap.stderr);
    assert.match(snap.stdout, new RegExp(`meta.helm.sh/release-name: pool\\n`));

    // Fixed outside the HelmRelease: a node for the pool. The Deployment becomes available, the release stays
    // Stalled (nothing it reads changed), and --reset is what makes helm-controller try again.
    const [node = ''] = (await runBinary('kubectl', ['get', 'nodes', '-o', 'name'])).stdout.trim().split('\n');
    await runBinary('kubectl', ['label', '--overwrite', node, `${poolLabel}=${ns}`]);
    await eventually('the pool Deployment to be available', async () => {
      const { stdout } = await runBinary('kubectl', ['get', 'deployment', 'pool', '-n', ns, '-o', 'jsonpath={.status.availableReplicas}']);
      return stdout === '1' || undefined;
    }, 60_000);
    assert.equal(conditionOf((await getFlux(helmReleases, ns, 'pool')) as KubeObject, 'Stalled')?.status, 'True');
    const reset = await start(['reconcile', 'hr/pool', '-n', ns, '--reset', '--timeout', '90s']).done;
    assert.equal(reset.code, 0, reset.stderr + (await logs()));
    assert.match(reset.stderr, new RegExp(`► annotating HelmRelease/${ns}/pool \\(reset\\)\\n`));
    assert.match(reset.stderr, new RegExp(`✔ HelmRelease/${ns}/pool applied 1\\.0\\.0`));
    const after = (await getFlux(helmReleases, ns, 'pool')) as KubeObject;
    const token = after.metadata?.annotations?.['reconcile.fluxcd.io/requestedAt'];
    assert.ok(token, JSON.stringify(after.metadata));
    assert.equal(after.metadata?.annotations?.['reconcile.fluxcd.io/resetAt'], token);
    assert.equal(after.status?.lastHandledResetAt, token, JSON.stringify(after.status));
    assert.equal(after.status?.lastHandledReconcileAt, token);
    assert.equal(conditionOf(after, 'Stalled'), undefined, JSON.stringify(after.status));
  });

  it('drift guard: the controller’s HelmRelease messages have the shapes flux-deps matches', () => {
    assert.ok(seen.size, 'reads what the tests above recorded: run them together');
    const conditions = [...seen.values()];
    const listed = conditions.map((c) => `${c.object} ${c.type}=${c.status} ${c.reason}: ${c.message}`).join('\n');
    const find = (object: string, type: string, reason: string) => conditions.find((c) => c.object === object && c.type === type && c.reason === reason);

    // The failed install: Ready and Released say InstallFailed, with the objects Helm waited on as a health check
    // names them. Not always: when Helm's next status poll would pass the deadline, the client's rate limiter ends
    // the wait first and the message names no object (seen on the first attempt here); flux-deps can then only
    // show the message, as it does.
    const installFailed = conditions.filter((c) => c.object === 'db' && c.type === 'Ready' && c.reason === 'InstallFailed').map((c) => c.message ?? '');
    assert.ok(installFailed.length, listed);
    const prefix = `Helm install failed for release ${ns}/db with chart demo@1.0.0: `;
    for (const m of installFailed) {
      assert.ok(m.startsWith(prefix), listed);
      const waited = parseHealthMessage(m).map((i) => [i.id, i.status]);
      if (waited.length) assert.deepEqual(waited, [[`Deployment/${ns}/db`, 'InProgress']], listed);
      else assert.match(m.slice(prefix.length), /^client rate limiter Wait returned an error: rate: Wait\(n=\d+\) would exceed context deadline$/, listed);
    }
    assert.ok(find('db', 'Released', 'InstallFailed'), listed);
    // Helm's legacy waiter (spec.waitStrategy legacy) names nothing: flux-deps looks at the release's own objects.
    const legacy = conditions.find((c) => c.object === 'pool' && c.type === 'Ready' && c.reason === 'InstallFailed');
    assert.equal(legacy?.message, `Helm install failed for release ${ns}/pool with chart pool@1.0.0: context deadline exceeded`, listed);
    assert.equal(find('pool', 'Stalled', 'RetriesExceeded')?.message, 'Failed to install after 1 attempt(s)', listed);
    // While Helm works: Reconciling=True Progressing, and Ready Unknown (kstatus: InProgress).
    assert.ok(conditions.some((c) => c.object === 'db' && c.type === 'Reconciling' && c.status === 'True' && /^Running 'install' action with timeout of 20s$/.test(c.message ?? '')), listed);
    // Recovered by an upgrade of the failed release.
    const upgraded = find('db', 'Ready', 'UpgradeSucceeded');
    assert.ok(upgraded, listed);
    assert.match(upgraded.message ?? '', new RegExp(`^Helm upgrade succeeded for release ${ns}/db\\.v\\d+ with chart demo@1\\.0\\.0$`));
    // The uninstall remediation between the two attempts, and the stall after them.
    assert.ok(find('db', 'Remediated', 'UninstallSucceeded'), listed);
    assert.equal(find('db', 'Stalled', 'RetriesExceeded')?.message, 'Failed to install after 2 attempt(s)');
    // A chart that cannot be had: the HelmRelease says SourceNotReady (a reason the model reads as its source's),
    // with a message about the HelmChart's generation that says nothing of why: the HelmChart's own message does.
    for (const name of ['ghost', 'stranded']) {
      const said = conditions.filter((c) => c.object === name && c.type === 'Ready' && c.status === 'False');
      assert.ok(said.length, listed);
      for (const c of said) {
        assert.equal(c.reason, 'SourceNotReady', listed);
        assert.match(c.message ?? '', new RegExp(`^HelmChart '${ns}/${ns}-${name}' is not ready: `), listed);
      }
    }
    // source-controller on a version the index lacks: Stalled, InvalidChartReference; on a repository without an
    // artifact: NoSourceArtifact; the repository itself: Failed, `failed to fetch Helm repository index: ...`.
    assert.match(find(`HelmChart/${ns}-ghost`, 'Stalled', 'InvalidChartReference')?.message ?? '', /^invalid chart reference: .*no 'demo' chart with version matching '9\.9\.9' found$/, listed);
    assert.equal(find(`HelmChart/${ns}-stranded`, 'Ready', 'NoSourceArtifact')?.message, "no artifact available for HelmRepository source 'offline'", listed);
    assert.match(find('HelmRepository/offline', 'Ready', 'Failed')?.message ?? '', /^failed to fetch Helm repository index: .*connection refused$/, listed);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
