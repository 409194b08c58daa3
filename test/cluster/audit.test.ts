// The API server's audit log records who issued which verb: later tests use it to prove that read commands
// only get, list and watch.
import assert from 'node:assert/strict';
import { apiErrorCode, auditEvents, clients, createFlux, freshNamespace, kustomizations, writeStatus } from '../support/testenv.ts';
import { kustomizationDependencyNotReady } from '../support/flux-status.ts';

describe('audit log', () => {
  it('records the verbs issued, by user, resource and subresource', async () => {
    const ns = await freshNamespace('audit');
    await createFlux(kustomizations, ns, {
      metadata: { name: 'app' },
      spec: { interval: '1m', path: './app', prune: true, sourceRef: { kind: 'GitRepository', name: 'fleet' } },
    });
    await writeStatus(kustomizations, ns, 'app', kustomizationDependencyNotReady(`${ns}/infra`));
    await apiErrorCode(clients('viewer').custom.listNamespacedCustomObject({ ...kustomizations, namespace: ns }));

    const mine = auditEvents().filter((e) => e.objectRef?.namespace === ns && e.objectRef.resource === 'kustomizations');
    const seen = mine.map((e) => `${e.user.username} ${e.verb} ${e.objectRef?.subresource ?? ''} ${e.responseStatus?.code}`.replace('  ', ' '));
    assert.deepEqual(seen, [
      'admin create 201',
      'admin get 200',
      'admin update status 200',
      'viewer list 403',
    ]);
  });
});
