// The test cluster holds Flux objects as a real one does: CRDs served, status only through the subresource,
// RBAC enforced per user, and Flux's own CLI reads what we wrote.
import assert from 'node:assert/strict';
import {
  apiErrorCode, clients, createFlux, freshNamespace, getFlux, helmReleases, kustomizations, runBinary, untilAllowed, writeStatus,
} from '../support/testenv.ts';
import { helmReleaseInstalled, kustomizationDependencyNotReady, kustomizationHealthCheckFailed } from '../support/flux-status.ts';

const ksSpec = (path: string, dependsOn: string[] = []) => ({
  interval: '1m',
  path,
  prune: true,
  sourceRef: { kind: 'GitRepository', name: 'fleet' },
  ...(dependsOn.length ? { dependsOn: dependsOn.map((name) => ({ name })) } : {}),
});

describe('Flux objects on the test cluster', () => {
  let ns: string;
  before(async () => {
    ns = await freshNamespace('flux');
  });

  it('drops status on create and keeps the controllers’ status written through the subresource', async () => {
    const created = await createFlux(kustomizations, ns, {
      metadata: { name: 'infra' },
      spec: { ...ksSpec('./infra'), wait: true, timeout: '1m' },
      status: { observedGeneration: 7 },
    });
    // What we sent is dropped; only the CRD's default ("not reconciled yet") remains.
    assert.deepEqual(created.status, { observedGeneration: -1 });

    const status = kustomizationHealthCheckFailed();
    await writeStatus(kustomizations, ns, 'infra', status);
    const read = await getFlux(kustomizations, ns, 'infra');
    // Equal after a round trip: every field we write exists in the CRD's schema (unknown ones would be pruned).
    assert.deepEqual(read.status, status);
    assert.deepEqual((read.spec as { wait: boolean }).wait, true);
  });

  it('stores a HelmRelease status with helm-controller’s fields', async () => {
    await createFlux(helmReleases, ns, {
      metadata: { name: 'podinfo' },
      spec: { interval: '5m', chart: { spec: { chart: 'podinfo', sourceRef: { kind: 'HelmRepository', name: 'podinfo' } } } },
    });
    const status = helmReleaseInstalled(ns, 'podinfo');
    await writeStatus(helmReleases, ns, 'podinfo', status);
    assert.deepEqual((await getFlux(helmReleases, ns, 'podinfo')).status, status);
  });

  it('lists them with the flux CLI as a real cluster would', async () => {
    await createFlux(kustomizations, ns, { metadata: { name: 'app' }, spec: ksSpec('./app', ['infra']) });
    await writeStatus(kustomizations, ns, 'app', kustomizationDependencyNotReady(`${ns}/infra`));

    const { stdout } = await runBinary('flux', ['get', 'kustomizations', '-A']);
    // NAMESPACE NAME REVISION SUSPENDED READY MESSAGE, tab-separated
    const rows = stdout.split('\n').filter((line) => line.startsWith(ns)).map((line) => line.split('\t').map((c) => c.trim()));
    assert.deepEqual(
      rows.map(([, name, revision, suspended, ready, message]) => [name, revision, suspended, ready, message]).sort(),
      [
        ['app', 'main@sha1:6e23072f', 'False', 'False', `dependency '${ns}/infra' is not ready`],
        ['infra', 'main@sha1:6e23072f', 'False', 'False', "health check failed after 1m0.021654796s: timeout waiting for: [Deployment/demo/db status: 'InProgress']"],
      ],
    );

    const hr = await runBinary('flux', ['get', 'helmreleases', '-n', ns]);
    assert.match(hr.stdout, /podinfo\s+6\.5\.4\s+False\s+True\s+Helm install succeeded/);
  });

  it('forbids the viewer everything until a RoleBinding grants it one namespace, then only that one', async () => {
    const other = await freshNamespace('other');
    const viewer = clients('viewer').custom;
    const list = (namespace: string) => viewer.listNamespacedCustomObject({ ...kustomizations, namespace });

    assert.equal(await apiErrorCode(list(ns)), 403);

    const { rbac } = clients();
    await rbac.createNamespacedRole({
      namespace: ns,
      body: {
        metadata: { name: 'flux-viewer' },
        rules: [{ apiGroups: ['kustomize.toolkit.fluxcd.io', 'helm.toolkit.fluxcd.io'], resources: ['*'], verbs: ['get', 'list', 'watch'] }],
      },
    });
    await rbac.createNamespacedRoleBinding({
      namespace: ns,
      body: {
        metadata: { name: 'flux-viewer' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'flux-viewer' },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'viewer' }],
      },
    });
    // In force once the API server's RBAC informers have the binding: a moment after the create returns.
    await untilAllowed('viewer', ns, kustomizations.group, kustomizations.plural);

    const names = ((await list(ns)) as { items: Array<{ metadata: { name: string } }> }).items.map((i) => i.metadata.name);
    assert.deepEqual(names.sort(), ['app', 'infra']);
    assert.equal(await apiErrorCode(list(other)), 403);
    assert.equal(await apiErrorCode(viewer.listClusterCustomObject(kustomizations)), 403);
  });
});
