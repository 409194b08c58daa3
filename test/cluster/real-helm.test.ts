// flux-deps against the real helm-controller and source-controller (testenv's flux profile): charts from a chart
// repository on 127.0.0.1 (test/support/chart-repo.ts), installed onto the kwok nodes. Each HelmRelease carries
// the controllers' label on itself and on `spec.chart.metadata.labels`, which helm-controller copies onto the
// HelmChart it creates, so that source-controller (one label selector) builds that chart too. Timeouts are short
// (install/upgrade 20s, one retry) so that failures end within a minute. Then a drift guard: the messages the
// controller wrote in these runs have the shapes the model and the hand-written statuses assume.
import assert from 'node:assert/strict';
import { parseHealthMessage } from '../../src/model/health-checks.ts';
import { releaseOf } from '../../src/model/helm-release.ts';
import type { KubeObject } from '../../src/model/objects.ts';
import { createAll } from '../support/apply.ts';
import { deploymentChart, startChartRepo, type ChartRepo } from '../support/chart-repo.ts';
import { conditionOf, type Condition } from '../support/conditions.ts';
import { controllerLabel, controllerLog, owned } from '../support/flux-controllers.ts';
import { start } from '../support/process.ts';
import { eventually, freshNamespace, getFlux, helmReleases, runBinary, type FluxKind } from '../support/testenv.ts';

const helmCharts: FluxKind = { group: 'source.toolkit.fluxcd.io', version: 'v1', plural: 'helmcharts', kind: 'HelmChart' };
const helmRepositories: FluxKind = { group: 'source.toolkit.fluxcd.io', version: 'v1', plural: 'helmrepositories', kind: 'HelmRepository' };

describe('on the real helm-controller (flux profile)', function () {
  this.timeout(240_000);
  let ns: string;
  let repo: ChartRepo;
  // Every distinct condition the controllers wrote on the HelmReleases and HelmCharts, in order seen: the drift guard.
  const seen = new Map<string, Condition & { object: string }>();
  const watched: Array<[FluxKind, string]> = [];
  let polling: NodeJS.Timeout | undefined;
  const logs = async () => `\n--- helm-controller:\n${await controllerLog('helm-controller', 25)}\n--- source-controller:\n${await controllerLog('source-controller')}`;

  const helmRelease = (name: string, spec: { chart?: string; version: string; image?: string; repository?: string; dependsOn?: string[]; more?: Record<string, unknown> }) => {
    const { key, value } = controllerLabel();
    watched.push([helmReleases, name], [helmCharts, `${ns}-${name}`]);
    return {
      apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { ...owned(name), namespace: ns },
      spec: {
        interval: '10m',
        timeout: '20s',
        chart: {
          metadata: { labels: { [key]: value } },
          spec: { chart: spec.chart ?? 'demo', version: spec.version, sourceRef: { kind: 'HelmRepository', name: spec.repository ?? 'charts' }, interval: '10m' },
        },
        install: { remediation: { retries: 1 } },
        upgrade: { remediation: { retries: 1, strategy: 'rollback' } },
        ...(spec.image ? { values: { image: spec.image } } : {}),
        ...(spec.dependsOn ? { dependsOn: spec.dependsOn.map((n) => ({ name: n })) } : {}),
        ...spec.more,
      },
    };
  };
  const patchValues = (name: string, image: string) =>
    runBinary('kubectl', ['patch', '-n', ns, 'helmrelease', name, '--type', 'merge', '-p', JSON.stringify({ spec: { values: { image } } })]);

  before(async () => {
    controllerLabel();
    ns = await freshNamespace('real-helm');
    repo = await startChartRepo();
    for (const v of ['1.0.0', '1.1.0']) repo.publish(deploymentChart('demo', v));
    for (const v of ['6.5.1', '6.5.10']) repo.publish(deploymentChart('web', v));
    repo.publish(pooledChart('1.0.0'));
    repo.publish(deploymentChart('rolling', '1.0.0'));
    await createAll([
      { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'HelmRepository', metadata: { ...owned('charts'), namespace: ns }, spec: { interval: '10m', url: repo.url } },
    ]);
    watched.push([helmRepositories, 'charts']);
    polling = setInterval(() => void record(), 250);
  });

  after(async () => {
    clearInterval(polling);
    await repo?.close();
    if (ns) await runBinary('kubectl', ['label', 'node', '--all', `${poolLabel}-`]).catch(() => undefined);
  });

  // A chart whose pods need a node labelled for this namespace: unschedulable until the test labels one, a cause
  // fixed outside the HelmRelease (new values would reset the failure count by themselves).
  const poolLabel = 'flux-deps.test/pool';
  const pooledChart = (version: string) => {
    const chart = deploymentChart('pool', version);
    chart.templates['deployment.yaml'] = (chart.templates['deployment.yaml'] ?? '').replace('    spec:\n', `    spec:\n      nodeSelector: {${poolLabel}: {{ .Release.Namespace | quote }}}\n`);
    return chart;
  };

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

  it('wait-for --revision matches chart versions exactly: 6.5.1 is not 6.5.10', async () => {
    await createAll([helmRelease('pinned', { chart: 'web', version: '6.5.1' }), helmRelease('latest', { chart: 'web', version: '6.5.x' })]);
    const pinned = await start(['wait-for', 'hr/pinned', '-n', ns, '--revision', '6.5.1', '--timeout', '60s']).done;
    assert.equal(pinned.code, 0, pinned.stderr + (await logs()));
    const latest = await start(['wait-for', 'hr/latest', '-n', ns, '--revision', '6.5.10', '--timeout', '60s']).done;
    assert.equal(latest.code, 0, latest.stderr + (await logs()));
    // latest is Ready at 6.5.10: waiting for 6.5.1 there must not be satisfied by it (nor the reverse on pinned).
    const notThat = await start(['wait-for', 'hr/latest', '-n', ns, '--revision', '6.5.1', '--timeout', '4s']).done;
    assert.equal(notThat.code, 5, notThat.stderr);
    const norThis = await start(['wait-for', 'hr/pinned', '-n', ns, '--revision', '6.5.10', '--timeout', '4s']).done;
    assert.equal(norThis.code, 5, norThis.stderr);
    assert.equal(((await getFlux(helmReleases, ns, 'latest')) as KubeObject).status?.history?.[0]?.chartVersion, '6.5.10');
  });

  it('a chart version the repository lacks, a repository that does not answer: SourceNotReady with the source’s own message', async () => {
    await createAll([
      { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'HelmRepository', metadata: { ...owned('offline'), namespace: ns }, spec: { interval: '10m', timeout: '5s', url: 'http://127.0.0.1:9/charts' } },
      helmRelease('ghost', { version: '9.9.9' }),
      helmRelease('stranded', { version: '1.0.0', repository: 'offline' }),
    ]);
    watched.push([helmRepositories, 'offline']);
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

  it('an upgrade that fails and is rolled back: the failed upgrade and the rollback as the controller records them', async () => {
    await createAll([helmRelease('api', { version: '1.0.0', image: 'nginx:1.27' })]);
    const installed = await start(['wait-for', 'hr/api', '-n', ns, '--revision', '1.0.0', '--timeout', '60s']).done;
    assert.equal(installed.code, 0, installed.stderr + (await logs()));
    await patchValues('api', 'nginx:does-not-exist');
    // Upgrade, rollback, upgrade again, rollback (upgrade.remediation: retries 1, strategy rollback): then Stalled.
    const failing = await start(['wait-for', 'hr/api', '-n', ns, '--timeout', '150s']).done;
    assert.equal(failing.code, 1, failing.stderr + (await logs()));
    const api = (await getFlux(helmReleases, ns, 'api')) as KubeObject;
    const status = JSON.stringify(api.status, null, 2);
    assert.equal(conditionOf(api, 'Stalled')?.message, 'Failed to upgrade after 2 attempt(s)', status);
    const released = conditionOf(api, 'Released');
    assert.equal(released?.reason, 'UpgradeFailed', status);
    const remediated = conditionOf(api, 'Remediated');
    assert.equal(remediated?.reason, 'RollbackSucceeded', status);
    assert.match(remediated?.message ?? '', new RegExp(`^Helm rollback to previous release ${ns}/api\\.v\\d+ with chart demo@1\\.0\\.0 succeeded$`), status);
    // history: newest first, the rollback's release deployed on top of the failed upgrades.
    const history = (api.status?.history ?? []) as Array<{ version: number; status: string; chartVersion: string }>;
    assert.equal(history[0]?.status, 'deployed', status);
    assert.ok(history.some((h) => h.status === 'failed'), status);

    const why = await start(['why-blocked', 'hr/api', '-n', ns]).done;
    assert.equal(why.code, 1, why.stdout + why.stderr);
    assert.ok(why.stdout.includes(`HelmRelease/${ns}/api  ReconciliationFailed\n   UpgradeFailed: ${released?.message}`), why.stdout + status);
    const ready = conditionOf(api, 'Ready');
    if (ready?.reason !== 'UpgradeFailed') assert.ok(why.stdout.includes(`then ${ready?.reason}: ${ready?.message}`), why.stdout + status);
    assert.match(why.stdout, new RegExp(`flux reconcile helmrelease api -n ${ns} --reset`));
  });

  it('a chain of HelmReleases: the broken root stops it; fixed, reconcile LEAF --with-source --with-upstream brings it up in order', async () => {
    await createAll([
      helmRelease('root', { version: '1.0.0', image: 'nginx:does-not-exist' }),
      helmRelease('mid', { version: '1.0.0', dependsOn: ['root'] }),
      helmRelease('leaf', { version: '1.1.0', dependsOn: ['mid'] }),
    ]);
    const stopped = await start(['wait-for', 'hr/leaf', '-n', ns, '--with-upstream', '--fail-fast', '--timeout', '90s']).done;
    assert.equal(stopped.code, 1, stopped.stderr + (await logs()));
    assert.match(stopped.stderr, new RegExp(`✗ HelmRelease/${ns}/root failed`));
    const why = await start(['why-blocked', 'hr/leaf', '-n', ns]).done;
    assert.equal(why.code, 1, why.stdout + why.stderr);
    assert.match(why.stdout, new RegExp(`HelmRelease/${ns}/root {2}ReconciliationFailed\\n\\s+via: HelmRelease/${ns}/leaf → HelmRelease/${ns}/mid → HelmRelease/${ns}/root\\n\\s+InstallFailed: Helm install failed for release ${ns}/root with chart demo@1\\.0\\.0: `), why.stdout);
    const mid = (await getFlux(helmReleases, ns, 'mid')) as KubeObject;
    assert.equal(conditionOf(mid, 'Ready')?.reason, 'DependencyNotReady', JSON.stringify(mid.status));

    await patchValues('root', 'nginx:1.27');
    const up = await start(['reconcile', 'hr/leaf', '-n', ns, '--with-source', '--with-upstream', '--timeout', '150s']).done;
    assert.equal(up.code, 0, up.stderr + (await logs()));
    const order = ['root', 'mid', 'leaf'].map((n) => up.stderr.indexOf(`✔ HelmRelease/${ns}/${n} applied`));
    assert.ok(order.every((i) => i >= 0) && order[0]! < order[1]! && order[1]! < order[2]!, up.stderr);
    assert.match(up.stderr, new RegExp(`✔ HelmRelease/${ns}/leaf applied 1\\.1\\.0`));
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

  it('reconcile hr/x --with-source: the HelmRepository, then the HelmChart, then the release, each answering its request; --force upgrades at once', async () => {
    await createAll([helmRelease('rolling', { chart: 'rolling', version: '1.0.x' })]);
    const first = await start(['wait-for', 'hr/rolling', '-n', ns, '--revision', '1.0.0', '--timeout', '60s']).done;
    assert.equal(first.code, 0, first.stderr + (await logs()));
    // A new chart version: with a 10m interval only a reconcile of the repository sees it.
    repo.publish(deploymentChart('rolling', '1.0.1'));
    const up = await start(['reconcile', 'hr/rolling', '-n', ns, '--with-source', '--timeout', '90s']).done;
    assert.equal(up.code, 0, up.stderr + (await logs()));
    const lines = [
      `► annotating HelmRepository/${ns}/charts`, `✔ HelmRepository/${ns}/charts fetched`,
      `► annotating HelmChart/${ns}/${ns}-rolling`, `✔ HelmChart/${ns}/${ns}-rolling fetched 1.0.1`,
      `► annotating HelmRelease/${ns}/rolling`, `✔ HelmRelease/${ns}/rolling applied 1.0.1`,
    ].map((l) => up.stderr.indexOf(l));
    assert.ok(lines.every((at, i) => at >= 0 && (i === 0 || at > (lines[i - 1] as number))), up.stderr);
    for (const [kind, name] of [[helmRepositories, 'charts'], [helmCharts, `${ns}-rolling`]] as const) {
      const source = (await getFlux(kind, ns, name)) as KubeObject;
      const token = source.metadata?.annotations?.['reconcile.fluxcd.io/requestedAt'];
      assert.ok(token, `${name}: ${JSON.stringify(source.metadata)}`);
      assert.equal(source.status?.lastHandledReconcileAt, token, `${name}: ${JSON.stringify(source.status)}`);
    }
    const rolled = (await getFlux(helmReleases, ns, 'rolling')) as KubeObject;
    assert.equal(rolled.status?.history?.[0]?.chartVersion, '1.0.1');

    // --force: a one-off upgrade of a release already in sync, a new Helm revision.
    const version = Number(rolled.status?.history?.[0]?.version);
    const forced = await start(['reconcile', 'hr/rolling', '-n', ns, '--force', '--timeout', '60s']).done;
    assert.equal(forced.code, 0, forced.stderr + (await logs()));
    const after = (await getFlux(helmReleases, ns, 'rolling')) as KubeObject;
    assert.equal(after.status?.lastHandledForceAt, after.metadata?.annotations?.['reconcile.fluxcd.io/requestedAt'], JSON.stringify(after.status));
    assert.equal(after.status?.history?.[0]?.version, version + 1, JSON.stringify(after.status?.history));
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

  async function record(): Promise<void> {
    for (const [kind, name] of watched) {
      try {
        const obj = (await getFlux(kind, ns, name)) as KubeObject;
        const object = kind === helmCharts ? `HelmChart/${name}` : kind === helmRepositories ? `HelmRepository/${name}` : name;
        for (const c of (obj.status?.conditions ?? []) as Condition[]) {
          const key = `${object}|${c.type}|${c.status}|${c.reason}|${c.message}`;
          if (!seen.has(key)) seen.set(key, { object, type: c.type, status: c.status, reason: c.reason, message: c.message });
        }
      } catch {
        // not created yet, or a moment of API trouble: the next poll sees it
      }
    }
  }
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
