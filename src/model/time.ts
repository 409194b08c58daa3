// Durations as people read them, from timestamps in objects; `now` is always passed in.

/** How long ago, as kubectl's AGE column: 45s, 12m, 3h5m, 4d. Empty when unknown. */
export function age(since: string | undefined, now: Date): string {
  if (!since) return '';
  const seconds = Math.max(0, Math.floor((now.getTime() - Date.parse(since)) / 1000));
  if (Number.isNaN(seconds)) return '';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return `${minutes}m${seconds % 60 ? `${seconds % 60}s` : ''}`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return `${hours}h${minutes % 60 ? `${minutes % 60}m` : ''}`;
  if (hours < 48) return `${hours}h`;
  return `${Math.floor(hours / 24)}d`;
}

/** Milliseconds in a Go duration as Flux specs write them (`5m`, `1m30s`, `1h`, `500ms`); undefined if malformed. */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value !== 'string' || !/^(\d+(\.\d+)?(ms|h|m|s))+$/.test(value)) return undefined;
  const unit: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  for (const [, n, , u] of value.matchAll(/(\d+(\.\d+)?)(ms|h|m|s)/g)) total += Number(n) * (unit[u ?? 's'] ?? 0);
  return total;
}

/** A duration as Go prints one, shortened: 45s, 1m12s, 5m, 1h2m. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return [h ? `${h}h` : '', m ? `${m}m` : '', sec || (!h && !m) ? `${sec}s` : ''].join('');
}
