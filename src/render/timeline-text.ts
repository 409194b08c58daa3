// timeline as text: one row per object in rollout order (offsets from the rollout's start), a Gantt chart of
// waiting (·) and reconciling (█), the critical path and the worst case. Returns a string.
import { shortRevision } from '../model/flux.ts';
import { formatDuration } from '../model/time.ts';
import type { Timeline, TimelineEntry } from '../model/timeline.ts';

const chartWidth = 40;

export function renderTimelineText(t: Timeline): string {
  if (t.entries.length === 0) return 'nothing to show: no Kustomizations or HelmReleases in scope\n';
  const start = Math.min(...t.entries.flatMap((e) => [e.gateAt, e.startAt].filter((x): x is string => !!x).map(Date.parse)));
  const end = Math.max(...t.entries.flatMap((e) => (e.readyAt ? [Date.parse(e.readyAt)] : [])));
  const known = Number.isFinite(start) && Number.isFinite(end) && end >= start;
  const offset = (at?: string) => (at && known ? `+${seconds(Date.parse(at) - start)}` : '-');
  const rows = [['LEVEL', 'OBJECT', 'REVISION', 'STARTED', 'READY', 'TOOK', 'WAITED', 'REQUEUES', 'WAITED ON']];
  for (const e of t.entries) {
    rows.push([String(e.level), e.id, shortRevision(e.revision) || '-', offset(e.startAt), e.ready ? offset(e.readyAt) : 'not ready',
      e.tookMs === undefined ? '-' : seconds(e.tookMs), e.waitedMs === undefined ? '-' : seconds(e.waitedMs), e.requeues === undefined ? '-' : String(e.requeues), e.gate ?? '-']);
  }
  const lines = [table(rows), ''];
  if (known && end > start) lines.push(...gantt(t.entries, start, end), '');
  if (t.criticalPath.length) lines.push(`critical path: ${t.criticalPath.join(' → ')}${t.totalMs !== undefined ? `, ${seconds(t.totalMs)} in all` : ''}`);
  const requeues = t.entries.reduce((n, e) => n + (e.requeues ?? 0), 0);
  if (requeues) lines.push(`dependency requeues: ${requeues} (up to 30s each; flux-deps reconcile --with-upstream asks each level as soon as the one before is Ready)`);
  if (t.worstCase.path.length) {
    const [root] = t.worstCase.path;
    const leaf = t.worstCase.path[t.worstCase.path.length - 1];
    lines.push(t.worstCase.path.length > 1
      ? `worst case: a broken ${root} can take up to ${formatDuration(t.worstCase.timeoutMs)} to fail ${leaf} (the sum of the timeouts along ${t.worstCase.path.join(' → ')})`
      : `worst case: ${root} can take up to ${formatDuration(t.worstCase.timeoutMs)} to fail (its timeout)`);
  }
  return lines.join('\n') + '\n';
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
