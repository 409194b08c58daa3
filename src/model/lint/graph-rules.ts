// Rules on the dependsOn graph itself: cycles, missing and wrong-kind entries, deep chains, suspended and
// cross-namespace dependencies.
import { HELMRELEASE, KUSTOMIZATION, resumeCommand } from '../flux.ts';
import { compareIds, type Graph } from '../graph.ts';
import { isNotServed, notServedWords, unreadAt } from '../unread.ts';
import { cyclesOf, levelsOf } from '../walk.ts';
import { found, refName, type LintContext } from './context.ts';
import type { LintFinding } from './rules.ts';
import { editDistance } from '../edit-distance.ts';

function dependencyCycle(ctx: LintContext): LintFinding[] {
  return cyclesOf(ctx.graph, ctx.scope).map((members) => {
    const first = members[0] as string;
    const loop = cyclePath(ctx.graph, first, new Set(members));
    return found('dependency-cycle', first, `dependsOn cycle ${loop.map((id) => refName(id, first)).join(' → ')}: none of them can ever become Ready`,
      'remove one dependsOn entry of the cycle', loop);
  });
}

/** The shortest way from `start` back to itself through `members`, start repeated at the end. */
function cyclePath(graph: Graph, start: string, members: Set<string>): string[] {
  const previous = new Map<string, string>();
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const at = queue[i] as string;
    for (const e of graph.dependencies.get(at) ?? []) {
      if (!members.has(e.to)) continue;
      if (e.to === start) {
        const path = [start];
        for (let p: string | undefined = at; p !== undefined && p !== start; p = previous.get(p)) path.splice(1, 0, p);
        return [...path, start];
      }
      if (!previous.has(e.to)) {
        previous.set(e.to, at);
        queue.push(e.to);
      }
    }
  }
  return [start, start];
}

/** Entries that name nothing: a typo (missing-dependency), or the other Flux kind (wrong-kind-dependency). */
function missingOrWrongKind(ctx: LintContext): LintFinding[] {
  const out: LintFinding[] = [];
  for (const id of ctx.scope) {
    for (const e of ctx.graph.dependencies.get(id) ?? []) {
      const target = ctx.graph.nodes.get(e.to);
      if (!target || target.found || target.reason !== 'NotFound') continue;
      const twin = otherFluxKind(target.kind) && ctx.graph.nodes.get(`${otherFluxKind(target.kind)}/${target.namespace}/${target.name}`);
      if (twin && twin.found) {
        const own = ctx.graph.nodes.get(id)?.kind ?? '';
        out.push(found('wrong-kind-dependency', id,
          `dependsOn names ${target.name}, which is a ${twin.kind}: an entry without kind names a ${own}, so the controller waits for ${target.id}, which does not exist`,
          own === KUSTOMIZATION
            ? `depend on the Kustomization that applies ${twin.id} instead`
            : `depend on HelmReleases only; order it after ${twin.id} by the Kustomization that applies it`,
          [id, twin.id]));
        continue;
      }
      // Of a kind the cluster does not serve: no name can fix it.
      const u = unreadAt(ctx.graph.unread, target.kind, target.namespace);
      if (u && isNotServed(u)) {
        out.push(found('missing-dependency', id, `dependsOn names ${target.id}, which cannot exist here: ${notServedWords(u)}`,
          `install what serves ${u.kind} in ${u.apiVersion} (its CRD and controller), or remove the entry`, [id, target.id]));
        continue;
      }
      const guess = closestName(ctx.graph, target.kind, target.namespace, target.name);
      out.push(found('missing-dependency', id, `dependsOn names ${target.id}, which does not exist: the controller retries every 30s and never proceeds`,
        guess ? `fix the entry: did you mean ${guess}?` : `fix the entry's name or namespace, or create ${target.id}`, [id, target.id]));
    }
  }
  return out;
}

function otherFluxKind(kind: string): string | undefined {
  return kind === KUSTOMIZATION ? HELMRELEASE : kind === HELMRELEASE ? KUSTOMIZATION : undefined;
}

/** The existing object of that kind and namespace whose name is nearest to `name`, if near enough to be a typo. */
function closestName(graph: Graph, kind: string, namespace: string, name: string): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const n of [...graph.nodes.values()].sort((a, b) => compareIds(a.id, b.id))) {
    if (!n.found || n.kind !== kind || n.namespace !== namespace) continue;
    const d = editDistance(n.name, name);
    if (d <= Math.max(2, Math.floor(name.length / 4)) && (!best || d < best.distance)) best = { name: n.name, distance: d };
  }
  return best?.name;
}

/** The ends of dependsOn paths longer than maxDepth levels (objects on the path), each with its longest path. */
function deepChain(ctx: LintContext): LintFinding[] {
  const { levels } = levelsOf(ctx.graph, ctx.scope);
  const depth = new Map<string, number>();
  levels.forEach((ids, i) => ids.forEach((id) => depth.set(id, i + 1)));
  const out: LintFinding[] = [];
  for (const [id, d] of depth) {
    if (d <= ctx.options.maxDepth) continue;
    const deeper = (ctx.graph.dependents.get(id) ?? []).some((e) => ctx.scope.has(e.from) && depth.has(e.from));
    if (deeper) continue;
    const path = [id];
    for (let at = id; (depth.get(at) ?? 1) > 1; ) {
      const up = (ctx.graph.dependencies.get(at) ?? []).find((e) => depth.get(e.to) === (depth.get(at) ?? 0) - 1);
      if (!up) break;
      path.unshift(up.to);
      at = up.to;
    }
    out.push(found('deep-chain', id, `a dependsOn chain of ${d} levels, more than ${ctx.options.maxDepth}: ${path.map((p) => refName(p, id)).join(' → ')}`,
      'depend only on what it needs, and merge levels: each level adds a reconciliation and a 30s requeue to every rollout', path));
  }
  return out;
}

function suspendedDependency(ctx: LintContext): LintFinding[] {
  const out: LintFinding[] = [];
  for (const id of ctx.scope) {
    const node = ctx.graph.nodes.get(id);
    if (!node?.found || !node.suspended || (node.kind !== KUSTOMIZATION && node.kind !== HELMRELEASE)) continue;
    const dependents = (ctx.graph.dependents.get(id) ?? []).map((e) => e.from).filter((d) => ctx.scope.has(d));
    if (dependents.length === 0) continue;
    out.push(found('suspended-dependency', id,
      `suspended, and ${dependents.map((d) => refName(d, id)).join(', ')} ${dependents.length === 1 ? 'depends' : 'depend'} on it: a change to it blocks ${dependents.length === 1 ? 'that one' : 'them'} until it is resumed`,
      `resume it (${resumeCommand(node.kind, node.name, node.namespace)}), or remove the entries`));
  }
  return out;
}

function crossNamespaceDependency(ctx: LintContext): LintFinding[] {
  const out: LintFinding[] = [];
  for (const id of ctx.scope) {
    const node = ctx.graph.nodes.get(id);
    if (!node?.found || !node.object) continue;
    for (const e of ctx.graph.dependencies.get(id) ?? []) {
      const namespace = e.to.split('/')[1];
      if (e.to.split('/').length === 3 && namespace !== node.namespace) {
        out.push(found('cross-namespace-dependency', id, `dependsOn ${e.to} in namespace ${namespace}: refused by controllers started with --no-cross-namespace-refs`,
          'keep dependencies in the same namespace where that flag may be set'));
      }
    }
  }
  return out;
}

export const graphRules = [dependencyCycle, missingOrWrongKind, deepChain, suspendedDependency, crossNamespaceDependency];
