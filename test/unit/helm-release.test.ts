// A HelmRelease's own objects, found by Helm's and helm-controller's marks on them.
import assert from 'node:assert/strict';
import { releaseObjectsWanted } from '../../src/model/health-checks.ts';
import { belongsTo, releaseOf } from '../../src/model/helm-release.ts';
import type { KubeObject } from '../../src/model/objects.ts';
import { hr } from '../support/fixtures.ts';

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
