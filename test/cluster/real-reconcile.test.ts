// reconcile on the real source- and kustomize-controller (testenv's flux profile): the most common path, which
// fooled flux-deps before. Two Kustomizations from one GitRepository, `second` dependsOn `first`, both Ready; a
// harmless commit; `reconcile second --with-source`: the new artifact makes `first` re-apply, so the controller
// first answers `second` with DependencyNotReady. That is a wait, not a failure: exit 0 at the new revision.
import assert from 'node:assert/strict';
import type { KubeObject } from '../../src/model/objects.ts';
import { createAll } from '../support/apply.ts';
import { controllerLabel, controllerLog, owned } from '../support/flux-controllers.ts';
import { gitRevision, startGitServer, type GitServer } from '../support/git-server.ts';
import { start } from '../support/process.ts';
import { freshNamespace, getFlux, kustomizations } from '../support/testenv.ts';

const configMap = (ns: string, name: string, value: string) => `apiVersion: v1
kind: ConfigMap
metadata: {name: ${name}, namespace: ${ns}}
data: {value: "${value}"}
`;
// first health-checks a Deployment whose rollout takes a few seconds (minReadySeconds), so that it is still
// re-applying when second's request is handled: the controller's DependencyNotReady answer is then certain.
const deployment = (ns: string, value: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: first, namespace: ${ns}}
spec:
  replicas: 1
  minReadySeconds: 4
  selector: {matchLabels: {app: first}}
  template:
    metadata: {labels: {app: first}, annotations: {value: "${value}"}}
    spec:
      containers: [{name: first, image: "nginx:1.27"}]
`;

describe('reconcile on the real kustomize- and source-controller (flux profile)', function () {
  this.timeout(180_000);
  let ns: string;
  let git: GitServer;
  const files = (value: string) => ({ 'first/deploy.yaml': deployment(ns, value), 'second/cm.yaml': configMap(ns, 'second', value) });
  const logs = async () => `\n--- source-controller:\n${await controllerLog('source-controller')}\n--- kustomize-controller:\n${await controllerLog('kustomize-controller')}`;

  before(async () => {
    controllerLabel();
    ns = await freshNamespace('real-reconcile');
    git = await startGitServer();
    const url = await git.createRepository('fleet');
    await git.commit('fleet', files('one'), { message: 'first and second' });
    const ks = (name: string, extra: Record<string, unknown>) => ({
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { ...owned(name), namespace: ns },
      spec: { interval: '10m', timeout: '30s', prune: true, path: `./${name}`, sourceRef: { kind: 'GitRepository', name: 'fleet' }, ...extra },
    });
    await createAll([
      { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', metadata: { ...owned('fleet'), namespace: ns }, spec: { interval: '10m', url, ref: { branch: 'main' } } },
      ks('first', { wait: true }),
      ks('second', { dependsOn: [{ name: 'first' }] }),
    ]);
  });

  after(async () => {
    await git?.close();
  });

  it('brings a new chain up in order with --with-source --with-upstream, without the 30 s dependency requeue', async () => {
    const r = await start(['reconcile', 'second', '-n', ns, '--with-source', '--with-upstream', '--timeout', '90s']).done;
    assert.equal(r.code, 0, r.stderr + (await logs()));
    assert.match(r.stderr, new RegExp(`✔ Kustomization/${ns}/second applied main@sha1:`));
  });

  it('reconcile --with-source after a harmless commit: a dependency re-applying is a wait; exit 0 at the new revision', async () => {
    const sha = await git.commit('fleet', files('two'), { message: 'a harmless change' });
    const r = await start(['reconcile', 'second', '-n', ns, '--with-source', '--timeout', '90s']).done;
    assert.equal(r.code, 0, r.stderr + (await logs()));
    const second = (await getFlux(kustomizations, ns, 'second')) as KubeObject;
    assert.equal(second.status?.lastAppliedRevision, gitRevision(sha));
    assert.match(r.stderr, new RegExp(`✔ Kustomization/${ns}/second applied ${gitRevision(sha).slice(0, 18)}`));
    assert.doesNotMatch(r.stderr, /reconciliation failed/);
    // The answer that fooled it: said as a wait, on what, then asked again once first was Ready at the commit.
    assert.match(r.stderr, new RegExp(`◎ Kustomization/${ns}/second: DependencyNotReady: waiting for dependency Kustomization/${ns}/first`));
  });
});
