// timeline as text: one row per object in rollout order (offsets from the rollout's start), a Gantt chart of
// waiting (·) and reconciling (█), the critical path, what only a periodic reconcile records, what is not applied
// yet, and the worst case. Returns a string.
import { shortRevision } from '../model/flux.ts';
import { formatDuration } from '../model/time.ts';
import type { Timeline, TimelineEntry } from '../model/timeline.ts';

const chartWidth = 40;

export function renderTimelineText(t: Timeline): string {
  if (t.entries.length === 0) return 'nothing to show: no Kustomizations or HelmReleases in scope\n';
  const start = Math.min(...t.entries.flatMap((e) => [e.gateAt, e.startAt, e.periodicAt].filter((x): x is string => !!x).map(Date.parse)));
  const end = Math.max(...t.entries.flatMap((e) => [e.readyAt, e.periodicAt].filter((x): x is string => !!x).map(Date.parse)));
  const known = Number.isFinite(start) && Number.isFinite(end) && end >= start;
  const offset = (at?: string) => (at && known ? `+${seconds(Date.parse(at) - start)}` : '-');
  const rows = [['LEVEL', 'OBJECT', 'REVISION', 'STARTED', 'READY', 'TOOK', 'WAITED', 'REQUEUES', 'WAITED ON']];
  for (const e of t.entries) {
    const ready = e.periodicAt ? `by ${offset(e.periodicAt)}` : e.ready ? offset(e.readyAt) : 'not ready';
    // The revision the rollout is about: one not applied yet is marked so (what it last applied: below the chart).
    const revision = e.attemptedRevision ? `${shortRevision(e.attemptedRevision)} (not applied)` : shortRevision(e.revision) || '-';
    rows.push([String(e.level), e.id, revision, offset(e.startAt), ready,
      e.tookMs === undefined ? '-' : seconds(e.tookMs), e.waitedMs === undefined ? '-' : seconds(e.waitedMs), e.requeues === undefined ? '-' : String(e.requeues), e.gate ?? '-']);
  }
  const lines = [table(rows), ''];
  if (known && end > start) lines.push(...gantt(t.entries, start, end), '');
  if (t.criticalPath.length) lines.push(`critical path: ${t.criticalPath.join(' → ')}${t.totalMs !== undefined ? `, ${seconds(t.totalMs)} in all` : ''}`);
  const requeues = t.entries.reduce((n, e) => n + (e.requeues ?? 0), 0);
  if (requeues) lines.push(`dependency requeues: ${requeues} (up to 30s each; flux-deps reconcile --with-upstream asks each level as soon as the one before is Ready)`);
  for (const e of t.entries.filter((x) => x.periodicAt)) {
    lines.push(`${e.id}: Ready at ${shortRevision(e.revision)} by ${offset(e.periodicAt)}, a periodic reconcile of manifests it had applied before; when it first became Ready is not recorded (its events expired), and it did not wait`);
  }
  lines.push(...notApplied(t.entries));
  lines.push(...worstCase(t));
  return lines.join('\n') + '\n';
}

/** Per revision rolling out and the one left behind: which objects have not applied it yet. */
function notApplied(entries: TimelineEntry[]): string[] {
  const groups = new Map<string, { attempted: string; before: string; ids: string[] }>();
  for (const e of entries.filter((x) => x.attemptedRevision)) {
    const attempted = shortRevision(e.attemptedRevision as string);
    const before = e.revision ? `last applied: ${shortRevision(e.revision)}` : 'nothing applied before';
    const group = groups.get(`${attempted} ${before}`) ?? { attempted, before, ids: [] };
    group.ids.push(e.id);
    groups.set(`${attempted} ${before}`, group);
  }
  return [...groups.values()].map((g) => `not applied yet: ${g.attempted} by ${g.ids.join(', ')} (${g.before})`);
}

/**
 * How late the slowest chain's leaf can be Ready, and what a failure along it does: the dependents wait
 * (DependencyNotReady, re-checked every 30 s) rather than fail, so only the failing level reports it.
 */
function worstCase(t: Timeline): string[] {
  const { path, timeoutMs, requeuesMs } = t.worstCase;
  if (!path.length) return [];
  const [root = ''] = path;
  const leaf = path[path.length - 1] ?? '';
  const rootTimeout = t.entries.find((e) => e.id === root)?.timeoutMs;
  if (path.length === 1) return [`worst case: ${root} Ready up to ${formatDuration(timeoutMs)} after a change (its timeout); broken, it reports the failure then`];
  return [
    `worst case: ${leaf} Ready up to ${formatDuration(timeoutMs)} after a change (+${formatDuration(requeuesMs)} of dependency requeues) when every level of ${path.join(' → ')} takes its whole timeout`,
    `  a failing level holds the levels after it: they wait (DependencyNotReady, re-checked every 30s) and never fail; a broken ${root} reports its failure after ${rootTimeout === undefined ? 'its timeout' : `its ${formatDuration(rootTimeout)} timeout`}, and ${leaf} waits until it is fixed`,
  ];
}

function gantt(entries: TimelineEntry[], start: number, end: number): string[] {
  const col = (at: number) => Math.min(chartWidth, Math.max(0, Math.round(((at - start) / (end - start)) * chartWidth)));
  const names = entries.map((e) => e.id.slice(e.id.indexOf('/') + 1));
  const width = Math.max(...names.map((n) => n.length));
  const lines = [`${' '.repeat(width)}  |${'-'.repeat(chartWidth)}| ${seconds(end - start)}`];
  entries.forEach((e, i) => {
    const bar = Array.from({ length: chartWidth }, () => ' ');
    const from = e.gateAt ? col(Date.parse(e.gateAt)) : undefined;
    // At least one column for a reconciliation, however short.
    const s = e.startAt ? Math.min(chartWidth - 1, col(Date.parse(e.startAt))) : undefined;
    const r = e.readyAt ? col(Date.parse(e.readyAt)) : undefined;
    if (from !== undefined && s !== undefined) for (let c = from; c < s; c++) bar[c] = '·';
    if (s !== undefined && r !== undefined) for (let c = s; c < Math.max(r, s + 1) && c < chartWidth; c++) bar[c] = '█';
    lines.push(`${(names[i] ?? '').padEnd(width)}  |${bar.join('')}|`);
  });
  return lines;
}

function table(rows: string[][]): string {
  const widths = (rows[0] ?? []).map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c] ?? 0))).join('  ')).join('\n');
}

/** 0.2s, 5.3s, 24.8s, then 1m5s as durations are usually written. */
function seconds(ms: number): string {
  return ms < 60_000 ? `${(Math.round(ms / 100) / 10).toFixed(1)}s` : formatDuration(ms);
}
