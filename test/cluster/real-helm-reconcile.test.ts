// flux-deps reconciling and waiting on the real helm-controller and source-controller (testenv's flux profile):
// exact chart versions, a failed upgrade rolled back, a chain of HelmReleases brought up in order, and
// `reconcile --with-source` and `--force` (test/support/helm-fixtures.ts sets up the charts and the releases).
import assert from 'node:assert/strict';
import type { KubeObject } from '../../src/model/objects.ts';
import { createAll } from '../support/apply.ts';
import { deploymentChart, type ChartRepo } from '../support/chart-repo.ts';
import { conditionOf } from '../support/conditions.ts';
import { helmCharts, helmRepositories, startHelmFixture, type HelmFixture, type ReleaseSpec } from '../support/helm-fixtures.ts';
import { start } from '../support/process.ts';
import { getFlux, helmReleases } from '../support/testenv.ts';

describe('reconciling on the real helm-controller (flux profile)', function () {
  this.timeout(240_000);
  let f: HelmFixture;
  let ns: string;
  let repo: ChartRepo;
  const helmRelease = (name: string, spec: ReleaseSpec) => f.helmRelease(name, spec);
  const patchValues = (name: string, image: string) => f.patchValues(name, image);
  const logs = () => f.logs();

  before(async () => {
    f = await startHelmFixture('real-helm-reconcile', { record: false });
    ({ ns, repo } = f);
  });

  after(async () => {
    await f?.close();
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
});
