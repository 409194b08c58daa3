// why-blocked: walks every dependsOn branch upstream of a target (not only the first failing one, as the
// controller does) and its sources, and returns the root causes: the deepest objects whose own problem explains
// the block, each with the path of objects merely waiting on it. The verdicts follow the controllers' own rules.
import { dependencyFinding, isReadyAtRevision, ownProblem, sourceArtifactOf } from './diagnose.ts';
import type { Finding } from './finding.ts';
import { nextSteps, type StaleWait } from './next-steps.ts';
import { KUSTOMIZATION, meetsReadyCheck, shortRevision } from './flux.ts';
import { compareIds, type Graph, type GraphNode } from './graph.ts';
import type { ServiceAccountRef } from './failure-causes.ts';
import type { CheckedObject } from './health-checks.ts';
import { compareStrings } from './objects.ts';
import type { World } from './world.ts';

export const blockReasons = [
  'NotFound', 'Suspended', 'SourceNotReady', 'DependencyCycle', 'HealthCheckFailed', 'ReconciliationFailed',
  'RevisionNotUpToDate', 'ReadyExprFalse', 'NotReconciled', 'Progressing',
] as const;
export type BlockReason = (typeof blockReasons)[number];

export interface RootCause {
  object: string;
  reason: BlockReason;
  message: string;
  /** From the target to the root-cause object. */
  path: string[];
  /** Unhealthy health-check objects (HealthCheckFailed, Progressing). */
  objects: CheckedObject[];
  /** Where the object statuses came from. */
  source: 'live' | 'controller message';
  /** Further facts worth a line each: revisions, a readyExpr and the values it read, a caveat. */
  notes: string[];
  /**
   * The ServiceAccount the controller impersonated (spec.serviceAccountName) and the API server refused
   * (ReconciliationFailed); absent otherwise.
   */
  serviceAccount?: ServiceAccountRef;
  /** Commands to run next. */
  next: string[];
}

export interface Explanation {
  target: string;
  ready: boolean;
  blocked: boolean;
  summary: string;
  rootCauses: RootCause[];
}

interface Cause {
  finding: Finding;
  /** From the node being diagnosed to the root-cause object. */
  path: string[];
  /**
   * Only waiting for the controller to look again, at its dependency requeue or its interval: a dependent's own
   * verdict on it says more. Carried with the finding up every path, for its next steps.
   */
  waiting?: StaleWait;
}

/** Why `targetId` (a found node of `graph`) is not Ready at its source's revision, or that it is. */
export function explain(graph: Graph, world: World, targetId: string): Explanation {
  const target = graph.nodes.get(targetId) as GraphNode;
  const done = new Map<string, Cause[]>();
  const visiting: string[] = [];

  const causesOf = (id: string): Cause[] => {
    const cached = done.get(id);
    if (cached) return cached;
    const node = graph.nodes.get(id) as GraphNode;
    visiting.push(id);
    const causes: Cause[] = [];
    const own = ownProblem(node, world);
    if (own) causes.push({ finding: own.finding, path: [id, ...own.path] });
    // A suspended object never moves, whatever its dependencies do: that is the whole answer for it.
    if (own?.finding.reason !== 'Suspended' && node.found) {
      for (const edge of graph.dependencies.get(id) ?? []) {
        if (visiting.includes(edge.to)) {
          causes.push({ finding: cycleFinding(visiting.slice(visiting.indexOf(edge.to))), path: [id, edge.to] });
          continue;
        }
        const dep = graph.nodes.get(edge.to) as GraphNode;
        const unmet = dependencyFinding(node, dep, edge, world);
        if (!unmet) continue;
        const deeper = dep.found ? causesOf(edge.to) : [];
        if (deeper.some((c) => !c.waiting)) causes.push(...deeper.map((c) => ({ ...c, path: [id, ...c.path] })));
        // "Not ready" says less than the dependency's own wait (its dependencies are ready now, say): keep that.
        else if (deeper.length > 0 && unmet.reason === 'NotReconciled') causes.push(...deeper.map((c) => ({ ...c, path: [id, ...c.path] })));
        else causes.push({ finding: unmet, path: [id, edge.to] });
      }
    }
    if (causes.length === 0 && node.found && !isSettled(node, world)) causes.push(staleWait(node, world));
    visiting.pop();
    const unique = dedupe(causes);
    done.set(id, unique);
    return unique;
  };

  const causes = isReadyAtRevision(target, world) ? [] : causesOf(targetId);
  const rootCauses = causes.map((c) => {
    const cause = { ...c.finding, path: shownPath(c), next: [] as string[] };
    cause.next = nextSteps(cause, c.waiting);
    return cause;
  });
  return { target: targetId, ready: rootCauses.length === 0, blocked: rootCauses.length > 0, summary: summarize(target, rootCauses, world), rootCauses };
}

/** Ready, or (for a dependency) ready enough that the controller would go on. */
function isSettled(node: GraphNode, world: World): boolean {
  return node.object ? meetsReadyCheck(node.object) && isReadyAtRevision(node, world) : false;
}

/** Not ready, no problem of its own, nothing upstream in the way: it is waiting for the controller to look again. */
function staleWait(node: GraphNode, world: World): Cause {
  const base = { object: node.id, objects: [], source: 'live' as const, notes: [] };
  // The controller's own verdict (Ready reason DependencyNotReady), from before its dependencies became ready.
  if (node.reason === 'DependencyNotReady') {
    const controller = node.kind === KUSTOMIZATION ? 'kustomize' : 'helm';
    const message = `its dependencies are ready now; ${controller}-controller checks them again within 30s (its last check said: ${node.message})`;
    return { finding: { ...base, reason: 'Progressing', message }, path: [node.id], waiting: 'dependency requeue' };
  }
  const artifact = sourceArtifactOf(node, world);
  const interval = typeof node.object?.spec?.interval === 'string' ? ` (every ${node.object.spec.interval})` : '';
  const finding: Finding = {
    ...base,
    reason: 'RevisionNotUpToDate',
    message: `Ready at ${shortRevision(node.revision || 'no revision')}, but its source serves ${shortRevision(artifact ?? 'a newer revision')}; it applies it at its next reconciliation${interval}`,
    notes: [`applied: ${node.revision || '(none)'}`, `source:  ${artifact ?? '(unknown)'}`],
  };
  return { finding, path: [node.id], waiting: 'interval' };
}

function cycleFinding(path: string[]): Finding {
  // The same cycle found from different starts is one root cause: name it from its smallest id.
  const first = path.indexOf([...path].sort(compareIds)[0] as string);
  const members = [...path.slice(first), ...path.slice(0, first)];
  const loop = [...members, members[0] as string];
  return {
    object: members[0] as string,
    reason: 'DependencyCycle',
    message: `dependsOn forms a cycle, so none of these ever becomes ready: ${loop.join(' → ')}`,
    objects: [],
    source: 'live',
    notes: [],
  };
}

/** A cycle is found where it closes; its path ends where the named member is first reached. */
function shownPath(c: Cause): string[] {
  const end = c.path.indexOf(c.finding.object);
  return c.finding.reason === 'DependencyCycle' && end >= 0 ? c.path.slice(0, end + 1) : c.path;
}

/** One entry per root-cause object and reason, keeping the first (shortest as shown, spec-order) path to it. */
function dedupe(causes: Cause[]): Cause[] {
  const seen = new Map<string, Cause>();
  for (const c of causes) {
    const key = `${c.finding.object}|${c.finding.reason}`;
    const had = seen.get(key);
    if (!had || shownPath(c).length < shownPath(had).length) seen.set(key, c);
  }
  return [...seen.values()].sort((a, b) => compareIds(a.finding.object, b.finding.object) || compareStrings(a.finding.reason, b.finding.reason));
}

function summarize(target: GraphNode, causes: RootCause[], world: World): string {
  if (causes.length === 0) {
    const revision = target.revision || sourceArtifactOf(target, world);
    return `${target.id} is Ready${revision ? ` at ${shortRevision(revision)}` : ''}: not blocked`;
  }
  const first = causes.map((c) => {
    const worst = c.objects[0];
    const detail = worst ? `: ${worst.id} ${worst.status}${worst.details[0] ? ` (${worst.details[0]})` : ''}` : `: ${c.message}`;
    return `${c.object} ${c.reason}${detail}`;
  });
  return `${target.id} is blocked by ${causes.length === 1 ? 'one root cause' : `${causes.length} root causes`}: ${first.join('; ')}`;
}
