// Rules on readiness: whether a dependency's Ready means healthy, health checks that are ignored, and timeouts
// shorter than what the health-checked objects may take before they report failure themselves, a health-checked
// Kustomization or HelmRelease included, with the dependencies it waits for first.
import { healthChecksOf, HELMRELEASE, KUSTOMIZATION, kustomizationTimeout } from '../flux.ts';
import { objectId, type KubeObject } from '../objects.ts';
import { formatDuration, parseDuration } from '../time.ts';
import { appliedBy } from './applied.ts';
import { found, refName, type LintContext } from './context.ts';
import type { LintFinding } from './rules.ts';

const hasItems = (v: unknown) => Array.isArray(v) && v.length > 0;

function notHealthGated(ctx: LintContext): LintFinding[] {
  const out: LintFinding[] = [];
  for (const id of ctx.scope) {
    const node = ctx.graph.nodes.get(id);
    const spec = node?.object?.spec;
    if (!node?.found || node.kind !== KUSTOMIZATION || !spec) continue;
    if (spec.wait === true || hasItems(spec.healthChecks) || hasItems(spec.healthCheckExprs)) continue;
    const ungated = (ctx.graph.dependents.get(id) ?? []).filter((e) => ctx.scope.has(e.from) && !e.readyExpr).map((e) => e.from);
    if (ungated.length === 0) continue;
    out.push(found('dependency-not-health-gated', id,
      `${ungated.map((d) => refName(d, id)).join(', ')} ${ungated.length === 1 ? 'depends' : 'depend'} on it, but it has no wait, healthChecks or healthCheckExprs: its Ready means applied, not healthy`,
      'set spec.wait: true (or spec.healthChecks), or give the dependents\' entries a readyExpr'));
  }
  return out;
}

function healthChecksIgnored(ctx: LintContext): LintFinding[] {
  return kustomizations(ctx)
    .filter(([, ks]) => ks.spec?.wait === true && hasItems(ks.spec?.healthChecks))
    .map(([id]) => found('health-checks-ignored', id, 'spec.healthChecks is set beside wait: true, which checks every applied object and ignores healthChecks',
      'remove spec.healthChecks, or set wait: false to check only those'));
}

interface Deadline {
  ms: number;
  /** `Deployment/production/api's progressDeadlineSeconds 600` */
  what: string;
  /** The other way out than a longer timeout. */
  instead?: string;
}

/** How long a health-checked object may take before it reports failure itself, if it ever does. */
function deadlineOf(ctx: LintContext, kind: string, id: string, obj: KubeObject | undefined): Deadline | undefined {
  if (kind === 'Deployment') {
    const s = obj?.spec?.progressDeadlineSeconds;
    const seconds = typeof s === 'number' ? s : 600;
    return { ms: seconds * 1000, what: `${id}'s progressDeadlineSeconds ${seconds}${typeof s === 'number' ? '' : ' (the default)'}` };
  }
  if (kind === 'Job') {
    const s = obj?.spec?.activeDeadlineSeconds;
    return typeof s === 'number' ? { ms: s * 1000, what: `${id}'s activeDeadlineSeconds ${s}` } : undefined;
  }
  if (kind === HELMRELEASE || kind === KUSTOMIZATION) return fluxDeadline(ctx, kind, id, obj);
  return undefined;
}

/** How long a Flux object's own health check can take: a Kustomization's timeout when it has any, Helm's wait. */
function ownTimeout(kind: string, obj: KubeObject): number | undefined {
  if (kind === HELMRELEASE) return obj.spec?.install?.disableWait === true && obj.spec?.upgrade?.disableWait === true ? undefined : helmActionTimeout(obj);
  return obj.spec?.wait === true || hasItems(obj.spec?.healthChecks) ? kustomizationTimeout(obj) : undefined;
}

/** kustomize- and helm-controller's --requeue-dependency: a dependent starts up to this long after its dependency is Ready. */
const requeueMs = 30_000;

/**
 * How long a health-checked Kustomization or HelmRelease can take to be Ready: its own health check after the
 * dependencies it waits for, along its slowest dependsOn chain (each level's health check and a requeue). It
 * is a dependency the checking Kustomization must outlast.
 */
function fluxDeadline(ctx: LintContext, kind: string, id: string, obj: KubeObject | undefined): Deadline | undefined {
  const object = ctx.graph.nodes.get(id)?.object ?? obj;
  const own = object ? ownTimeout(kind, object) : undefined;
  const chain = upstreamChain(ctx, id, new Set([id]), chainsOf(ctx));
  if (own === undefined && !chain.levels.length) return undefined;
  const label = kind === HELMRELEASE ? 'Helm timeout' : 'timeout';
  if (!chain.requeues) return { ms: own as number, what: `${id}'s ${label} ${formatDuration(own as number)}` };
  const ms = (own ?? 0) + chain.ms;
  const steps = [
    ...chain.levels.map((l) => `${formatDuration(l.ms)} for ${refName(l.id, id)}`),
    chain.requeues === 1 ? `a ${formatDuration(requeueMs)} requeue` : `${chain.requeues} requeues of ${formatDuration(requeueMs)}`,
    ...(own === undefined ? [] : [`its own ${formatDuration(own)}`]),
  ];
  return { ms, what: `the ${formatDuration(ms)} ${id} can take to be Ready (${steps.join(', ')})`, instead: 'shorten the timeouts along that chain' };
}

type Chain = { ms: number; requeues: number; levels: Array<{ id: string; ms: number }> };

// Each object's chain is asked for by every object below it: remembered per lint run, or a graph where many
// objects depend on the same many takes time exponential in its depth (9 levels of 8: 22 s before).
const chains = new WeakMap<LintContext, Map<string, Chain>>();
function chainsOf(ctx: LintContext): Map<string, Chain> {
  let known = chains.get(ctx);
  if (!known) chains.set(ctx, (known = new Map()));
  return known;
}

/**
 * The dependsOn chain above `id` whose health checks and requeues take longest: its levels with a health check,
 * root first, and its dependency requeues (one per level, health-checked or not). `onPath` stops at a cycle.
 */
function upstreamChain(ctx: LintContext, id: string, onPath: Set<string>, known: Map<string, Chain>): Chain {
  const remembered = known.get(id);
  if (remembered) return remembered;
  let best: Chain = { ms: 0, requeues: 0, levels: [] };
  for (const e of ctx.graph.dependencies.get(id) ?? []) {
    const node = ctx.graph.nodes.get(e.to);
    if (onPath.has(e.to) || !node?.found || !node.object || (node.kind !== KUSTOMIZATION && node.kind !== HELMRELEASE)) continue;
    onPath.add(e.to);
    const above = upstreamChain(ctx, e.to, onPath, known);
    onPath.delete(e.to);
    const own = ownTimeout(node.kind, node.object) ?? 0;
    const ms = above.ms + own + requeueMs;
    if (ms > best.ms) best = { ms, requeues: above.requeues + 1, levels: [...above.levels, ...(own > 0 ? [{ id: e.to, ms: own }] : [])] };
  }
  known.set(id, best);
  return best;
}

/** The longer of a HelmRelease's install and upgrade timeouts (each: its own, else spec.timeout, else 5m). */
function helmActionTimeout(hr: KubeObject | undefined): number {
  const spec = hr?.spec ?? {};
  const base = parseDuration(spec.timeout) ?? 300_000;
  return Math.max(parseDuration(spec.install?.timeout) ?? base, parseDuration(spec.upgrade?.timeout) ?? base);
}

function longest(deadlines: Array<Deadline | undefined>): Deadline | undefined {
  return deadlines.reduce<Deadline | undefined>((best, d) => (d && (!best || d.ms > best.ms) ? d : best), undefined);
}

function timeoutTooShort(ctx: LintContext): LintFinding[] {
  const out: LintFinding[] = [];
  for (const [id, ks] of kustomizations(ctx)) {
    const timeout = kustomizationTimeout(ks);
    if (timeout === undefined) continue;
    const namespace = id.split('/')[1] ?? '';
    let checked: Array<Deadline | undefined>;
    if (ks.spec?.wait === true) {
      checked = appliedBy(ctx, id, ks).objects.map((o) => deadlineOf(ctx, o.kind, o.id, o.object));
    } else {
      const applied = appliedBy(ctx, id, ks).objects;
      checked = healthChecksOf(ks, namespace).map((c) => {
        const checkId = objectId(c.kind, c.namespace, c.name);
        return checkId === id ? undefined : deadlineOf(ctx, c.kind, checkId, applied.find((a) => a.id === checkId)?.object ?? ctx.byId.get(checkId));
      });
    }
    const worst = longest(checked);
    if (!worst || worst.ms <= timeout) continue;
    out.push(found('timeout-too-short', id,
      `its timeout ${formatDuration(timeout)}${ks.spec?.timeout ? '' : ' (from its interval)'} is shorter than ${worst.what}: the health check fails with a bare timeout first`,
      `set spec.timeout to at least ${formatDuration(worst.ms)}, or ${worst.instead ?? 'lower the deadline'}`));
  }
  for (const [id, hr] of helmReleases(ctx)) {
    if (hr.spec?.install?.disableWait === true && hr.spec?.upgrade?.disableWait === true) continue;
    const timeout = helmActionTimeout(hr);
    const worst = longest(chartObjects(ctx, id, hr).map(([oid, o]) => deadlineOf(ctx, o.kind ?? '', oid, o)));
    if (!worst || worst.ms <= timeout) continue;
    out.push(found('timeout-too-short', id,
      `its Helm timeout ${formatDuration(timeout)} is shorter than ${worst.what}: Helm's wait fails with a bare timeout first`,
      `set spec.timeout (or spec.install.timeout and spec.upgrade.timeout) to at least ${formatDuration(worst.ms)}, or ${worst.instead ?? 'lower the deadline'}`));
  }
  return out;
}

/** The objects read that Helm installed for this release (its meta.helm.sh annotations). */
function chartObjects(ctx: LintContext, id: string, hr: KubeObject): Array<[string, KubeObject]> {
  const [, namespace = '', name = ''] = id.split('/');
  const target = typeof hr.spec?.targetNamespace === 'string' && hr.spec.targetNamespace ? hr.spec.targetNamespace : namespace;
  const release = typeof hr.spec?.releaseName === 'string' && hr.spec.releaseName ? hr.spec.releaseName : target !== namespace ? `${target}-${name}` : name;
  return [...ctx.byId].filter(([, o]) => o.metadata?.annotations?.['meta.helm.sh/release-name'] === release &&
    o.metadata?.annotations?.['meta.helm.sh/release-namespace'] === target);
}

/** The found objects of one Flux kind in scope, by id. */
export function ofKind(ctx: LintContext, kind: string): Array<[string, KubeObject]> {
  return [...ctx.scope].flatMap((id) => {
    const n = ctx.graph.nodes.get(id);
    return n?.found && n.kind === kind && n.object && n.object.kind === kind ? [[id, n.object] as [string, KubeObject]] : [];
  });
}
const kustomizations = (ctx: LintContext) => ofKind(ctx, KUSTOMIZATION);
const helmReleases = (ctx: LintContext) => ofKind(ctx, HELMRELEASE);

export const healthRules = [notHealthGated, healthChecksIgnored, timeoutTooShort];
