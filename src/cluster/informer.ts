// One LIST then WATCH of a kind in a namespace, kept going until the caller stops, by client-go's reflector rules:
// a watch the server ends is resumed from the last resourceVersion (bookmarks keep it fresh); an ERROR event or an
// error status relists; a dropped connection or a throttling server is retried where it was. Every retry waits,
// with a backoff that grows with jitter and is reset only by a watch that delivered something, and no two watch
// requests start less than a second apart: whatever the server does, a handful of requests a second at most.
import { objectId, type KubeObject } from '../model/objects.ts';
import type { ListQuery } from '../read/reader.ts';
import { apiError, ApiError, isFatal, notServed, statusMessage } from './api-error.ts';
import type { LiveReader } from './live-reader.ts';

export type Change = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface InformerEvents {
  change(type: Change, obj: KubeObject): void;
  /** Something worth a line on stderr: a watch that dropped and is being retried. */
  notice(message: string): void;
  /** The first LIST is in the cache: from now on the cache is the truth. */
  synced(): void;
}

/** client-go's reflector backs off from 800 ms; we stop growing at 15 s, as a CLI waits minutes, not hours. */
export const backoffPolicy = { initialMs: 800, maxMs: 15_000, jitter: 0.5, floorMs: 1_000 };

/** Keeps `cache` equal to the query's objects until `signal` aborts; rejects only on what no retry mends (401, 403). */
export async function inform(reader: LiveReader, q: ListQuery, cache: Map<string, KubeObject>, on: InformerEvents, signal: AbortSignal): Promise<void> {
  // Discovery (for kinds not known by name) is retried with the watch's backoff, as a failed LIST is.
  let path: string | undefined;
  // Named by its resource once discovery has said it, by its kind until then.
  const what = () => `watch of ${path ? path.slice(path.lastIndexOf('/') + 1) : `${q.kind}s`}${q.namespace ? ` in ${q.namespace}` : ''}`;
  const id = (o: KubeObject) => objectId(q.kind, o.metadata?.namespace, o.metadata?.name ?? '');
  const backoff = new Backoff();
  let resourceVersion: string | undefined;
  let firstList = true;

  while (!signal.aborted) {
    let watchStarted = Date.now();
    let delivered = 0;
    // A watch that delivered something, or lasted a while (a quiet namespace behind a proxy that drops bookmarks),
    // was worth having; one that ended at once with nothing was not.
    const worthwhile = () => delivered > 0 || Date.now() - watchStarted >= backoffPolicy.floorMs;
    const floor = () => Math.max(0, backoffPolicy.floorMs - (Date.now() - watchStarted));
    let wait: number;
    try {
      if (path === undefined) {
        path = await reader.path(q);
        if (!path) throw notServed(q);
      }
      if (resourceVersion === undefined) {
        const list = await reader.listAll(q);
        const seen = new Set<string>();
        for (const o of list.items) {
          seen.add(id(o));
          const had = cache.get(id(o));
          cache.set(id(o), o);
          if (had?.metadata?.resourceVersion !== o.metadata?.resourceVersion) on.change(had ? 'MODIFIED' : 'ADDED', o);
        }
        for (const [key, o] of cache) if (!seen.has(key)) (cache.delete(key), on.change('DELETED', o));
        resourceVersion = list.resourceVersion ?? '';
        if (firstList) (firstList = false), on.synced();
      }
      let ended: ApiError | undefined;
      watchStarted = Date.now();
      const query = `?watch=true&allowWatchBookmarks=true&timeoutSeconds=300${resourceVersion ? `&resourceVersion=${resourceVersion}` : ''}`;
      await reader.api.watch(path + query, (e) => {
        const event = e as { type?: string; object?: KubeObject & { code?: number } };
        if (event.type === 'ERROR' || !event.object) {
          // The watch is over, as in client-go: the Status says why (410 Expired, 500 too large resource version...).
          ended = apiError(event.object?.code ?? 500, event.object, `${what()} ended by the server: ${statusMessage(event.object)}`);
          return false;
        }
        delivered++;
        resourceVersion = event.object.metadata?.resourceVersion ?? resourceVersion;
        if (event.type === 'BOOKMARK') return true;
        const obj = { ...event.object, apiVersion: q.apiVersion, kind: q.kind };
        if (event.type === 'DELETED') cache.delete(id(obj));
        else cache.set(id(obj), obj);
        on.change(event.type as Change, obj);
        return true;
      }, signal);
      if (ended) throw ended;
      // A watch the server closed: resume at once if it was worth having, else wait as after an error.
      if (worthwhile()) backoff.reset();
      wait = worthwhile() ? floor() : backoff.next();
    } catch (err) {
      if (signal.aborted) return;
      // Only the cluster's troubles are retried; anything else is a bug, and must not pass for a dropped watch.
      if (!(err instanceof ApiError) || isFatal(err)) throw err;
      if (worthwhile()) backoff.reset();
      // 410 is an answer: the server is there, and the list is what it asks for. Anything else backs off.
      wait = err.failure === 'expired' ? floor() : Math.max(backoff.next(), (err.retryAfter ?? 0) * 1000, floor());
      if (err.failure === 'expired') {
        resourceVersion = undefined; // too old to resume from: relist, so no transition is missed
        on.notice(`${what()} expired (410 Gone); relisting in ${seconds(wait)}`);
      } else if (err.failure === 'unreachable' || err.failure === 'throttled') {
        on.notice(`${what()} interrupted (${err.message}); retrying in ${seconds(wait)}`);
      } else {
        resourceVersion = undefined; // the server's error: start again from a fresh list, as the reflector does
        on.notice(`${what()} failed (${err.message}); relisting in ${seconds(wait)}`);
      }
    }
    await sleep(wait, signal);
  }
}

/** Exponential backoff with jitter; only a watch that delivered something resets it. */
class Backoff {
  private attempt = 0;

  next(): number {
    const base = Math.min(backoffPolicy.maxMs, backoffPolicy.initialMs * 2 ** this.attempt);
    this.attempt++;
    return Math.round(base * (1 + Math.random() * backoffPolicy.jitter));
  }

  reset(): void {
    this.attempt = 0;
  }
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => (clearTimeout(timer), signal.removeEventListener('abort', done), resolve());
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
