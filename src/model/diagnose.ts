// The verdicts on one object: its own problem (suspended, source, not reconciled, failed, progressing) and
// whether one dependsOn entry is met, by the controllers' rules (FLUX.md): the check, readyExpr, revision lag.
// Sources are source-check.ts's.
import { finding, type Finding } from './finding.ts';
import { artifactRevisionOf, helmTimeout, KUSTOMIZATION, kustomizationTimeout, meetsReadyCheck, shortRevision } from './flux.ts';
import type { Edge, GraphNode } from './graph.ts';
import { findUnhealthy } from './health-checks.ts';
import { failureCause, isMissingPath } from './failure-causes.ts';
import { conditionOf as conditionOfFlux, objectId, type KubeObject } from './objects.ts';
import { formatDuration } from './time.ts';
import { sourceAside, sourceProblem } from './source-check.ts';
import type { World } from './world.ts';

// Ready reasons that mean the controller is still working, not that it failed.
// HealthCheckCanceled: a new revision arrived mid-check, and kustomize-controller starts over at once.
const progressingReasons = new Set(['Progressing', 'ProgressingWithRetry', 'Reconciling', 'HealthCheckCanceled']);
// Ready reasons about the object's source (helm-controller names its chart's).
const sourceReasons = new Set(['ArtifactFailed', 'SourceNotReady', 'HelmChartNotReady', 'SourceNotFound']);

/** The object's own problem, with the path from it to the object at fault (itself, or its source). */
export function ownProblem(node: GraphNode, world: World): { finding: Finding; path: string[] } | undefined {
  const obj = node.object;
  if (!node.found || !obj) return { finding: finding(node.id, 'NotFound', node.message), path: [] };
  const ready = conditionOfFlux(obj, 'Ready');
  if (node.suspended) {
    // Suspended and settled is no problem (a dependency check passes). Anything else stays as it is until resumed:
    // not Ready, a spec edited since (the check compares generations), or an older revision of a shared source.
    const stuck = suspendedState(node, world);
    return stuck ? { finding: finding(node.id, 'Suspended', `suspended: Flux does not reconcile it while spec.suspend is true${stuck.said}`, { notes: stuck.notes }), path: [] } : undefined;
  }
  // kustomize-controller checks the source before dependencies; a HelmRelease held on a dependency has not yet
  // had its chart looked at, so its chart only counts once dependencies are met.
  const source = node.kind === KUSTOMIZATION || ready?.reason !== 'DependencyNotReady' ? sourceProblem(node, world) : undefined;
  if (source) return { finding: source, path: [source.object] };
  const own = ownFinding(node, world);
  // A failing source that still serves an artifact does not stop the controller, but it explains a stale revision.
  const aside = own && sourceAside(node, world);
  return own && { finding: aside ? { ...own, notes: [...own.notes, aside] } : own, path: [] };
}

/** What is wrong with the object itself, once its source is usable. */
function ownFinding(node: GraphNode, world: World): Finding | undefined {
  const obj = node.object as KubeObject;
  const ready = conditionOfFlux(obj, 'Ready');
  const conditions: unknown = obj.status?.conditions;
  if (!Array.isArray(conditions) || conditions.length === 0) {
    // Flux shards controllers by this label: an object whose shard has no controller is never picked up.
    const shard = obj.metadata?.labels?.['sharding.fluxcd.io/key'];
    const who = shard ? `a ${controllerOf(node)} for shard "${shard}" (sharding.fluxcd.io/key)` : controllerOf(node);
    return finding(node.id, 'NotReconciled', `no status conditions: the controller has not reconciled it; is ${who} running?`);
  }
  const generation = obj.metadata?.generation ?? 0;
  const observed = obj.status?.observedGeneration ?? -1;
  const reconciling = conditionOfFlux(obj, 'Reconciling')?.status === 'True';
  // The controllers move status.observedGeneration only on success; a Ready condition of this generation shows
  // they did look at it (an AccessDenied, say) and failed.
  const looked = ready?.observedGeneration === generation;
  if (generation !== observed && !reconciling && !looked && ready?.reason !== 'DependencyNotReady') {
    return finding(node.id, 'NotReconciled', `spec is at generation ${generation} but the controller last observed ${observed}, and nothing is in progress; is ${controllerOf(node)} running?`);
  }
  if (!ready || ready.status === 'True' || ready.reason === 'DependencyNotReady') return undefined;

  if (ready.reason === 'HealthCheckFailed') {
    const checks = findUnhealthy(world, obj, node.namespace, ready.message ?? '');
    return finding(node.id, 'HealthCheckFailed', ready.message ?? '', { ...checks, notes: checks.note ? [checks.note] : [] });
  }
  if (ready.status === 'Unknown' || progressingReasons.has(ready.reason ?? '')) return progressing(node, world);
  // ArtifactFailed also says the artifact lacks spec.path: the Kustomization's own failure, not its source's.
  if (sourceReasons.has(ready.reason ?? '') && !isMissingPath(ready.reason, ready.message)) return finding(node.id, 'SourceNotReady', ready.message ?? '');
  return failed(node, world, ready);
}

/** A failed reconciliation: build, apply, prune, decryption; a Helm action, with the objects it waited on. */
function failed(node: GraphNode, world: World, ready: { reason?: string; message?: string }): Finding {
  const obj = node.object as KubeObject;
  // helm-controller puts a remediation first (Ready: RollbackSucceeded); the failed action is in Released.
  const released = conditionOfFlux(obj, 'Released');
  const action = node.kind !== KUSTOMIZATION && released?.status === 'False' && released.reason !== ready.reason ? released : undefined;
  // A failed Helm install or upgrade that waited on objects names them like a health check does: go deeper. One
  // whose message names none (Helm's legacy waiter, a rate limiter's deadline) is looked into by its release's own.
  const waited = [ready.message, action?.message].find((m) => /\[[^\]]*status: '/.test(m ?? ''));
  const named = waited || node.kind !== KUSTOMIZATION ? findUnhealthy(world, obj, node.namespace, waited ?? '') : undefined;
  const cause = node.kind === KUSTOMIZATION ? failureCause(obj, ready.reason ?? '', ready.message ?? '', node.namespace) : undefined;
  const stalled = conditionOfFlux(obj, 'Stalled');
  const notes = [
    ...(action ? [`then ${ready.reason}: ${ready.message ?? ''}`] : []),
    ...(named?.note ? [named.note] : []),
    ...(cause?.notes ?? []),
    ...(stalled?.status === 'True' ? [stalledNote(node, stalled.reason ?? '')] : []),
  ];
  const failure = action ?? ready;
  const objects = cause?.objects.length ? cause.objects : named?.objects ?? [];
  // Apply errors end in a newline (fluxcd/pkg/ssa's error list).
  return finding(node.id, 'ReconciliationFailed', `${failure.reason}: ${(failure.message ?? '').trimEnd()}`, {
    objects, source: cause?.objects.length ? 'controller message' : named?.source ?? 'live', notes, ...(cause?.serviceAccount ? { serviceAccount: cause.serviceAccount } : {}),
  });
}

function stalledNote(node: GraphNode, reason: string): string {
  // Exhausted retries are counted in status: a plain reconcile request does not retry, a reset of the count does.
  if (node.kind !== KUSTOMIZATION && reason === 'RetriesExceeded') {
    return 'Stalled (RetriesExceeded): helm-controller will not try again until the failure count is reset (flux reconcile helmrelease --reset) or the chart or values change';
  }
  return `Stalled (${reason}): the controller will not retry by itself; fix the cause, then request a reconcile`;
}

/** Why a suspended object stays in the way, or undefined when it is settled. */
function suspendedState(node: GraphNode, world: World): { said: string; notes: string[] } | undefined {
  const obj = node.object as KubeObject;
  const ready = conditionOfFlux(obj, 'Ready');
  if (ready?.status !== 'True') return { said: ready?.message ? ` (last state: ${ready.reason}: ${ready.message})` : '', notes: [] };
  const generation = obj.metadata?.generation ?? 0;
  const observed = obj.status?.observedGeneration;
  if (generation !== observed) return { said: `; its spec changed (generation ${generation}) after it last reconciled (generation ${observed ?? 'none'})`, notes: [] };
  const artifact = sourceArtifactOf(node, world);
  if (artifact && node.kind === KUSTOMIZATION && node.revision !== artifact) {
    return {
      said: `; it is Ready at ${shortRevision(node.revision || 'no revision')}, but its source serves ${shortRevision(artifact)}`,
      notes: [`applied: ${node.revision || '(none)'}`, `source:  ${artifact}`],
    };
  }
  return undefined;
}

/** Ready=True at the current generation, and at its source's current artifact revision when that is known. */
export function isReadyAtRevision(node: GraphNode, world: World): boolean {
  if (!node.object || !meetsReadyCheck(node.object)) return false;
  if (node.kind !== KUSTOMIZATION) return true;
  const artifact = sourceArtifactOf(node, world);
  return !artifact || artifact === node.revision;
}

/** The revision of the artifact the node's source serves now, if known. */
export function sourceArtifactOf(node: GraphNode, world: World): string | undefined {
  return node.source ? artifactRevisionOf(world.byId.get(objectId(node.source.kind, node.source.namespace, node.source.name))) : undefined;
}

function progressing(node: GraphNode, world: World): Finding {
  const obj = node.object as KubeObject;
  const reconciling = conditionOfFlux(obj, 'Reconciling');
  const ready = conditionOfFlux(obj, 'Ready');
  // The later of the two: Reconciling stays True (and keeps its time) across retries; Ready turns Unknown at each.
  const since = [reconciling?.lastTransitionTime, ready?.lastTransitionTime].filter((t) => typeof t === 'string').sort().pop();
  const timeout = node.kind === KUSTOMIZATION ? kustomizationTimeout(obj) : helmTimeout(obj, reconciling?.message ?? '');
  const running = since ? world.now.getTime() - Date.parse(since) : NaN;
  const clock = Number.isNaN(running) ? '' : `; running for ${formatDuration(running)}${timeout ? ` of its ${formatDuration(timeout)} timeout` : ''}`;
  const message = ready?.reason === 'HealthCheckCanceled'
    ? `${ready.reason}: ${ready.message ?? ''}; kustomize-controller starts again at once`
    : `${reconciling?.message ?? ready?.message ?? 'reconciliation in progress'}${clock}`;
  const checks = findUnhealthy(world, obj, node.namespace, '');
  const notes = [
    ...(checks.note ? [checks.note] : []),
    // The controller reports a result at its timeout: a status this much older is stale.
    ...(timeout && running > timeout + 60_000 ? [`past its timeout by ${formatDuration(running - timeout)}: ${controllerOf(node)} should have reported a result by now; is it running?`] : []),
  ];
  return finding(node.id, 'Progressing', message, { objects: checks.objects, source: checks.source, notes });
}

/** What is wrong with one dependsOn entry, by the controller's rules; undefined when it is met. */
export function dependencyFinding(node: GraphNode, dep: GraphNode, edge: Edge, world: World): Finding | undefined {
  if (!dep.found) return finding(dep.id, 'NotFound', dep.unread || dep.pending ? dep.message : `${dep.message} (a dependency of ${node.id})`);
  const depObj = dep.object as KubeObject;
  if (edge.readyExpr && world.evaluateCel) {
    // readyExpr replaces the built-in check (unless the AdditiveCELDependencyCheck gate is on).
    const result = evaluateReadyExpr(edge.readyExpr, node, depObj, world);
    if (result !== true) {
      return finding(dep.id, 'ReadyExprFalse', `readyExpr of ${node.id} is ${result === false ? 'false' : `not true (${String(result)})`}: ${edge.readyExpr}`, { notes: valuesRead(edge.readyExpr, node.object, depObj) });
    }
    // kustomize-controller then skips the rest, the revision check included.
    return undefined;
  } else if (!meetsReadyCheck(depObj)) {
    return finding(dep.id, 'NotReconciled', `${dep.id} is not ready: ${dep.reason}: ${dep.message}`);
  }
  // Same source: the dependency must have applied the source's current revision (Kustomizations only).
  if (node.kind === KUSTOMIZATION && dep.kind === KUSTOMIZATION && node.source && dep.source && sameRef(node.source, dep.source)) {
    const artifact = sourceArtifactOf(node, world);
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
