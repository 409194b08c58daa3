// The verdicts on one object: its own problem (suspended, source, not reconciled, failed, progressing) and
// whether one dependsOn entry is met, by the controllers' rules (FLUX.md): the check, readyExpr, revision lag.
import type { BlockReason, RootCause } from './blockers.ts';
import { artifactRevisionOf, KUSTOMIZATION, meetsReadyCheck, shortRevision } from './flux.ts';
import type { Edge, GraphNode } from './graph.ts';
import { findUnhealthy } from './health-checks.ts';
import { conditionOf as conditionOfFlux, objectId, type KubeObject } from './objects.ts';
import { formatDuration, parseDuration } from './time.ts';
import { readable, type World } from './world.ts';

export type Finding = Omit<RootCause, 'path' | 'next'>;

const finding = (object: string, reason: BlockReason, message: string, extra: Partial<Finding> = {}): Finding => ({
  object, reason, message, objects: [], source: 'live', notes: [], ...extra,
});

// Ready reasons that mean the controller is still working, not that it failed.
const progressingReasons = new Set(['Progressing', 'ProgressingWithRetry', 'Reconciling']);
// Ready reasons about the object's source (helm-controller names its chart's).
const sourceReasons = new Set(['ArtifactFailed', 'SourceNotReady', 'HelmChartNotReady', 'SourceNotFound']);

/** The object's own problem, with the path from it to the object at fault (itself, or its source). */
export function ownProblem(node: GraphNode, world: World): { finding: Finding; path: string[] } | undefined {
  const obj = node.object;
  if (!node.found || !obj) return { finding: finding(node.id, 'NotFound', node.message), path: [] };
  const ready = conditionOfFlux(obj, 'Ready');
  if (node.suspended) {
    if (ready?.status === 'True') return undefined;
    const last = ready?.message ? ` (last state: ${ready.reason}: ${ready.message})` : '';
    return { finding: finding(node.id, 'Suspended', `suspended: Flux does not reconcile it while spec.suspend is true${last}`), path: [] };
  }
  // kustomize-controller checks the source before dependencies; a HelmRelease held on a dependency has not yet
  // had its chart looked at, so its chart only counts once dependencies are met.
  const source = node.kind === KUSTOMIZATION || ready?.reason !== 'DependencyNotReady' ? sourceProblem(node, world) : undefined;
  if (source) return { finding: source, path: [source.object] };

  const conditions: unknown = obj.status?.conditions;
  if (!Array.isArray(conditions) || conditions.length === 0) {
    // Flux shards controllers by this label: an object whose shard has no controller is never picked up.
    const shard = obj.metadata?.labels?.['sharding.fluxcd.io/key'];
    const who = shard ? `a ${controllerOf(node)} for shard "${shard}" (sharding.fluxcd.io/key)` : controllerOf(node);
    return { finding: finding(node.id, 'NotReconciled', `no status conditions: the controller has not reconciled it; is ${who} running?`), path: [] };
  }
  const generation = obj.metadata?.generation ?? 0;
  const observed = obj.status?.observedGeneration ?? -1;
  const reconciling = conditionOfFlux(obj, 'Reconciling')?.status === 'True';
  if (generation !== observed && !reconciling && ready?.reason !== 'DependencyNotReady') {
    return { finding: finding(node.id, 'NotReconciled', `spec is at generation ${generation} but the controller last observed ${observed}, and nothing is in progress; is ${controllerOf(node)} running?`), path: [] };
  }
  if (!ready || ready.status === 'True' || ready.reason === 'DependencyNotReady') return undefined;

  if (ready.reason === 'HealthCheckFailed') {
    const checks = findUnhealthy(world, obj, node.namespace, ready.message ?? '');
    return { finding: finding(node.id, 'HealthCheckFailed', ready.message ?? '', { ...checks, notes: checks.note ? [checks.note] : [] }), path: [] };
  }
  if (ready.status === 'Unknown' || progressingReasons.has(ready.reason ?? '')) return { finding: progressing(node, world), path: [] };
  if (sourceReasons.has(ready.reason ?? '')) return { finding: finding(node.id, 'SourceNotReady', ready.message ?? ''), path: [] };
  // A failed Helm install or upgrade that waited on objects names them like a health check does: go deeper.
  const named = /\[[^\]]*status: '/.test(ready.message ?? '') ? findUnhealthy(world, obj, node.namespace, ready.message ?? '') : undefined;
  const stalled = conditionOfFlux(obj, 'Stalled');
  const notes = [
    ...(named?.note ? [named.note] : []),
    ...(stalled?.status === 'True' ? [`Stalled (${stalled.reason}): the controller will not retry by itself; fix the cause, then request a reconcile`] : []),
  ];
  return {
    finding: finding(node.id, 'ReconciliationFailed', `${ready.reason}: ${ready.message ?? ''}`, { objects: named?.objects ?? [], source: named?.source ?? 'live', notes }),
    path: [],
  };
}

/** A Kustomization's source (or a HelmRelease's chart) that is missing or has no usable artifact. */
function sourceProblem(node: GraphNode, world: World): Finding | undefined {
  const obj = node.object as KubeObject;
  const ref = node.kind === KUSTOMIZATION ? node.source : chartOf(obj);
  if (!ref) return undefined;
  const id = objectId(ref.kind, ref.namespace, ref.name);
  const source = world.byId.get(id);
  if (!source) {
    return readable(world, ref.kind, ref.namespace) ? finding(id, 'NotFound', `${ref.kind} ${ref.namespace}/${ref.name} not found (the source of ${node.id})`) : undefined;
  }
  const ready = conditionOfFlux(source, 'Ready');
  if (ready?.status !== 'True') {
    const said = ready ? `${ready.reason}: ${ready.message ?? ''}` : 'no Ready condition yet';
    const secret = typeof source.spec?.secretRef?.name === 'string' ? source.spec.secretRef.name : undefined;
    const notes = [
      ...(artifactRevisionOf(source) ? [`it still serves ${shortRevision(artifactRevisionOf(source) as string)}`] : []),
      // Authentication failures are about the credentials the source names.
      ...(secret && /auth|credential|permission|denied|403|401/i.test(said) ? [`its credentials: Secret ${ref.namespace}/${secret} (spec.secretRef)`] : []),
    ];
    return finding(id, 'SourceNotReady', said, { notes });
  }
  if (!artifactRevisionOf(source) && node.kind === KUSTOMIZATION) return finding(id, 'SourceNotReady', 'the source has no artifact yet');
  return undefined;
}

function chartOf(obj: KubeObject): { kind: string; namespace: string; name: string } | undefined {
  const [namespace, name] = typeof obj.status?.helmChart === 'string' ? obj.status.helmChart.split('/') : [];
  return namespace && name ? { kind: 'HelmChart', namespace, name } : undefined;
}

function progressing(node: GraphNode, world: World): Finding {
  const obj = node.object as KubeObject;
  const reconciling = conditionOfFlux(obj, 'Reconciling');
  const since = reconciling?.lastTransitionTime ?? conditionOfFlux(obj, 'Ready')?.lastTransitionTime;
  const timeout = parseDuration(obj.spec?.timeout) ?? defaultTimeout(obj);
  const running = since ? world.now.getTime() - Date.parse(since) : undefined;
  const clock = running !== undefined && !Number.isNaN(running)
    ? ` for ${formatDuration(running)}${timeout ? ` of its ${formatDuration(timeout)} timeout` : ''}`
    : '';
  const message = `${reconciling?.message ?? conditionOfFlux(obj, 'Ready')?.message ?? 'reconciliation in progress'}; running${clock}`;
  const checks = findUnhealthy(world, obj, node.namespace, '');
  return finding(node.id, 'Progressing', message, { objects: checks.objects, source: checks.source, notes: checks.note ? [checks.note] : [] });
}

/** kustomize-controller's default: interval minus 30 s, at least 30 s. */
function defaultTimeout(obj: KubeObject): number | undefined {
  const interval = parseDuration(obj.spec?.interval);
  return interval === undefined ? undefined : Math.max(30_000, interval - 30_000);
}

/** What is wrong with one dependsOn entry, by the controller's rules; undefined when it is met. */
export function dependencyFinding(node: GraphNode, dep: GraphNode, edge: Edge, world: World): Finding | undefined {
  if (!dep.found) return finding(dep.id, 'NotFound', dep.reason === 'Forbidden' ? dep.message : `${dep.message} (a dependency of ${node.id})`);
  const depObj = dep.object as KubeObject;
  if (edge.readyExpr && world.evaluateCel) {
    // readyExpr replaces the built-in check (unless the AdditiveCELDependencyCheck gate is on).
    const result = evaluateReadyExpr(edge.readyExpr, node, depObj, world);
    if (result !== true) {
      return finding(dep.id, 'ReadyExprFalse', `readyExpr of ${node.id} is ${result === false ? 'false' : `not true (${String(result)})`}: ${edge.readyExpr}`, { notes: valuesRead(edge.readyExpr, node.object, depObj) });
    }
  } else if (!meetsReadyCheck(depObj)) {
    return finding(dep.id, 'NotReconciled', `${dep.id} is not ready: ${dep.reason}: ${dep.message}`);
  }
  // Same source: the dependency must have applied the source's current revision (Kustomizations only).
  if (node.kind === KUSTOMIZATION && dep.kind === KUSTOMIZATION && node.source && dep.source && sameRef(node.source, dep.source)) {
    const artifact = artifactRevisionOf(world.byId.get(objectId(node.source.kind, node.source.namespace, node.source.name)));
    if (artifact && dep.revision !== artifact) {
      return finding(dep.id, 'RevisionNotUpToDate', `${dep.id} shares ${node.source.kind} ${node.source.namespace}/${node.source.name} with ${node.id} but has applied ${shortRevision(dep.revision || 'nothing')}, not the source's ${shortRevision(artifact)}`, {
        notes: [`applied: ${dep.revision || '(none)'}`, `source:  ${artifact}`],
      });
    }
  }
  return undefined;
}

function evaluateReadyExpr(expression: string, node: GraphNode, dep: KubeObject, world: World): unknown {
  try {
    return world.evaluateCel?.(expression, { self: node.object, dep });
  } catch (err) {
    return `error: ${(err as Error).message.split(': {')[0]}`;
  }
}

/** `dep.status.x = "value"` for each field path the expression reads, so the user sees why it is false. */
export function valuesRead(expression: string, self: KubeObject | undefined, dep: KubeObject): string[] {
  const paths = new Set(expression.match(/\b(?:self|dep)(?:\.[A-Za-z_]\w*|\[(?:'[^']*'|"[^"]*")\])+/g) ?? []);
  return [...paths].map((path) => {
    const value = path.match(/[A-Za-z_]\w*|'[^']*'|"[^"]*"/g)?.reduce<unknown>((at, key, i) => {
      if (i === 0) return key === 'self' ? self : dep;
      const k = key.replace(/^['"]|['"]$/g, '');
      return at && typeof at === 'object' ? (at as Record<string, unknown>)[k] : undefined;
    }, undefined);
    const shown = JSON.stringify(value);
    return `${path} = ${shown === undefined ? '(absent)' : shown.length > 120 ? shown.slice(0, 119) + '…' : shown}`;
  });
}

function sameRef(a: { kind: string; namespace: string; name: string }, b: { kind: string; namespace: string; name: string }): boolean {
  return a.kind === b.kind && a.namespace === b.namespace && a.name === b.name;
}

function controllerOf(node: GraphNode): string {
  return node.kind === KUSTOMIZATION ? 'kustomize-controller' : 'helm-controller';
}
