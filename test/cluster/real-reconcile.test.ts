// reconcile on the real source- and kustomize-controller (testenv's flux profile): the most common path, which
// fooled flux-deps before. Two Kustomizations from one GitRepository, `second` dependsOn `first`, both Ready; a
// harmless commit; `reconcile second --with-source`: the new artifact makes `first` re-apply, so the controller
// first answers `second` with DependencyNotReady. That is a wait, not a failure: exit 0 at the new revision.
import assert from 'node:assert/strict';
import type { KubeObject } from '../../src/model/objects.ts';
import { createAll } from '../support/apply.ts';
import { controllerLabel, controllerLog, ownedGitRepository, ownedKustomization } from '../support/flux-controllers.ts';
import { gitRevision, startGitServer, type GitServer } from '../support/git-server.ts';
import { start } from '../support/process.ts';
import { auditEvents, clients, eventually, freshNamespace, getFlux, kustomizations } from '../support/testenv.ts';

const configMap = (ns: string, name: string, value: string) => `apiVersion: v1
kind: ConfigMap
metadata: {name: ${name}, namespace: ${ns}}
data: {value: "${value}"}
`;
// first health-checks a Deployment whose rollout takes a few seconds (minReadySeconds), so that it is still
// re-applying when second's request is handled: the controller's DependencyNotReady answer is then certain.
const deployment = (ns: string, value: string, image = 'nginx:1.27') => `apiVersion: apps/v1
kind: Deployment
metadata: {name: first, namespace: ${ns}}
spec:
  replicas: 1
  minReadySeconds: 4
  selector: {matchLabels: {app: first}}
  template:
    metadata: {labels: {app: first}, annotations: {value: "${value}"}}
    spec:
      containers: [{name: first, image: "${image}"}]
`;

describe('reconcile on the real kustomize- and source-controller (flux profile)', function () {
  this.timeout(180_000);
  let ns: string;
  let git: GitServer;
  const files = (value: string, image?: string) => ({ 'first/deploy.yaml': deployment(ns, value, image), 'second/cm.yaml': configMap(ns, 'second', value) });
  // The reconcile annotations (merge patches) the API server logged for one object since `from` (an index in the
  // log); the controllers' own patches (finalizers; they run as admin too) are told apart by their user agent.
  const patches = (resource: string, name: string, from: number) =>
    auditEvents().slice(from).filter((e) => e.verb === 'patch' && e.objectRef?.resource === resource && e.objectRef.namespace === ns && e.objectRef.name === name && !e.objectRef.subresource
      && !/^(kustomize|source|helm)-controller\//.test((e as { userAgent?: string }).userAgent ?? '')).length;
  const logs = async () => `\n--- source-controller:\n${await controllerLog('source-controller')}\n--- kustomize-controller:\n${await controllerLog('kustomize-controller')}`;

  before(async () => {
    controllerLabel();
    ns = await freshNamespace('real-reconcile');
    git = await startGitServer();
    const url = await git.createRepository('fleet');
    await git.commit('fleet', files('one'), { message: 'first and second' });
    const ks = (name: string, extra: Record<string, unknown>) => ownedKustomization(ns, name, {
      interval: '10m', timeout: '30s', prune: true, path: `./${name}`, sourceRef: { kind: 'GitRepository', name: 'fleet' }, ...extra,
    });
    await createAll([
      ownedGitRepository(ns, 'fleet', url),
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
    const logged = auditEvents().length;
    const r = await start(['reconcile', 'second', '-n', ns, '--with-source', '--timeout', '90s']).done;
    assert.equal(r.code, 0, r.stderr + (await logs()));
    const second = (await getFlux(kustomizations, ns, 'second')) as KubeObject;
    assert.equal(second.status?.lastAppliedRevision, gitRevision(sha));
    assert.match(r.stderr, new RegExp(`✔ Kustomization/${ns}/second applied ${gitRevision(sha).slice(0, 18)}`));
    assert.doesNotMatch(r.stderr, /reconciliation failed/);
    // The answer that fooled it: said as a wait, on what, then asked again once first was Ready at the commit.
    assert.match(r.stderr, new RegExp(`◎ Kustomization/${ns}/second: DependencyNotReady: waiting for dependency Kustomization/${ns}/first`));
    // Asked again once first was Ready at the commit, said so, in that order: the wait, the re-ask, the verdict.
    const lines = r.stderr.split('\n');
    const index = (pattern: RegExp) => lines.findIndex((l) => pattern.test(l));
    const waited = index(new RegExp(`^◎ Kustomization/${ns}/second: DependencyNotReady: waiting for dependency Kustomization/${ns}/first`));
    const reasked = index(new RegExp(`^► annotating Kustomization/${ns}/second again: its dependencies are ready$`));
    const applied = index(new RegExp(`^✔ Kustomization/${ns}/second applied`));
    assert.ok(waited >= 0 && waited < reasked && reasked < applied, r.stderr);
    // Each annotating line is one patch the API server saw, at most 1 + 3 re-asks; first and the source untouched
    // beyond what --with-source asks (no --with-upstream).
    const annotating = lines.filter((l) => l.startsWith(`► annotating Kustomization/${ns}/second`)).length;
    assert.equal(patches('kustomizations', 'second', logged), annotating, r.stderr);
    assert.ok(annotating >= 2 && annotating <= 4, r.stderr);
    assert.equal(patches('kustomizations', 'first', logged), 0);
    assert.equal(patches('gitrepositories', 'fleet', logged), 1);
  });

  it('reconcile --with-source on a failing health check: the verdict on the awaited revision, never a silent second timeout', async () => {
    const sha = await git.commit('fleet', files('three', 'nginx:does-not-exist'), { message: 'first on an image that cannot be pulled' });
    const logged = auditEvents().length;
    const r = await start(['reconcile', 'first', '-n', ns, '--with-source', '--timeout', '150s']).done;
    const answered = Date.now();
    // A verdict (1), not a timeout (5): the failed health check at the commit, with the Deployment and its pod.
    assert.equal(r.code, 1, r.stderr + (await logs()));
    assert.match(r.stderr, new RegExp(`✗ Kustomization/${ns}/first: HealthCheckFailed: health check failed after \\S+: timeout waiting for: \\[Deployment/${ns}/first status: 'InProgress'\\]`));
    assert.match(r.stderr, new RegExp(`Deployment/${ns}/first {2}InProgress[^\\n]*\\n\\s+pod first-\\S+: container first: ImagePullBackOff`));
    assert.equal(patches('kustomizations', 'first', logged), 1, 'asked once: a failure is not asked again');
    // The race: the new artifact may start an attempt before the annotation lands, and the request is then
    // answered only by the next one. If the controller failed the health check at this commit twice (its events
    // say), the first failure was said at once, once, before the answer: the second timeout was not waited out
    // in silence. The answer's own event is sent just before the status reconcile saw and written a moment later:
    // counted once it is there (stamped within seconds of the answer; an earlier attempt's failed a 30 s timeout
    // before), not after a guessed pause.
    const events = await eventually('the answer\'s HealthCheckFailed event', async () => {
      const { items } = await clients().core.listNamespacedEvent({ namespace: ns, fieldSelector: 'involvedObject.kind=Kustomization,involvedObject.name=first,reason=HealthCheckFailed' });
      return items.some((e) => new Date(e.lastTimestamp ?? e.eventTime ?? 0).getTime() >= answered - 10_000) ? items : undefined;
    });
    const attempts = events.reduce((n, e) => n + (e.count ?? 1), 0);
    const lines = r.stderr.split('\n');
    const early = lines.filter((l) => l.includes('an attempt at this revision that began before the request failed: health check failed'));
    const verdict = lines.findIndex((l) => l.startsWith(`✗ Kustomization/${ns}/first: HealthCheckFailed`));
    if (attempts > 1) {
      assert.equal(early.length, 1, `${attempts} failed attempts at the commit; the early one said ${early.length} times:\n${r.stderr}`);
      assert.ok(lines.indexOf(early[0] as string) < verdict, r.stderr);
    } else assert.equal(early.length, 0, r.stderr);
    assert.equal(((await getFlux(kustomizations, ns, 'first')) as KubeObject).status?.lastAttemptedRevision, gitRevision(sha));
  });
});
