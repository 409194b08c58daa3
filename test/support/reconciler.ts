// A stand-in for kustomize- and source-controller in one namespace, so commands that wait for a controller
// (reconcile) meet one. It answers the reconcile.fluxcd.io/requestedAt annotation the way they do (FLUX.md): a
// GitRepository fetches `revision`; a Kustomization checks its source and dependsOn in order (stopping at the
// first failure, with the controller's messages), then health-checks its spec.healthChecks Deployments, and
// writes status, lastHandledReconcileAt included, through the status subresource. The API server is the real one.
import * as k8s from '@kubernetes/client-node';
import { conditionOf, type KubeObject } from '../../src/model/objects.ts';
import { clients, gitRepositories, kubeConfig, kustomizations, writeStatus } from './testenv.ts';

const requested = 'reconcile.fluxcd.io/requestedAt';
const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
const condition = (type: string, status: string, reason: string, message: string) => ({ type, status, reason, message, observedGeneration: 1, lastTransitionTime: now() });

export class StandInReconciler {
  /** What the Git server has: the revision a GitRepository fetches when asked. */
  revision: string;
  /** Every reconciliation handled, in order: `Kind/name`. */
  readonly handled: string[] = [];
  private readonly namespace: string;
  private readonly requests: AbortController[] = [];
  private busy = Promise.resolve();

  constructor(namespace: string, revision: string) {
    this.namespace = namespace;
    this.revision = revision;
  }

  async start(): Promise<void> {
    const watch = new k8s.Watch(kubeConfig('admin'));
    for (const kind of [gitRepositories, kustomizations]) {
      const path = `/apis/${kind.group}/${kind.version}/namespaces/${this.namespace}/${kind.plural}`;
      this.requests.push(await watch.watch(path, {}, (_type, obj: KubeObject) => this.serial(() => this.onChange(kind.kind, obj)), () => {}));
    }
  }

  stop(): void {
    for (const r of this.requests) r.abort();
  }

  // One reconciliation at a time, as a controller with one worker per kind would.
  private serial(work: () => Promise<void>): void {
    this.busy = this.busy.then(work).catch((err) => console.error('stand-in reconciler:', err));
  }

  private async onChange(kind: string, obj: KubeObject): Promise<void> {
    const token = obj.metadata?.annotations?.[requested];
    if (!token || obj.status?.lastHandledReconcileAt === token) return;
    this.handled.push(`${kind}/${obj.metadata?.name}`);
    if (kind === 'GitRepository') await this.fetch(obj, token);
    else await this.apply(obj, token);
  }

  private async fetch(repo: KubeObject, token: string): Promise<void> {
    await writeStatus(gitRepositories, this.namespace, repo.metadata?.name ?? '', {
      observedGeneration: 1,
      lastHandledReconcileAt: token,
      conditions: [condition('Ready', 'True', 'Succeeded', `stored artifact for revision '${this.revision}'`)],
      artifact: { revision: this.revision, digest: 'sha256:0', lastUpdateTime: now(), path: 'x', url: 'http://x' },
    });
  }

  private async apply(ks: KubeObject, token: string): Promise<void> {
    const name = ks.metadata?.name ?? '';
    const { custom } = clients();
    const get = async (k: typeof kustomizations, n: string) => (await custom.getNamespacedCustomObject({ ...k, namespace: this.namespace, name: n })) as KubeObject;
    const source = await get(gitRepositories, ks.spec.sourceRef.name);
    const revision: string | undefined = source.status?.artifact?.revision;
    const previous = ks.status ?? {};
    const write = (status: Record<string, unknown>) =>
      writeStatus(kustomizations, this.namespace, name, { ...previous, observedGeneration: 1, lastHandledReconcileAt: token, ...status });
    if (!revision) return void (await write({ conditions: [condition('Ready', 'False', 'ArtifactFailed', 'Source artifact not found, retrying in 30s')] }));

    for (const dep of ks.spec.dependsOn ?? []) {
      const id = `${this.namespace}/${dep.name}`;
      let d: KubeObject;
      try {
        d = await get(kustomizations, dep.name);
      } catch {
        return void (await write({ conditions: [condition('Ready', 'False', 'DependencyNotReady', `dependency '${id}' not found: kustomizations.kustomize.toolkit.fluxcd.io "${dep.name}" not found`)] }));
      }
      const ready = conditionOf(d, 'Ready')?.status === 'True' && d.metadata?.generation === d.status?.observedGeneration;
      if (!ready) return void (await write({ conditions: [condition('Ready', 'False', 'DependencyNotReady', `dependency '${id}' is not ready`)] }));
      if (d.spec.sourceRef.name === ks.spec.sourceRef.name && d.status?.lastAppliedRevision !== revision) {
        return void (await write({ conditions: [condition('Ready', 'False', 'DependencyNotReady', `dependency '${id}' revision is not up to date`)] }));
      }
    }

    const unhealthy: string[] = [];
    for (const check of ks.spec.healthChecks ?? []) {
      const ns = check.namespace ?? this.namespace;
      const d = await clients().apps.readNamespacedDeployment({ namespace: ns, name: check.name });
      const s = d.status ?? {};
      const healthy = s.observedGeneration === d.metadata?.generation && s.updatedReplicas === d.spec?.replicas && s.availableReplicas === d.spec?.replicas && !s.unavailableReplicas;
      if (!healthy) unhealthy.push(`Deployment/${ns}/${check.name} status: 'InProgress'`);
    }
    if (unhealthy.length) {
      // The real controller waits out spec.timeout first; the stand-in answers at once with the same message.
      const message = `timeout waiting for: [${unhealthy.join(', ')}]`;
      return void (await write({
        lastAttemptedRevision: revision,
        conditions: [condition('Ready', 'False', 'HealthCheckFailed', `health check failed after 1.0s: ${message}`), condition('Healthy', 'False', 'HealthCheckFailed', message)],
      }));
    }
    await write({
      lastAppliedRevision: revision,
      lastAttemptedRevision: revision,
      conditions: [condition('Ready', 'True', 'ReconciliationSucceeded', `Applied revision: ${revision}`), condition('Healthy', 'True', 'Succeeded', 'Health check passed in 10ms')],
    });
  }
}
