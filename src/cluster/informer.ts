// One LIST then WATCH of a kind in a namespace, kept going until the caller stops: a watch the server ends is
// resumed from the last resourceVersion (bookmarks keep it fresh), 410 Gone relists, and a dropped connection or
// a restarting API server is retried with backoff. Never a poll loop.
import { ClusterError } from '../errors.ts';
import { objectId, type KubeObject } from '../model/objects.ts';
import type { ListQuery } from '../read/reader.ts';
import { statusMessage } from './http.ts';
import type { LiveReader } from './live-reader.ts';

export type Change = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface InformerEvents {
  change(type: Change, obj: KubeObject): void;
  /** Something worth a line on stderr: a watch that dropped and is being retried. */
  notice(message: string): void;
  /** The first LIST is in the cache: from now on the cache is the truth. */
  synced(): void;
}

const maxBackoffMs = 5_000;

/** Keeps `cache` equal to the query's objects until `signal` aborts; rejects only on a refusal (403). */
export async function inform(reader: LiveReader, q: ListQuery, cache: Map<string, KubeObject>, on: InformerEvents, signal: AbortSignal): Promise<void> {
  const path = await reader.path(q);
  if (!path) throw new ClusterError(`${q.kind} (${q.apiVersion}) is not served by this cluster`);
  let resourceVersion: string | undefined;
  let backoff = 250;
  let firstList = true;
  const plural = path.slice(path.lastIndexOf('/') + 1);
  const id = (o: KubeObject) => objectId(q.kind, o.metadata?.namespace, o.metadata?.name ?? '');

  while (!signal.aborted) {
    try {
      if (resourceVersion === undefined) {
        const list = await reader.list(q);
        if (list.unreadable) throw new ClusterError(list.unreadable);
        const seen = new Set<string>();
        for (const o of list.items) {
          seen.add(id(o));
          const had = cache.get(id(o));
          cache.set(id(o), o);
          if (had?.metadata?.resourceVersion !== o.metadata?.resourceVersion) on.change(had ? 'MODIFIED' : 'ADDED', o);
        }
        for (const [key, o] of cache) if (!seen.has(key)) (cache.delete(key), on.change('DELETED', o));
        resourceVersion = list.resourceVersion;
        if (firstList) (firstList = false), on.synced();
      }
      const query = `?watch=true&allowWatchBookmarks=true&timeoutSeconds=300${resourceVersion ? `&resourceVersion=${resourceVersion}` : ''}`;
      const res = await reader.api.watch(path + query, (e) => {
        const event = e as { type: string; object: KubeObject & { code?: number } };
        if (event.type === 'ERROR') {
          if (event.object.code === 410) {
            resourceVersion = undefined; // expired: relist, so no transition is missed
            on.notice(`watch of ${plural} expired (410 Gone); relisting`);
          }
          return;
        }
        resourceVersion = event.object.metadata?.resourceVersion ?? resourceVersion;
        if (event.type === 'BOOKMARK') return;
        const obj = { ...event.object, apiVersion: q.apiVersion, kind: q.kind };
        if (event.type === 'DELETED') cache.delete(id(obj));
        else cache.set(id(obj), obj);
        on.change(event.type as Change, obj);
      }, signal);
      if (res && res.status === 410) {
        resourceVersion = undefined;
        on.notice(`watch of ${plural} expired (410 Gone); relisting`);
      }
      else if (res && res.status !== 200) {
        const message = `cannot watch ${plural}${q.namespace ? ` in ${q.namespace}` : ''}: ${statusMessage(res.body)}`;
        throw new ClusterError(res.status === 403 ? `forbidden: ${message}` : message);
      }
      backoff = 250;
    } catch (err) {
      if (signal.aborted) return;
      // Only the cluster's troubles are retried; anything else is a bug, and must not pass for a dropped watch.
      if (!(err instanceof ClusterError)) throw err;
      if (/forbidden|not served|rejected the credentials/i.test(err.message)) throw err;
      on.notice(`watch of ${plural} interrupted (${(err as Error).message}); retrying in ${(backoff / 1000).toFixed(1)}s`);
      await sleep(backoff, signal);
      backoff = Math.min(backoff * 2, maxBackoffMs);
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });
}
