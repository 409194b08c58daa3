// The objects make bench measures on, made from nothing (no cluster needed to make them): bench-tree.ts seeds a
// cluster with them, bench-picture.ts draws them from a file.
import type { KubeObject } from '../src/model/objects.ts';

export const REV = 'main@sha1:1818d77d2d502ad9547bcc732a2b2c39d7e5eba5';
export const AT = '2026-11-22T10:00:00Z';

/** n Kustomizations in chains of `chain` (each depends on the one before), each with `inventory` entries. */
export function kustomizations(n: number, inventory: number, chain = 20): KubeObject[] {
  return Array.from({ length: n }, (_, i) => {
    const name = `ks-${String(i).padStart(5, '0')}`;
    const dependsOn = i % chain ? [{ name: `ks-${String(i - 1).padStart(5, '0')}` }] : undefined;
    return {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization',
      metadata: { name, namespace: 'flux-system' },
      spec: { interval: '10m', path: `./${name}`, prune: true, sourceRef: { kind: 'GitRepository', name: 'flux-system' }, ...(dependsOn ? { dependsOn } : {}) },
      status: {
        observedGeneration: 1, lastAppliedRevision: REV, lastAttemptedRevision: REV,
        conditions: [{ type: 'Ready', status: 'True', reason: 'ReconciliationSucceeded', message: `Applied revision: ${REV}`, lastTransitionTime: AT, observedGeneration: 1 }],
        inventory: { entries: Array.from({ length: inventory }, (_, j) => ({ id: `apps_${name}-cm-${j}__ConfigMap`, v: 'v1' })) },
      },
    };
  });
}
