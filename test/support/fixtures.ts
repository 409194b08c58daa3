// Fluent builders for Flux objects in unit tests: ks('apps').dependsOn('infra').notReady('DependencyNotReady', '...').
import type { KubeObject } from '../../src/model/objects.ts';

export const REV = 'main@sha1:1818d77d2d502ad9547bcc732a2b2c39d7e5eba5';
export const AT = '2026-11-22T10:00:00Z';

export class FluxBuilder {
  readonly obj: KubeObject;
  constructor(apiVersion: string, kind: string, name: string, spec: Record<string, unknown>) {
    this.obj = { apiVersion, kind, metadata: { name, namespace: 'flux-system', generation: 1 }, spec };
  }
  ns(namespace: string): this {
    (this.obj.metadata ?? {}).namespace = namespace;
    return this;
  }
  labels(labels: Record<string, string>): this {
    (this.obj.metadata ?? {}).labels = labels;
    return this;
  }
  /** Each entry `name`, `namespace/name`, or an object written as is. */
  dependsOn(...entries: Array<string | Record<string, string>>): this {
    this.obj.spec.dependsOn = entries.map((e) => {
      if (typeof e !== 'string') return e;
      const [a, b] = e.split('/');
      return b === undefined ? { name: a } : { namespace: a, name: b };
    });
    return this;
  }
  suspended(): this {
    this.obj.spec.suspend = true;
    return this;
  }
  source(kind: string, name: string): this {
    this.obj.spec.sourceRef = { kind, name };
    return this;
  }
  private condition(status: string, reason: string, message: string): this {
    this.obj.status = {
      observedGeneration: 1,
      conditions: [{ type: 'Ready', status, reason, message, observedGeneration: 1, lastTransitionTime: AT }],
      ...(this.obj.kind === 'Kustomization' ? { lastAppliedRevision: REV, lastAttemptedRevision: REV } : {}),
    };
    return this;
  }
  ready(message = `Applied revision: ${REV}`): this {
    return this.condition('True', 'ReconciliationSucceeded', message);
  }
  notReady(reason: string, message: string): this {
    return this.condition('False', reason, message);
  }
  progressing(): this {
    return this.condition('Unknown', 'Progressing', 'Reconciliation in progress');
  }
  /** Replaces the Ready condition's status fields, keeping the rest of status. */
  set(path: string, value: unknown): this {
    const keys = path.split('.');
    let at = this.obj as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    for (const k of keys.slice(0, -1)) at = at[k] ??= {};
    at[keys[keys.length - 1] as string] = value;
    return this;
  }
  condition2(type: string, status: string, reason: string, message: string, at = AT): this {
    const conditions = (this.obj.status ??= {}).conditions ??= [];
    conditions.unshift({ type, status, reason, message, observedGeneration: 1, lastTransitionTime: at });
    return this;
  }
  inventory(...ids: string[]): this {
    this.obj.status = { ...(this.obj.status ?? {}), inventory: { entries: ids.map((id) => ({ id, v: 'v1' })) } };
    return this;
  }
  build(): KubeObject {
    return this.obj;
  }
}

// The fields the CRDs require, so the same fixtures can be created in the test cluster.
export const ks = (name: string) =>
  new FluxBuilder('kustomize.toolkit.fluxcd.io/v1', 'Kustomization', name, {
    interval: '10m', path: `./${name}`, prune: true, sourceRef: { kind: 'GitRepository', name: 'flux-system' },
  });
export const hr = (name: string) =>
  new FluxBuilder('helm.toolkit.fluxcd.io/v2', 'HelmRelease', name, {
    interval: '10m', chart: { spec: { chart: name, sourceRef: { kind: 'HelmRepository', name: 'charts' } } },
  });
export const objects = (...builders: FluxBuilder[]) => builders.map((b) => b.build());

export const git = (name: string) => new FluxBuilder('source.toolkit.fluxcd.io/v1', 'GitRepository', name, { interval: '1m', url: `https://github.com/acme/${name}` });
/** A source that fetched `revision`. */
export function artifact(b: FluxBuilder, revision = REV): FluxBuilder {
  b.obj.status = {
    observedGeneration: 1,
    conditions: [{ type: 'Ready', status: 'True', reason: 'Succeeded', message: `stored artifact for revision '${revision}'`, observedGeneration: 1, lastTransitionTime: AT }],
    artifact: { revision, digest: 'sha256:0', lastUpdateTime: AT, path: 'x', url: 'http://x' },
  };
  return b;
}
