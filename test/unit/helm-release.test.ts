// A HelmRelease's own objects (found by Helm's and helm-controller's marks on them) and what reconcile
// --with-source reconciles before one, as flux reconcile helmrelease --with-source does.
import assert from 'node:assert/strict';
import { releaseObjectsWanted } from '../../src/model/health-checks.ts';
import { belongsTo, releaseObjects, releaseOf } from '../../src/model/helm-release.ts';
import { unreadFromKey, type Unread } from '../../src/model/unread.ts';
import { buildWorld } from '../../src/model/world.ts';
import type { KubeObject } from '../../src/model/objects.ts';
import { sourcePlan, type ReadLookup } from '../../src/model/targets.ts';
import { readObjects } from '../../src/read/gather.ts';
import type { Reader } from '../../src/read/reader.ts';
import { AT, git, hr, ks } from '../support/fixtures.ts';

const marked = (name: string, annotations: Record<string, string>, labels: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'apps', annotations, labels },
});

describe('a HelmRelease’s release', () => {
  it('is named as helm-controller names it: the recorded history first, else releaseName, else targetNamespace-name', () => {
    const owner = { namespace: 'flux-system', name: 'web' };
    assert.deepEqual(releaseOf(hr('web').build(), 'flux-system'), { owner, name: 'web', namespace: 'flux-system' });
    assert.deepEqual(releaseOf(hr('web').set('spec.targetNamespace', 'apps').build(), 'flux-system'), { owner, name: 'apps-web', namespace: 'apps' });
    assert.deepEqual(releaseOf(hr('web').set('spec.targetNamespace', 'apps').set('spec.releaseName', 'frontend').build(), 'flux-system'), { owner, name: 'frontend', namespace: 'apps' });
    // Names over 53 characters are shortened with a hash: the history has the name Helm used.
    const recorded = hr('web').set('spec.targetNamespace', 'apps').set('status.history', [{ name: 'apps-web-0123456789ab', namespace: 'apps', version: 2 }]).build();
    assert.deepEqual(releaseOf(recorded, 'flux-system'), { owner, name: 'apps-web-0123456789ab', namespace: 'apps' });
  });

  it('owns what carries its meta.helm.sh annotations or helm-controller’s origin labels, and nothing of another release', () => {
    const release = releaseOf(hr('web').set('spec.targetNamespace', 'apps').build(), 'flux-system');
    assert.equal(belongsTo(marked('a', { 'meta.helm.sh/release-name': 'apps-web', 'meta.helm.sh/release-namespace': 'apps' }), release), true);
    assert.equal(belongsTo(marked('b', {}, { 'helm.toolkit.fluxcd.io/name': 'web', 'helm.toolkit.fluxcd.io/namespace': 'flux-system' }), release), true);
    assert.equal(belongsTo(marked('c', { 'meta.helm.sh/release-name': 'apps-web', 'meta.helm.sh/release-namespace': 'other' }), release), false);
    assert.equal(belongsTo(marked('d', { 'meta.helm.sh/release-name': 'apps-api', 'meta.helm.sh/release-namespace': 'apps' }), release), false);
    assert.equal(belongsTo(marked('e', {}, { 'helm.toolkit.fluxcd.io/name': 'web', 'helm.toolkit.fluxcd.io/namespace': 'apps' }), release), false);
  });

  it('its objects are its inventory where helm-controller records one, else what carries its marks; unreadable kinds are said', () => {
    const mine = marked('web', { 'meta.helm.sh/release-name': 'web', 'meta.helm.sh/release-namespace': 'apps' });
    const other = marked('api', { 'meta.helm.sh/release-name': 'api', 'meta.helm.sh/release-namespace': 'apps' });
    const world = (unread: Unread[] = []) => buildWorld([mine, other], { defaultNamespace: 'flux-system', now: new Date(AT), unread });
    const web = hr('web').set('spec.targetNamespace', 'apps').set('spec.releaseName', 'web').build();
    assert.deepEqual(releaseObjects(world(), web, 'flux-system'), { targets: [{ id: 'Deployment/apps/web', kind: 'Deployment', namespace: 'apps' }], unreadable: [] });
    // without the kinds that have no status (nothing to wait on; Secrets are not listed for nothing)
    const inventoried = hr('web').set('status.inventory', { entries: [{ id: 'apps_db_apps_StatefulSet', v: 'v1' }, { id: 'apps_db__Service', v: 'v1' }, { id: 'apps_db__Secret', v: 'v1' }, { id: 'apps_db_rbac.authorization.k8s.io_Role', v: 'v1' }] }).build();
    assert.deepEqual(releaseObjects(world(), inventoried, 'flux-system').targets.map((t) => t.id), ['StatefulSet/apps/db', 'Service/apps/db']);
    assert.deepEqual(releaseObjects(world([unreadFromKey('Deployment/apps', 'forbidden', 'apps/v1')]), web, 'flux-system').unreadable, ['Deployments in apps (forbidden)']);
  });

  it('is read only for a release failing or in progress on its own account, whose messages name no objects', () => {
    const named = "Helm install failed for release apps/web with chart web@1.0.0: timeout waiting for: [Deployment/apps/web status: 'InProgress']";
    const cases: Array<[KubeObject, boolean]> = [
      [hr('web').notReady('InstallFailed', 'Helm install failed for release apps/web with chart web@1.0.0: context deadline exceeded').build(), true],
      [hr('web').progressing().build(), true],
      [hr('web').notReady('InstallFailed', named).build(), false],
      [hr('web').notReady('DependencyNotReady', "dependency 'flux-system/db' is not ready").build(), false],
      [hr('web').notReady('SourceNotReady', "HelmChart 'flux-system/flux-system-web' is not ready").build(), false],
      [hr('web').ready('Helm install succeeded').build(), false],
      [hr('web').build(), false],
      // after a rollback, the failed upgrade in Released names them
      [hr('web').notReady('RollbackSucceeded', 'Helm rollback to previous release apps/web.v1 succeeded').condition2('Released', 'False', 'UpgradeFailed', named).build(), false],
    ];
    for (const [obj, wanted] of cases) assert.equal(releaseObjectsWanted(obj), wanted, JSON.stringify(obj.status));
  });
});

describe('reconcile --with-source: the sources before each object', () => {
  const repo = (name: string, spec: Record<string, unknown> = {}): KubeObject => ({ apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'HelmRepository', metadata: { name, namespace: 'flux-system' }, spec: { url: 'https://charts', ...spec } });
  const chart = (name: string, sourceRef: Record<string, string>, namespace = 'flux-system'): KubeObject => ({ apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'HelmChart', metadata: { name, namespace }, spec: { chart: 'x', sourceRef } });
  const lookupOf = (...objs: KubeObject[]): ReadLookup => (id) => objs.find((o) => `${o.kind}/${o.metadata?.namespace}/${o.metadata?.name}` === id) ?? null;
  const ids = (plan: ReturnType<typeof sourcePlan>) => plan.stages.map((s) => s.map((t) => t.id));

  it('first asks to read what it must look at', () => {
    const plan = sourcePlan([hr('web').build()], () => undefined);
    assert.deepEqual(ids(plan), [[], []]);
    assert.deepEqual(plan.unread.map((r) => `${r.kind}/${r.namespace}/${r.name}`), ['HelmRepository/flux-system/charts', 'HelmChart/flux-system/flux-system-web']);
  });

  it('a chart template: its repository, then the HelmChart helm-controller made (<namespace>-<name>, in the repository’s namespace)', () => {
    const web = hr('web').ns('apps').set('spec.chart.spec.sourceRef', { kind: 'HelmRepository', name: 'charts', namespace: 'flux-system' }).build();
    const plan = sourcePlan([web], lookupOf(repo('charts'), chart('apps-web', { kind: 'HelmRepository', name: 'charts' })));
    assert.deepEqual(ids(plan), [['HelmRepository/flux-system/charts'], ['HelmChart/flux-system/apps-web']]);
    assert.deepEqual([plan.skipped, plan.unread, plan.suspended], [[], [], []]);
  });

  it('a chart from a GitRepository or Bucket; a chartRef OCIRepository; a chartRef HelmChart after its own source', () => {
    const fromGit = hr('a').set('spec.chart.spec.sourceRef', { kind: 'GitRepository', name: 'fleet' }).build();
    const oci = hr('b').set('spec.chartRef', { kind: 'OCIRepository', name: 'podinfo' }).build();
    const shared = hr('c').set('spec.chartRef', { kind: 'HelmChart', name: 'shared' }).build();
    const plan = sourcePlan([fromGit, oci, shared], lookupOf(git('fleet').build(), { kind: 'OCIRepository', metadata: { name: 'podinfo', namespace: 'flux-system' } }, repo('charts'), chart('shared', { kind: 'HelmRepository', name: 'charts' }), chart('flux-system-a', { kind: 'GitRepository', name: 'fleet' })));
    assert.deepEqual(ids(plan), [['GitRepository/flux-system/fleet', 'OCIRepository/flux-system/podinfo', 'HelmRepository/flux-system/charts'], ['HelmChart/flux-system/flux-system-a', 'HelmChart/flux-system/shared']]);
  });

  it('a Kustomization’s source, shared ones once; what cannot be reconciled is skipped, saying why; suspended ones are named', () => {
    const plan = sourcePlan(
      [ks('apps').build(), ks('infra').build(), ks('ext').source('ExternalArtifact', 'gen').build(), hr('oci').set('spec.chart.spec.sourceRef', { kind: 'HelmRepository', name: 'ghcr' }).build(), hr('gone').build()],
      lookupOf({ ...git('flux-system').build(), spec: { suspend: true } }, repo('ghcr', { type: 'oci' }), chart('flux-system-oci', { kind: 'HelmRepository', name: 'ghcr' }), repo('charts')),
    );
    assert.deepEqual(ids(plan), [['GitRepository/flux-system/flux-system', 'HelmRepository/flux-system/charts'], ['HelmChart/flux-system/flux-system-oci']]);
    assert.deepEqual(plan.suspended, ['GitRepository/flux-system/flux-system']);
    assert.deepEqual(plan.skipped, [
      'cannot reconcile source of kind ExternalArtifact (ExternalArtifact/flux-system/gen)',
      'HelmRepository/flux-system/ghcr is of type oci: source-controller does not reconcile it',
      'HelmChart/flux-system/flux-system-gone not found (helm-controller creates it when it reconciles the HelmRelease)',
    ]);
  });
});

describe('the read plan for a release’s objects', () => {
  it('shares one LIST per kind and namespace with the named objects, keeping what either wants once', async () => {
    const listed: string[] = [];
    const items = [marked('web', { 'meta.helm.sh/release-name': 'web', 'meta.helm.sh/release-namespace': 'apps' }), marked('api', {}), marked('db', {})];
    const reader: Reader = {
      list: async (q) => (listed.push(`${q.kind}/${q.namespace}`), { items: q.kind === 'Deployment' ? items : [] }),
      namespaces: async () => [],
      close: () => undefined,
    };
    const release = releaseOf(hr('web').set('spec.targetNamespace', 'apps').set('spec.releaseName', 'web').build(), 'flux-system');
    const got = await readObjects(reader, [{ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'apps', name: 'db' }, { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'apps', name: 'web' }], [
      { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'apps', keep: (o) => belongsTo(o, release) },
      { apiVersion: 'apps/v1', kind: 'StatefulSet', namespace: 'apps', keep: (o) => belongsTo(o, release) },
    ]);
    assert.deepEqual(listed, ['Deployment/apps', 'StatefulSet/apps']);
    assert.deepEqual(got.objects.map((o) => o.metadata?.name), ['web', 'db']);
  });
});
