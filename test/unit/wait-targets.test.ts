// What a Kustomization with wait: true waits on, as kustomize-controller decides it: what it applied, not itself,
// not what labels or annotations exclude from applying (fluxcd/pkg ssa shouldSkipApply).
import assert from 'node:assert/strict';
import { findUnhealthy } from '../../src/model/health-checks.ts';
import type { KubeObject } from '../../src/model/objects.ts';
import { buildWorld } from '../../src/model/world.ts';

const stuck = (name: string, marks: { labels?: Record<string, string>; annotations?: Record<string, string> } = {}): KubeObject => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'demo', generation: 1, ...marks },
  spec: { replicas: 1 }, status: { observedGeneration: 1, replicas: 1, updatedReplicas: 1, availableReplicas: 0 },
});
const names = ['plain', 'reconcile-disabled', 'ssa-ignore', 'ssa-if-not-present'];
const ks: KubeObject = {
  apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: 'apps', namespace: 'flux-system' },
  spec: { wait: true },
  status: { inventory: { entries: [...names.map((n) => ({ id: `demo_${n}_apps_Deployment`, v: 'v1' })), { id: 'flux-system_apps_kustomize.toolkit.fluxcd.io_Kustomization', v: 'v1' }] } },
};

describe('wait: true targets', () => {
  it('skip the Kustomization itself and objects marked not to be applied, by label or annotation', () => {
    const world = buildWorld([ks, stuck('plain'),
      stuck('reconcile-disabled', { annotations: { 'kustomize.toolkit.fluxcd.io/reconcile': 'disabled' } }),
      stuck('ssa-ignore', { labels: { 'kustomize.toolkit.fluxcd.io/ssa': 'Ignore' } }),
      stuck('ssa-if-not-present', { annotations: { 'kustomize.toolkit.fluxcd.io/ssa': 'IfNotPresent' } }),
    ], { defaultNamespace: 'flux-system', now: new Date('2026-11-22T10:15:00Z') });
    assert.deepEqual(findUnhealthy(world, ks, 'flux-system', '').objects.map((o) => o.id), ['Deployment/demo/plain']);
  });
});
