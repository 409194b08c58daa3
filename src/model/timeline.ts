// Where a rollout's time went, from what the controllers record: each object's Ready transition at the revision
// it applied, how long its last reconciliation took (the controller's "Reconciliation finished in X" event, else
// status.history), and so how long it only waited on its dependencies or its source (kustomize-controller's
// 30 s dependency requeues). A success recorded only by a later interval-driven reconciliation of the same
// manifests is no wait: its first Ready is then unknown, and said so. Then the critical path, and the worst case:
// the sum of timeouts along the longest chain, how late its leaf can be Ready when every level takes its whole
// timeout (a level that fails holds its dependents, which wait rather than fail). Pure: objects in, a plain value out.
import { artifactRevisionOf, attemptedRevisionOf, fluxKindOf, helmTimeout, kustomizationTimeout, KUSTOMIZATION, revisionOf, sourceRefOf } from './flux.ts';
import { buildGraph, compareIds, type Graph } from './graph.ts';
import { conditionOf, objectId, type KubeObject } from './objects.ts';
import { parseDuration } from './time.ts';
import { closure, levelsOf } from './walk.ts';

export interface TimelineOptions {
  namespace: string;
  /** Only this object and its upstream. */
  ref?: string;
}

export interface TimelineEntry {
  id: string;
  level: number;
  /** The revision it last applied (a Kustomization's lastAppliedRevision; a HelmRelease's latest release's chart). */
  revision: string;
  /**
   * The revision the rollout is about, when it has not applied it (`revision` is older): a Kustomization's source
   * artifact, else its lastAttemptedRevision; a HelmRelease's lastAttemptedRevision. A failing object's, or one
   * waiting on its dependencies, which never got to try it (its lastAttemptedRevision stays on the old one).
   */
  attemptedRevision?: string;
  ready: boolean;
  /** When it could have started: its source's new artifact, or its last dependency becoming Ready. */
  gateAt?: string;
  /** What it waited for: the dependency (or source) that was Ready last. */
  gate?: string;
  /** When its successful reconciliation started and ended (Ready=True at this revision). */
  startAt?: string;
  readyAt?: string;
  /**
   * Ready at this revision, but only an interval-driven reconciliation of manifests it had applied before records
   * it, at this time: when it first became Ready is not known (its events expired), and it is no wait.
   */
  periodicAt?: string;
  /** Apply and health checks, in ms. */
  tookMs?: number;
  /** Only waiting (dependency requeues), in ms, and how many 30 s requeues that is. */
  waitedMs?: number;
  requeues?: number;
  /** The controller's timeout for one attempt, in ms. */
  timeoutMs?: number;
}

export interface Timeline {
  entries: TimelineEntry[];
  /** From the first gate to the last Ready, through the objects that held each step. */
  criticalPath: string[];
  totalMs?: number;
  /**
   * The chain whose timeouts add up most, and that sum: how late its leaf can be Ready when every level takes its
   * whole timeout, plus up to one dependency requeue per level after the first (`requeuesMs`).
   */
  worstCase: { path: string[]; timeoutMs: number; requeuesMs: number };
}

/** kustomize-controller's --requeue-dependency default. */
const requeueMs = 30_000;

export function buildTimeline(objects: KubeObject[], options: TimelineOptions): Timeline {
  const graph = buildGraph(objects, options.namespace);
  const inScope = new Set([...graph.nodes.values()].filter((n) => n.found && (n.kind === KUSTOMIZATION || n.kind === 'HelmRelease')).map((n) => n.id));
  const ids = options.ref ? new Set([...closure(graph, [options.ref], 'upstream')].filter((id) => inScope.has(id))) : inScope;
  const { levels } = levelsOf(graph, ids);
  const byId = new Map<string, KubeObject>(objects.map((o) => [objectId(o.kind ?? '', o.metadata?.namespace, o.metadata?.name ?? ''), o]));
  const events = objects.filter((o) => o.kind === 'Event');
  const entries = new Map<string, TimelineEntry>();

  levels.forEach((level, i) => {
    for (const id of level) {
      const obj = graph.nodes.get(id)?.object as KubeObject;
      const kind = fluxKindOf(obj);
      if (!kind) continue;
      const src = sourceRefOf(obj, kind, obj.metadata?.namespace ?? options.namespace);
      const source = src ? byId.get(objectId(src.kind, src.namespace, src.name)) : undefined;
      const revision = revisionOf(obj, kind);
      const attempted = attemptedRevisionOf(obj, kind, source);
      const entry: TimelineEntry = {
        id, level: i, revision, ...(attempted && attempted !== revision ? { attemptedRevision: attempted } : {}),
        ready: false, ...timeoutOf(obj, kind),
      };
      // The gate: the latest of its dependencies' Ready and its source's artifact at the applied revision. A
      // dependency Ready at an unknown time leaves the gate unknown: what it waited for is not known.
      const gates: Array<[string, string | undefined]> = [];
      for (const e of graph.dependencies.get(id) ?? []) {
        const dependency = entries.get(e.to);
        if (dependency?.readyAt || dependency?.periodicAt) gates.push([e.to, dependency.readyAt]);
      }
      const artifactAt = source?.status?.artifact?.lastUpdateTime;
      if (src && typeof artifactAt === 'string' && artifactRevisionOf(source) === entry.revision) gates.push([objectId(src.kind, src.namespace, src.name), artifactAt]);
      const known = gates.filter((g): g is [string, string] => g[1] !== undefined).sort((a, b) => Date.parse(b[1]) - Date.parse(a[1]))[0];
      const last = gates.find(([, at]) => at === undefined) ?? known;
      if (last) {
        entry.gate = last[0];
        if (last[1]) entry.gateAt = last[1];
      }

      // Not Ready at this revision before the latest gate known, even when the last one is not.
      const ready = readyAtRevision(obj, entry.revision, known?.[1], events);
      if (ready?.periodicAt) Object.assign(entry, { ready: true, periodicAt: ready.periodicAt });
      else if (ready?.readyAt) {
        const readyAt = ready.readyAt;
        entry.ready = true;
        entry.readyAt = readyAt;
        entry.tookMs = durationOf(obj, readyAt, events);
        entry.startAt = new Date(Date.parse(readyAt) - entry.tookMs).toISOString().replace('.000Z', 'Z');
        if (entry.gateAt) {
          entry.waitedMs = Math.max(0, Date.parse(entry.startAt) - Date.parse(entry.gateAt));
          // Only a dependency makes the controller requeue; a source's artifact is picked up at once.
          const onDependency = entry.gate !== undefined && entries.has(entry.gate);
          entry.requeues = onDependency && entry.waitedMs > 1_000 ? Math.ceil(entry.waitedMs / requeueMs) : 0;
        }
      }
      entries.set(id, entry);
    }
  });

  const list = [...entries.values()].sort((a, b) => a.level - b.level || compareIds(a.id, b.id));
  const critical = criticalPath(entries);
  const first = critical[0] ? entries.get(critical[0]) : undefined;
  const leaf = critical.length ? entries.get(critical[critical.length - 1] as string) : undefined;
  const startedAt = [first?.gateAt, first?.startAt].filter((x): x is string => !!x).sort((a, b) => Date.parse(a) - Date.parse(b))[0];
  return {
    entries: list,
    criticalPath: first?.gate && first.gateAt ? [first.gate, ...critical] : critical,
    ...(startedAt && leaf?.readyAt ? { totalMs: Date.parse(leaf.readyAt) - Date.parse(startedAt) } : {}),
    worstCase: worstCase(graph, ids, entries),
  };
}

type HistoryEntry = { firstReconciled?: string; lastReconciled?: string; lastReconciledStatus?: string; totalReconciliations?: number; metadata?: { revision?: string } };

/**
 * When the object first became Ready at `revision` after its gate: the earliest record of a successful
 * reconciliation at that revision not before the gate, among its "Reconciliation finished" events, status.history
 * and its Ready transition (a periodic reconcile moves the Ready transition later; history's firstReconciled is
 * older when the same manifests were applied before). When that earliest record is an interval or more after the
 * gate and the revision changed nothing it applies (history's digest first reconciled before the gate, or no
 * history), it is a periodic reconcile, not the rollout's: `periodicAt`, the first Ready unknown.
 */
function readyAtRevision(obj: KubeObject, revision: string, gateAt: string | undefined, events: KubeObject[]): { readyAt?: string; periodicAt?: string } | undefined {
  const ready = conditionOf(obj, 'Ready');
  if (ready?.status !== 'True' || !revision) return undefined;
  const history = Array.isArray(obj.status?.history) ? (obj.status.history as HistoryEntry[]) : [];
  const atRevision = history.filter((h) => h.metadata?.revision === revision && h.lastReconciledStatus === 'ReconciliationSucceeded');
  const finished = eventsOf(obj, events).filter((e) => /^Reconciliation finished in /.test(String(e.message ?? '')) && (revisionOfEvent(e) ?? revision) === revision);
  // Without a gate, history's firstReconciled may be an older revision's (the same manifests): only a lone one counts.
  const firsts = atRevision.filter((h) => gateAt !== undefined || h.totalReconciliations === 1).map((h) => h.firstReconciled);
  const candidates = [ready.lastTransitionTime, ...firsts, ...atRevision.map((h) => h.lastReconciled), ...finished.flatMap((e) => [e.firstTimestamp, e.lastTimestamp])]
    .filter((x): x is string => typeof x === 'string' && !Number.isNaN(Date.parse(x)));
  const gate = gateAt ? Date.parse(gateAt) : -Infinity;
  const first = candidates.filter((c) => Date.parse(c) >= gate).sort((a, b) => Date.parse(a) - Date.parse(b))[0];
  if (!first || !gateAt) return first ? { readyAt: first } : undefined;
  const interval = parseDuration(obj.spec?.interval);
  const appliedBefore = atRevision.length === 0 || atRevision.some((h) => typeof h.firstReconciled === 'string' && Date.parse(h.firstReconciled) < gate);
  // 10% below the interval: kustomize- and helm-controller jitter it by ±5% (--interval-jitter-percentage).
  const periodic = interval !== undefined && appliedBefore && Date.parse(first) - gate >= interval * 0.9;
  return periodic ? { periodicAt: first } : { readyAt: first };
}

/** The object's events. */
function eventsOf(obj: KubeObject, events: KubeObject[]): KubeObject[] {
  return events.filter((e) => {
    const io = e.involvedObject as { kind?: string; name?: string; namespace?: string } | undefined;
    return io?.kind === obj.kind && io?.name === obj.metadata?.name && (io?.namespace ?? e.metadata?.namespace) === obj.metadata?.namespace;
  });
}

/** The revision a controller's event is annotated with, if it is. */
function revisionOfEvent(e: KubeObject): string | undefined {
  const annotations = e.metadata?.annotations ?? {};
  return annotations['kustomize.toolkit.fluxcd.io/revision'] ?? annotations['helm.toolkit.fluxcd.io/revision'];
}

/** The last object to become Ready, and back through the dependency that gated each one. */
function criticalPath(entries: Map<string, TimelineEntry>): string[] {
  const readyOnes = [...entries.values()].filter((e) => e.readyAt);
  let at: TimelineEntry | undefined = readyOnes.sort((a, b) => Date.parse(b.readyAt as string) - Date.parse(a.readyAt as string) || compareIds(a.id, b.id))[0];
  const path: string[] = [];
  while (at && !path.includes(at.id)) {
    path.unshift(at.id);
    at = at.gate ? entries.get(at.gate) : undefined;
  }
  return path;
}

/** The dependency chain with the largest sum of timeouts, each level's own timeout counted once, and its requeues. */
function worstCase(graph: Graph, ids: Set<string>, entries: Map<string, TimelineEntry>): Timeline['worstCase'] {
  const best = new Map<string, { path: string[]; timeoutMs: number }>();
  const visit = (id: string, seen: Set<string>): { path: string[]; timeoutMs: number } => {
    const known = best.get(id);
    if (known) return known;
    let upstream = { path: [] as string[], timeoutMs: 0 };
    for (const e of graph.dependencies.get(id) ?? []) {
      if (!ids.has(e.to) || seen.has(e.to)) continue;
      const candidate = visit(e.to, new Set([...seen, e.to]));
      if (candidate.timeoutMs > upstream.timeoutMs) upstream = candidate;
    }
    const result = { path: [...upstream.path, id], timeoutMs: upstream.timeoutMs + (entries.get(id)?.timeoutMs ?? 0) };
    best.set(id, result);
    return result;
  };
  let worst = { path: [] as string[], timeoutMs: 0 };
  for (const id of [...ids].sort(compareIds)) {
    const candidate = visit(id, new Set([id]));
    if (candidate.timeoutMs > worst.timeoutMs) worst = candidate;
  }
  return { ...worst, requeuesMs: Math.max(0, worst.path.length - 1) * requeueMs };
}

function timeoutOf(obj: KubeObject, kind: string): { timeoutMs?: number } {
  const ms = kind === KUSTOMIZATION ? kustomizationTimeout(obj) : helmTimeout(obj, '');
  return ms === undefined ? {} : { timeoutMs: ms };
}

/**
 * How long the reconciliation that ended at `readyAt` took: the longest "Reconciliation finished in X" event of
 * the object within a second of it (one run may be followed at once by a short one), else status.history's last
 * duration when it ended then, else 0.
 */
function durationOf(obj: KubeObject, readyAt: string, events: KubeObject[]): number {
  const at = Date.parse(readyAt);
  let longest: number | undefined;
  for (const e of eventsOf(obj, events)) {
    const when = Date.parse(String(e.lastTimestamp ?? e.eventTime ?? ''));
    const m = /^Reconciliation finished in (\S+?),/.exec(String(e.message ?? ''));
    const ms = m ? goDuration(m[1] as string) : undefined;
    if (ms !== undefined && Math.abs(when - at) <= 1_000) longest = Math.max(longest ?? 0, ms);
  }
  if (longest !== undefined) return Math.round(longest);
  const history = Array.isArray(obj.status?.history) ? (obj.status.history as Array<{ lastReconciled?: string; lastReconciledDuration?: string }>) : [];
  const latest = history.find((h) => h.lastReconciled && Math.abs(Date.parse(h.lastReconciled) - at) <= 1_000);
  return Math.round(goDuration(latest?.lastReconciledDuration ?? '') ?? 0);
}

/** A Go duration as the controllers print it (5.371589553s, 1m0.2s, 133.4ms), in ms; time.ts's parseDuration reads spec fields. */
export function goDuration(text: string): number | undefined {
  if (!/^(\d+(\.\d+)?(h|m|s|ms|µs|us|ns))+$/.test(text)) return undefined;
  const unit: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1_000, ms: 1, µs: 0.001, us: 0.001, ns: 0.000001 };
  let total = 0;
  for (const [, n, , u] of text.matchAll(/(\d+(\.\d+)?)(h|ms|m|s|µs|us|ns)/g)) total += Number(n) * (unit[u as string] ?? 0);
  return total;
}
