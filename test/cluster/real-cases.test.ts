// The seed's troubleshooting cases on the real source- and kustomize-controller (testenv's flux profile): each
// case is set up at once in `before`, the controller left to give its own verdict, and flux-deps' why-blocked and
// tree compared with what the controller wrote. Plain ConfigMaps, no health checks: each verdict comes within
// seconds of the objects' creation (the revision lag after one commit).
import assert from 'node:assert/strict';
import type { KubeObject } from '../../src/model/objects.ts';
import { createAll } from '../support/apply.ts';
import { readyOf } from '../support/conditions.ts';
import { controllerLabel, controllerLog, ownedGitRepository, ownedKustomization, requestReconcile } from '../support/flux-controllers.ts';
import { gitRevision, startGitServer, type GitServer } from '../support/git-server.ts';
import { start } from '../support/process.ts';
import { eventually, freshNamespace, getFlux, gitRepositories, kustomizations, runBinary } from '../support/testenv.ts';

const configMap = (name: string) => `apiVersion: v1
kind: ConfigMap
metadata: {name: ${name}}
data: {a: b}
`;
// Every path a case applies: one ConfigMap each (the Kustomizations' targetNamespace puts them in place).
const paths = ['infra', 'apps', 'lagging', 'waiting', 'platform', 'team', 'guarded', 'impersonated'];
const files = (value = 'one') => Object.fromEntries(paths.map((p) => [`${p}/cm.yaml`, configMap(`${p}-${value}`)]));

describe('the seed’s troubleshooting cases on the real kustomize- and source-controller (flux profile)', function () {
  this.timeout(120_000);
  let a: string; // most cases
  let b: string; // the other side of a cross-namespace dependency
  let git: GitServer;
  let lagging: string; // the commit after the first, of the repository the revision-lag case reads
  const logs = async () => `\n--- kustomize-controller:\n${await controllerLog('kustomize-controller')}\n--- source-controller:\n${await controllerLog('source-controller', 5)}`;
  const ks = (ns: string, name: string, spec: Record<string, unknown> = {}) => ownedKustomization(ns, name, {
    interval: '10m', prune: true, path: `./${name}`, targetNamespace: ns, sourceRef: { kind: 'GitRepository', name: 'fleet' }, ...spec,
  });
  /** Until the controller has written a Ready condition matching `reason` (and message) on a Kustomization. */
  const verdict = (ns: string, name: string, reason: string, message?: RegExp) => eventually(`${ns}/${name} ${reason}`, async () => {
    const ready = readyOf((await getFlux(kustomizations, ns, name)) as KubeObject);
    return ready?.reason === reason && (!message || message.test(ready.message ?? '')) ? ready.message ?? '' : undefined;
  }, 60_000).catch(async (err: Error) => assert.fail(`${err.message}: ${JSON.stringify(readyOf((await getFlux(kustomizations, ns, name)) as KubeObject))}${await logs()}`));
  const why = async (ns: string, name: string) => {
    const r = await start(['why-blocked', name, '-n', ns]).done;
    assert.equal(r.code, 1, r.stdout + r.stderr);
    return r.stdout;
  };
  /**
   * why-blocked about a source that keeps failing: source-controller retries it with a growing backoff, and each
   * retry shows it Ready=Unknown (Progressing: building artifact) for a moment (a third of a second seen on a loaded
   * machine). An answer read then is right for that moment, not about the failure: asked again (a few times at
   * most) when that is what it read.
   */
  const whyBetweenRetries = async (ns: string, name: string) => {
    for (let asked = 1; ; asked++) {
      const out = await why(ns, name);
      if (!/Progressing: (building artifact|processing object)/.test(out) || asked === 5) return out;
      await new Promise((r) => setTimeout(r, 500));
    }
  };

  before(async () => {
    controllerLabel();
    a = await freshNamespace('real-cases');
    b = await freshNamespace('real-cases-b');
    git = await startGitServer();
    const url = await git.createRepository('fleet');
    await git.commit('fleet', files(), { message: 'every case' });
    const lagUrl = await git.createRepository('lag');
    await git.commit('lag', files(), { message: 'the first commit' });
    await createAll([
      ownedGitRepository(a, 'fleet', url),
      ownedGitRepository(b, 'fleet', url),
      ownedGitRepository(a, 'lag', lagUrl),
      ownedGitRepository(a, 'no-branch', url, 'no-such-branch'),
      ks(a, 'infra'),
      // a typo in dependsOn
      ks(a, 'apps', { dependsOn: [{ name: 'infrastucture' }] }),
      // a suspended upstream that never reconciled
      ks(a, 'paused', { suspend: true, path: './infra' }),
      ks(a, 'waiting', { dependsOn: [{ name: 'paused' }] }),
      // a failing GitRepository: a branch that does not exist
      ks(a, 'unfetched', { path: './apps', sourceRef: { kind: 'GitRepository', name: 'no-branch' } }),
      // a readyExpr that is false of a Ready dependency
      ks(a, 'guarded', { dependsOn: [{ name: 'infra', readyExpr: "dep.metadata.generation > 1" }] }),
      // a dependency in another namespace that fails (a path not in the repository)
      ks(b, 'platform', { path: './no-such-path' }),
      ks(a, 'team', { dependsOn: [{ name: 'platform', namespace: b }] }),
      // a serviceAccountName that does not exist (the controller runs without --default-service-account)
      ks(a, 'impersonated', { serviceAccountName: 'no-such-sa' }),
      // the same-source revision lag: base stays at the first commit (suspended once Ready), lagging follows the source
      ks(a, 'base', { path: './infra', sourceRef: { kind: 'GitRepository', name: 'lag' } }),
      ks(a, 'lagging', { dependsOn: [{ name: 'base' }], sourceRef: { kind: 'GitRepository', name: 'lag' } }),
    ]);
    await verdict(a, 'lagging', 'ReconciliationSucceeded');
    await runBinary('kubectl', ['patch', '-n', a, 'kustomization/base', '--type', 'merge', '-p', '{"spec":{"suspend":true}}']);
    lagging = await git.commit('lag', files('two'), { message: 'the second commit' });
    await requestReconcile('gitrepository', a, 'lag');
  });

  after(async () => {
    await git?.close();
  });

  it('a dependsOn typo: the controller says not found, why-blocked names the missing Kustomization and the entry', async () => {
    const said = await verdict(a, 'apps', 'DependencyNotReady');
    assert.equal(said, `dependency '${a}/infrastucture' not found: kustomizations.kustomize.toolkit.fluxcd.io "infrastucture" not found`);
    const out = await why(a, 'apps');
    assert.match(out, new RegExp(`^1\\. Kustomization/${a}/infrastucture {2}NotFound\\n {3}via: Kustomization/${a}/apps → Kustomization/${a}/infrastucture\\n`, 'm'));
    assert.match(out, new RegExp(`kubectl get kustomization apps -n ${a} -o jsonpath='\\{.spec.dependsOn\\}'`));
    const tree = await start(['tree', 'apps', '-n', a]).done;
    assert.match(tree.stdout, /✗ Kustomization\/infrastucture ◀ root cause +Unknown +NotFound/);
  });

  it('a suspended upstream that never reconciled: the controller says not ready, why-blocked says suspended and how to resume', async () => {
    assert.equal(await verdict(a, 'waiting', 'DependencyNotReady'), `dependency '${a}/paused' is not ready`);
    const out = await why(a, 'waiting');
    assert.match(out, new RegExp(`^1\\. Kustomization/${a}/paused {2}Suspended\\n`, 'm'));
    assert.match(out, new RegExp(`flux resume kustomization paused -n ${a}`));
  });

  it('a failing GitRepository (a missing branch): why-blocked names the source and what the source-controller said', async () => {
    const repoSaid = await eventually('no-branch failing', async () => {
      const ready = readyOf((await getFlux(gitRepositories, a, 'no-branch')) as KubeObject);
      return ready?.status === 'False' ? ready : undefined;
    });
    assert.match(repoSaid.message ?? '', /no-such-branch/);
    const ksSaid = readyOf((await getFlux(kustomizations, a, 'unfetched')) as KubeObject);
    const out = await whyBetweenRetries(a, 'unfetched');
    assert.match(out, new RegExp(`^1\\. GitRepository/${a}/no-branch {2}SourceNotReady\\n {3}via: Kustomization/${a}/unfetched → GitRepository/${a}/no-branch\\n`, 'm'), `${out}\nks: ${JSON.stringify(ksSaid)}`);
    assert.ok(out.includes(`${repoSaid.reason}: ${repoSaid.message}`), out);
  });

  it('a readyExpr false of a Ready dependency: the controller says so, why-blocked shows the expression and the value it read', async () => {
    assert.equal(await verdict(a, 'guarded', 'DependencyNotReady'), `dependency '${a}/infra' is not ready according to readyExpr eval`);
    const out = await why(a, 'guarded');
    assert.match(out, new RegExp(`^1\\. Kustomization/${a}/infra {2}ReadyExprFalse\\n`, 'm'));
    assert.match(out, /readyExpr of \S+ is false: dep\.metadata\.generation > 1\n\s+dep\.metadata\.generation = 1\n/);
  });

  it('a cross-namespace dependency: why-blocked follows it into the other namespace to the failure there', async () => {
    const failure = readyOf((await getFlux(kustomizations, b, 'platform').catch(() => ({}))) as KubeObject);
    assert.equal(await verdict(a, 'team', 'DependencyNotReady'), `dependency '${b}/platform' is not ready`);
    const platform = readyOf((await getFlux(kustomizations, b, 'platform')) as KubeObject);
    const out = await why(a, 'team');
    assert.match(out, new RegExp(`^1\\. Kustomization/${b}/platform {2}ReconciliationFailed\\n {3}via: Kustomization/${a}/team → Kustomization/${b}/platform\\n {3}${platform?.reason}: kustomization path not found`, 'm'), `${out}\n${JSON.stringify(failure)}`);
  });

  it('a serviceAccountName that does not exist: the controller is refused as it; why-blocked names the account', async () => {
    const said = await verdict(a, 'impersonated', 'ReconciliationFailed');
    assert.match(said, new RegExp(`User "system:serviceaccount:${a}:no-such-sa" cannot`));
    const out = await why(a, 'impersonated');
    assert.match(out, new RegExp(`^1\\. Kustomization/${a}/impersonated {2}ReconciliationFailed\\n`, 'm'));
    assert.match(out, new RegExp(`kustomize-controller acts as ServiceAccount ${a}/no-such-sa \\(spec.serviceAccountName\\)`));
    assert.match(out, new RegExp(`kubectl get serviceaccount no-such-sa -n ${a}`));
  });

  it('a same-source revision lag: the controller says not up to date, why-blocked says which revisions', async () => {
    assert.equal(await verdict(a, 'lagging', 'DependencyNotReady', /revision/), `dependency '${a}/base' revision is not up to date`);
    const out = await why(a, 'lagging');
    assert.match(out, new RegExp(`^1\\. Kustomization/${a}/base {2}Suspended\\n`, 'm'));
    assert.match(out, new RegExp(`but its source serves ${gitRevision(lagging).slice(0, 18)}`));
  });
});
