// Checks of flag values that need more than a type: each says what is wrong with the value, in one line.
import { UsageError } from './errors.ts';
import { isShortDigestPrefix, minDigestPrefix } from './model/revision.ts';
import { parseDuration } from './model/time.ts';

/** Milliseconds in a duration flag such as --timeout 5m; throws UsageError naming the flag for anything else. */
export function durationValue(flag: string, value: unknown): number {
  const text = String(value);
  if (/^-\d/.test(text)) throw new UsageError(`invalid --${flag} "${text}": a duration cannot be negative; use one such as 90s or 5m`);
  const ms = parseDuration(text);
  if (ms === undefined) throw new UsageError(`invalid --${flag} "${text}": use a duration such as 90s or 5m`);
  return ms;
}

/** A count flag such as --depth: a whole number >= min (0 unless said, as lint --max-depth's 1). */
export function countValue(flag: string, value: number, min = 0): number {
  if (!Number.isInteger(value) || value < min) throw new UsageError(`--${flag} must be a whole number >= ${min}, not ${value}`);
  return value;
}

/** An API server address (-s/--server): a URL, as kubectl needs one. */
export function serverValue(value: string | undefined): string | undefined {
  if (value !== undefined && !isServerURL(value)) {     throw new UsageError(`invalid --server "${value}": use the API server's URL, such as https://127.0.0.1:6443`);
  }
  return value;
}

/** Whether an API server address is one we can connect to: an http(s) URL with a host. */
export function isServerURL(value: string): boolean {
  return URL.canParse(value) && /^https?:$/.test(new URL(value).protocol) && new URL(value).host !== '';
}

/** An awaited revision (--revision): anything but a digest prefix too short to name one digest. */
export function revisionValue(value: string | undefined): string | undefined {
  if (value !== undefined && isShortDigestPrefix(value)) {
    throw new UsageError(`invalid --revision "${value}": a digest prefix needs at least ${minDigestPrefix} hex characters`);
  }
  return value;
}
