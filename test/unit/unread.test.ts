// What could not be read, and why: every message says the true reason (forbidden, a kind the cluster does not
// serve, an API that did not answer), absence is claimed only where it is known, and the named object's exit code
// follows CONTRACT.md (3 not found, not served included; 4 not readable).
import assert from 'node:assert/strict';
import { ClusterError, NotFoundError } from '../../src/errors.ts';
import { explain } from '../../src/model/blockers.ts';
import { buildGraph } from '../../src/model/graph.ts';
import type { KubeObject } from '../../src/model/objects.ts';
import { chooseTargets } from '../../src/model/targets.ts';
import { buildTreeView, type TreeOptions } from '../../src/model/tree-view.ts';
import { cannotRead, missingObjectError, unreadFromKey, type Unread, type UnreadReason } from '../../src/model/unread.ts';
import { buildWorld } from '../../src/model/world.ts';
import { FileReader } from '../../src/read/file-reader.ts';
import { readObjects } from '../../src/read/gather.ts';
import type { ListQuery, ListResult, Reader } from '../../src/read/reader.ts';
import { artifact, git, hr, ks } from '../support/fixtures.ts';

const now = new Date('2026-11-22T10:15:00Z');
const HR = 'helm.toolkit.fluxcd.io/v2';
const KS = 'kustomize.toolkit.fluxcd.io/v1';
const unread = (key: string, reason: UnreadReason, apiVersion: string): Unread => unreadFromKey(key, reason, apiVersion);
const helmNotServed = unread('HelmRelease/apps', 'notServed', HR);
const notServedWords = `the server doesn't have a resource type "helmreleases" (${HR} is not served by this cluster)`;
const options: TreeOptions = { namespace: 'flux-system', allNamespaces: false, direction: 'upstream', inventory: true };

describe('what could not be read, and why', () => {
  it('names a dependency that could not be read by the true reason, and one of a kind not served as missing', () => {
    const objects = [ks('apps').dependsOn('team/infra', { apiVersion: HR, kind: 'HelmRelease', name: 'redis', namespace: 'apps' }, { apiVersion: 'example.com/v1', kind: 'Widget', name: 'gate', namespace: 'apps' }).build()];
    const g = buildGraph(objects, 'flux-system', [unread('Kustomization/team', 'forbidden', KS), helmNotServed, unread('Widget/apps', 'unavailable', 'example.com/v1')]);
    const node = (id: string) => {
      const n = g.nodes.get(id);
      return [n?.found, n?.ready, n?.reason, n?.message];
    };
    assert.deepEqual(node('Kustomization/team/infra'), [false, 'Unknown', 'Forbidden', 'cannot read Kustomizations in namespace team (forbidden)']);
    assert.deepEqual(node('HelmRelease/apps/redis'), [false, 'Unknown', 'NotFound', `HelmRelease apps/redis not found: ${notServedWords}`]);
    assert.deepEqual(node('Widget/apps/gate'), [false, 'Unknown', 'Unavailable', 'cannot read Widgets in namespace apps (example.com/v1 is unavailable)']);
  });

  it('explains a dependency not read by its reason, and one not served as the missing dependency it is', () => {
    const objects = [artifact(git('flux-system')).build(), ks('apps').source('GitRepository', 'flux-system').dependsOn('team/infra', { apiVersion: HR, kind: 'HelmRelease', name: 'redis', namespace: 'apps' })
      .notReady('DependencyNotReady', "dependency 'team/infra' is not ready").build()];
    const u = [unread('Kustomization/team', 'forbidden', KS), helmNotServed];
    const e = explain(buildGraph(objects, 'flux-system', u), buildWorld(objects, { defaultNamespace: 'flux-system', now, unread: u }), 'Kustomization/flux-system/apps');
    assert.deepEqual(e.rootCauses.map((c) => [c.object, c.reason, c.message]), [
      ['HelmRelease/apps/redis', 'NotFound', `HelmRelease apps/redis not found: ${notServedWords} (a dependency of Kustomization/flux-system/apps)`],
      ['Kustomization/team/infra', 'NotFound', 'cannot read Kustomizations in namespace team (forbidden)'],
    ]);
  });

  it('gives the named object exit 3 when it is missing or its kind not served, 4 when it could not be read', () => {
    const ref = { kind: 'HelmRelease', namespace: 'apps', name: 'web' };
    const cases: Array<[Unread[], typeof NotFoundError | typeof ClusterError, string]> = [
      [[], NotFoundError, 'HelmRelease apps/web not found'],
      [[helmNotServed], NotFoundError, `HelmRelease apps/web not found: ${notServedWords}`],
      // A LIST across namespaces that was refused covers every namespace.
      [[unread('HelmRelease/', 'forbidden', HR)], ClusterError, 'cannot read HelmReleases in any namespace (forbidden)'],
      [[unread('HelmRelease/apps', 'forbidden', HR)], ClusterError, 'cannot read HelmReleases in namespace apps (forbidden)'],
      [[unread('HelmRelease/apps', 'unrecorded', HR)], ClusterError, 'cannot read HelmReleases in namespace apps (the snapshot could not read them)'],
      // Another namespace's trouble is not this one's.
      [[unread('HelmRelease/team', 'forbidden', HR)], NotFoundError, 'HelmRelease apps/web not found'],
    ];
    for (const [u, type, message] of cases) {
      const err = missingObjectError(ref, u);
      assert.ok(err instanceof type, `${message}: ${err.constructor.name}`);
      assert.equal(err.message, message);
      assert.equal(err.exitCode, type === NotFoundError ? 3 : 4);
    }
  });

  it('throws the same errors for a REF of tree, wait-for and reconcile', () => {
    const objects = [ks('infra').build()];
    const view = (u: Unread[]) => () => buildTreeView(objects, { ...options, ref: { kind: 'HelmRelease', namespace: 'apps', name: 'web' }, unreadable: u }, now);
    assert.throws(view([helmNotServed]), (e: Error) => e instanceof NotFoundError && e.message === `HelmRelease apps/web not found: ${notServedWords}`);
    assert.throws(view([unread('HelmRelease/apps', 'forbidden', HR)]), (e: Error) => e instanceof ClusterError && e.message === 'cannot read HelmReleases in namespace apps (forbidden)');
    const choose = (u: Unread[], refs = [{ kind: 'HelmRelease', namespace: 'apps', name: 'web' }]) => () =>
      chooseTargets(buildGraph(objects, 'flux-system', u), { refs, all: false, namespace: 'flux-system', allNamespaces: false, withUpstream: false });
    assert.throws(choose([unread('HelmRelease/apps', 'forbidden', HR)]), (e: Error) => e instanceof ClusterError && e.message === 'cannot read HelmReleases in namespace apps (forbidden)');
    assert.throws(choose([helmNotServed], [{ kind: 'Kustomization', namespace: 'flux-system', name: 'nope' }, { kind: 'HelmRelease', namespace: 'apps', name: 'web' }]),
      (e: Error) => e instanceof NotFoundError && e.message === `Kustomization flux-system/nope not found; HelmRelease apps/web not found: ${notServedWords}`);
  });

  it('shows an inventory object it could not read as Unknown with why, and one of a kind not served as NotFound', () => {
    const apps = ks('apps').ready().inventory('apps_gate_example.com_Widget', 'apps_web_apps_Deployment', 'apps_cfg__ConfigMap', 'apps_old_gone.example.com_Gadget').build();
    const u = [unread('Widget/apps', 'unavailable', 'example.com/v1'), unread('Deployment/apps', 'forbidden', 'apps/v1'), unread('Gadget/apps', 'notServed', 'gone.example.com/v1')];
    const v = buildTreeView([apps], { ...options, unreadable: u }, now);
    assert.deepEqual(v.inventory?.get('Kustomization/flux-system/apps')?.map((i) => [i.ref.id, i.status, i.message]), [
      ['Widget/apps/gate', 'Unknown', 'cannot read Widgets in namespace apps (example.com/v1 is unavailable)'],
      ['Deployment/apps/web', 'Unknown', 'cannot read Deployments in namespace apps (forbidden)'],
      ['ConfigMap/apps/cfg', 'NotFound', 'not found'],
      ['Gadget/apps/old', 'NotFound', 'not found: no matches for kind "Gadget" in version "gone.example.com/v1" (not served by this cluster)'],
    ]);
  });

  it('judges health checks it could not read from the controller’s message, saying why; one not served is missing', () => {
    const infra = ks('infra').source('GitRepository', 'flux-system').set('spec.wait', true)
      .notReady('HealthCheckFailed', "health check failed after 1m0s: timeout waiting for: [Widget/apps/gate status: 'InProgress']")
      .inventory('apps_gate_example.com_Widget', 'apps_old_gone.example.com_Gadget').build();
    const objects = [artifact(git('flux-system')).build(), infra];
    const u = [unread('Widget/apps', 'unavailable', 'example.com/v1'), unread('Gadget/apps', 'notServed', 'gone.example.com/v1')];
    const e = explain(buildGraph(objects, 'flux-system', u), buildWorld(objects, { defaultNamespace: 'flux-system', now, unread: u }), 'Kustomization/flux-system/infra');
    const c = e.rootCauses[0];
    assert.equal(c?.source, 'controller message');
    assert.deepEqual(c?.objects.map((o) => [o.id, o.status, o.message]), [
      ['Widget/apps/gate', 'InProgress', "status 'InProgress' according to the controller"],
      ['Gadget/apps/old', 'NotFound', 'not found: no matches for kind "Gadget" in version "gone.example.com/v1" (not served by this cluster)'],
    ]);
    assert.deepEqual(c?.notes, ["could not read Widgets in apps (example.com/v1 is unavailable): statuses are the controller's, details are not available"]);
  });

  it('keeps the reason and apiVersion of each list it could not make, and warns once for lists that failed alike', async () => {
    const down = "couldn't get resource list for example.com/v1: the server is currently unable to handle the request";
    const reader: Reader = {
      list: async (q: ListQuery): Promise<ListResult> => (q.kind === 'Widget' ? { items: [], unreadable: down, reason: 'unavailable' } : { items: [] }),
      namespaces: async () => [],
      close: () => {},
    };
    const refs = ['a', 'b'].map((namespace) => ({ apiVersion: 'example.com/v1', kind: 'Widget', namespace, name: 'gate' }));
    const got = await readObjects(reader, [...refs, { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'a', name: 'cfg' }]);
    assert.deepEqual(got.warnings, [down]);
    assert.deepEqual(got.unreadable, [unread('Widget/a', 'unavailable', 'example.com/v1'), unread('Widget/b', 'unavailable', 'example.com/v1')]);
  });

  it('says nothing of a kind whose whole API group is absent, yet still knows nothing of it exists', async () => {
    const absent = "the server doesn't have a resource type \"helmreleases\" (helm.toolkit.fluxcd.io/v2 is not served by this cluster)";
    const reader = (reason: UnreadReason): Reader => ({
      list: async (q: ListQuery): Promise<ListResult> => (q.kind === 'HelmRelease' ? { items: [], unreadable: absent, reason } : { items: [] }),
      namespaces: async () => [],
      close: () => {},
    });
    const ref = { apiVersion: HR, kind: 'HelmRelease', namespace: 'apps', name: 'web' };
    const quiet = await readObjects(reader('notInstalled'), [ref]);
    assert.deepEqual(quiet.warnings, []);
    assert.deepEqual(quiet.unreadable, [unread('HelmRelease/apps', 'notInstalled', HR)]);
    assert.deepEqual((await readObjects(reader('notServed'), [ref])).warnings, [absent], 'a group served at another version warns');
    const named = missingObjectError({ kind: 'HelmRelease', namespace: 'apps', name: 'web' }, [unread('HelmRelease/apps', 'notInstalled', HR)]);
    assert.ok(named instanceof NotFoundError);
    assert.equal(named.message, `HelmRelease apps/web not found: ${notServedWords}`);
  });

  it('replays a snapshot’s reasons, and an older snapshot’s lists without one as unrecorded', async () => {
    const info = (extra: Record<string, unknown>): KubeObject => ({ apiVersion: 'flux-deps.io/v1', kind: 'SnapshotInfo', metadata: { name: 'flux-deps-snapshot' }, unreadable: ['HelmRelease/apps', 'Widget/apps'], ...extra });
    const list = (o: KubeObject, kind: string, apiVersion: string) => new FileReader([{ objects: () => [o, hr('web').ns('apps').build()] }], 'flux-system').list({ apiVersion, kind, namespace: 'apps' });
    const recorded = info({ reasons: { 'HelmRelease/apps': 'notServed', 'Widget/apps': 'unavailable' } });
    assert.deepEqual(await list(recorded, 'Widget', 'example.com/v1'), { items: [], unreadable: 'the snapshot could not read Widget objects in apps (its API was unavailable)', reason: 'unavailable' });
    assert.equal((await list(recorded, 'HelmRelease', HR)).reason, 'notServed');
    assert.deepEqual(await list(info({}), 'Widget', 'example.com/v1'), { items: [], unreadable: 'the snapshot could not read Widget objects in apps', reason: 'unrecorded' });
    assert.equal(cannotRead(unread('Widget/apps', 'unrecorded', 'example.com/v1')), 'cannot read Widgets in namespace apps (the snapshot could not read them)');
  });
});
