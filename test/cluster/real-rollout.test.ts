// lint and timeline on a rollout the real kustomize- and source-controller (testenv's flux profile) made: a
// 3-level chain infra → middleware → app, each waiting on its Deployments (wait: true) on the kwok nodes, infra
// also applying a CRD and a custom resource of it. Then `snapshot`, and the same answers live and from it: lint's
// findings (its CRD rules from the real inventory), and a timeline whose levels, Ready times, requeues and
// critical path are what the controllers did. FLUX_DEPS_KEEP_SNAPSHOT=FILE keeps the snapshot (the golden
// fixture test/golden/timeline/real-rollout.yaml was taken so).
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LintFinding } from '../../src/model/lint/rules.ts';
import type { KubeObject } from '../../src/model/objects.ts';
import type { Timeline } from '../../src/model/timeline.ts';
import { createAll } from '../support/apply.ts';
import { controllerLabel, controllerLog, ownedGitRepository, ownedKustomization } from '../support/flux-controllers.ts';
import { deploymentManifest, startGitServer, type GitServer } from '../support/git-server.ts';
import { start } from '../support/process.ts';
import { clients, eventually, freshNamespace, getFlux, kustomizations } from '../support/testenv.ts';

const deployment = (ns: string, name: string, extra = '') => deploymentManifest(ns, name, 'nginx:1.27', extra);
const crd = (group: string) => `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.${group}}
spec:
  group: ${group}
  names: {kind: Widget, plural: widgets, singular: widget, listKind: WidgetList}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
`;
const widget = (ns: string, group: string) => `apiVersion: ${group}/v1
kind: Widget
metadata: {name: gear, namespace: ${ns}}
spec: {size: 3}
`;

describe('lint and timeline on a real rollout (real kustomize- and source-controller)', function () {
  this.timeout(240_000);
  let ns: string;
  let git: GitServer;
  let snapshot: string;
  const id = (name: string) => `Kustomization/${ns}/${name}`;

  before(async function () {
    this.timeout(200_000);
    controllerLabel();
    ns = await freshNamespace('rollout');
    git = await startGitServer();
    const group = `${ns}.flux-deps.test`;
    const url = await git.createRepository('fleet');
    await git.commit('fleet', {
      'infra/crd.yaml': crd(group),
      'infra/widget.yaml': widget(ns, group),
      // a deadline longer than infra's timeout: lint's timeout-too-short names it, read from the cluster
      'infra/db.yaml': deployment(ns, 'db', '\n  progressDeadlineSeconds: 120'),
      'middleware/cache.yaml': deployment(ns, 'cache'),
      'app/web.yaml': deployment(ns, 'web'),
    }, { message: 'a chain of three' });
    const ks = (name: string, dependsOn: string | undefined, prune: boolean) => ownedKustomization(ns, name, {
      interval: '10m', timeout: '1m', wait: true, prune, path: `./${name}`, sourceRef: { kind: 'GitRepository', name: 'fleet' },
      ...(dependsOn ? { dependsOn: [{ name: dependsOn }] } : {}),
    });
    await createAll([
      ownedGitRepository(ns, 'fleet', url),
      ks('infra', undefined, true), ks('middleware', 'infra', true), ks('app', 'middleware', false),
    ]);
    const rolled = await start(['wait-for', 'app', '-n', ns, '--with-upstream', '--timeout', '180s']).done;
    assert.equal(rolled.code, 0, `${rolled.stderr}\n--- kustomize-controller:\n${await controllerLog('kustomize-controller')}`);
    // The snapshot must hold what a later live read holds: app's "Reconciliation finished" event is sent after the
    // status wait-for saw, and written a moment later.
    await eventually('each Kustomization\'s "Reconciliation finished" event', async () => {
      const events = (await clients().core.listNamespacedEvent({ namespace: ns, fieldSelector: 'involvedObject.kind=Kustomization' })).items;
      const finished = (name: string) => events.some((e) => e.involvedObject.name === name && /^Reconciliation finished in /.test(e.message ?? ''));
      return ['infra', 'middleware', 'app'].every(finished) || undefined;
    });
    const taken = await start(['snapshot', '-n', ns]).done;
    assert.equal(taken.code, 0, taken.stderr);
    snapshot = join(mkdtempSync(join(tmpdir(), 'flux-deps-rollout-')), 'snapshot.yaml');
    writeFileSync(snapshot, taken.stdout);
    if (process.env.FLUX_DEPS_KEEP_SNAPSHOT) copyFileSync(snapshot, process.env.FLUX_DEPS_KEEP_SNAPSHOT);
  });

  after(async () => {
    await git?.close();
  });

  it('lint live gives the findings lint --from its snapshot gives, CRD rules from the real inventory included', async () => {
    const [live, offline, liveText, offlineText] = await Promise.all([
      start(['lint', '-n', ns, '-o', 'json']).done,
      start(['lint', '-n', ns, '-o', 'json', '--from', snapshot]).done,
      start(['lint', '-n', ns]).done,
      start(['lint', '-n', ns, '--from', snapshot]).done,
    ]);
    assert.equal(live.code, 0, live.stderr);
    assert.equal(offline.code, 0, offline.stderr);
    assert.equal(live.stderr, offline.stderr);
    const findings = JSON.parse(live.stdout) as LintFinding[];
    const fromSnapshot = JSON.parse(offline.stdout) as LintFinding[];
    // From a file each finding also says where its object is: in the snapshot.
    for (const f of fromSnapshot) assert.equal(f.location?.file, `file://${snapshot}`, JSON.stringify(f));
    assert.deepEqual(fromSnapshot.map(({ location: _, ...f }) => f), findings);
    assert.equal(offlineText.stdout, liveText.stdout);

    const fired = findings.map((f) => `${f.rule} ${f.object}`);
    assert.deepEqual(fired.sort(), [
      `crds-mixed ${id('infra')}`, `crds-pruned ${id('infra')}`, `prune-disabled ${id('app')}`,
      `timeout-too-short ${id('app')}`, `timeout-too-short ${id('infra')}`, `timeout-too-short ${id('middleware')}`,
    ].sort(), live.stdout);
    // The Deployment's own deadline, read from the cluster (and from the snapshot), not the default.
    assert.match(findings.find((f) => f.rule === 'timeout-too-short' && f.object === id('infra'))?.message ?? '', new RegExp(`Deployment/${ns}/db's progressDeadlineSeconds 120:`));
    assert.match(findings.find((f) => f.rule === 'crds-mixed')?.message ?? '', /Widget/);
  });

  it('timeline --from the snapshot: levels in order, each Ready after its dependency, requeues where they happened, the chain as critical path', async () => {
    const [offline, live] = await Promise.all([
      start(['timeline', '-n', ns, '-o', 'json', '--from', snapshot]).done,
      start(['timeline', '-n', ns, '-o', 'json']).done,
    ]);
    assert.equal(offline.code, 0, offline.stderr);
    assert.equal(live.stdout, offline.stdout, 'the same objects give the same timeline');
    const t = JSON.parse(offline.stdout) as Timeline;
    assert.deepEqual(t.entries.map((e) => [e.id, e.level, e.ready]), [[id('infra'), 0, true], [id('middleware'), 1, true], [id('app'), 2, true]], offline.stdout);
    assert.deepEqual(t.criticalPath, [`GitRepository/${ns}/fleet`, id('infra'), id('middleware'), id('app')]);

    const [infra, middleware, app] = t.entries as [Timeline['entries'][number], Timeline['entries'][number], Timeline['entries'][number]];
    const events = (await clients().core.listNamespacedEvent({ namespace: ns })).items;
    for (const [entry, dependency] of [[middleware, infra], [app, middleware]] as const) {
      assert.equal(entry.gate, dependency.id);
      assert.equal(entry.gateAt, dependency.readyAt);
      assert.ok(Date.parse(entry.startAt ?? '') >= Date.parse(dependency.readyAt ?? ''), `${entry.id} started before ${dependency.id} was Ready:\n${offline.stdout}`);
      // Nothing wakes a dependent when its dependency is Ready: it starts at its next 30 s dependency requeue.
      assert.ok((entry.waitedMs ?? -1) > 0 && (entry.waitedMs ?? 0) <= 31_000, `${entry.id} waited ${entry.waitedMs} ms`);
      assert.equal(entry.requeues, 1, offline.stdout);
      const name = entry.id.split('/')[2];
      const requeued = events.filter((e) => e.involvedObject.name === name && e.reason === 'DependencyNotReady').reduce((n, e) => n + (e.count ?? 1), 0);
      assert.ok(requeued >= (entry.requeues ?? 0), `${entry.id}: ${requeued} DependencyNotReady events, ${entry.requeues} requeues counted`);
    }
    // The source is picked up at once: no requeue.
    assert.equal(infra.gate, `GitRepository/${ns}/fleet`);
    assert.equal(infra.requeues, 0);
    // Each Ready is the reconciliation that made the Ready transition (no periodic reconcile yet at a 10m interval).
    // The timeline takes the earliest record of it: its "Reconciliation finished" event or history entry may be
    // stamped a second before the condition, as each is cut to whole seconds when it is written.
    for (const entry of t.entries) {
      const obj = (await getFlux(kustomizations, ns, entry.id.split('/')[2] as string)) as KubeObject;
      const ready = (obj.status?.conditions as Array<{ type: string; lastTransitionTime: string }>).find((c) => c.type === 'Ready');
      const early = Date.parse(ready?.lastTransitionTime ?? '') - Date.parse(entry.readyAt ?? '');
      assert.ok(early >= 0 && early <= 1_000, `${entry.id}: Ready at ${entry.readyAt}, its Ready transition at ${ready?.lastTransitionTime}`);
      assert.ok((entry.tookMs ?? 0) > 0, `${entry.id} took ${entry.tookMs} ms`);
    }
    assert.deepEqual(t.worstCase, { path: [id('infra'), id('middleware'), id('app')], timeoutMs: 180_000, requeuesMs: 60_000 });
  });
});
