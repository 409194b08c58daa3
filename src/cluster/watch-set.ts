// A growing set of informers seen as one live list of objects: once the first ones have listed, `changed` gets the
// whole current list each time something changes (bursts coalesced), until the signal aborts. Queries can be
// added as the objects come to need them: they do not hold changes back (one may never list: an aggregated API
// that is down), `changed` names them as not listed yet. One that turns out forbidden or not served is reported
// and dropped.
// When one watch ends for good, the set fails and stops every other one: nothing keeps asking the server.
import type { KubeObject } from '../model/objects.ts';
import type { ListQuery } from '../read/reader.ts';
import { ApiError } from './api-error.ts';
import type { InformerEvents } from './informer.ts';

/** Keeps `cache` equal to the query's objects until `signal` aborts (cluster/informer.ts's inform, bound to a reader). */
export type Inform = (q: ListQuery, cache: Map<string, KubeObject>, on: InformerEvents, signal: AbortSignal) => Promise<void>;

export interface WatchSetEvents {
  /** Everything the caches hold, and the queries added since the first ones that have not listed yet. */
  changed(objects: KubeObject[], pending: ListQuery[]): void;
  notice(message: string): void;
  /** A query that cannot be watched (forbidden, not served): its `Kind/namespace` is unreadable from now on. */
  unreadable(q: ListQuery, message: string, reason: 'forbidden' | 'notServed' | 'notInstalled'): void;
}

export class WatchSet {
  private readonly caches = new Map<string, Map<string, KubeObject>>();
  private readonly pending = new Map<string, ListQuery>();
  /** Until the first queries have all listed, nothing is emitted: a first view from half the lists would mislead. */
  private first = true;
  private timer: NodeJS.Timeout | undefined;
  private fail: (err: unknown) => void = () => {};
  /** Resolves when the signal aborts; rejects when a watch ends for good (credentials refused). */
  readonly done: Promise<void>;
  private readonly inform: Inform;
  private readonly on: WatchSetEvents;
  /** The caller's signal, or the set's own failure: what stops every informer. */
  private readonly stop = new AbortController();
  private readonly signal = this.stop.signal;

  constructor(inform: Inform, on: WatchSetEvents, signal: AbortSignal) {
    this.inform = inform;
    this.on = on;
    this.done = new Promise<void>((resolve, reject) => {
      this.fail = (err) => (this.stop.abort(), reject(err));
      if (signal.aborted) (this.stop.abort(), resolve());
      signal.addEventListener('abort', () => (this.stop.abort(), resolve()), { once: true });
    });
    this.signal.addEventListener('abort', () => clearTimeout(this.timer), { once: true });
  }

  /** Starts watching the queries not watched yet. */
  add(queries: ListQuery[]): void {
    for (const q of queries) {
      const key = `${q.apiVersion}|${q.kind}|${q.namespace ?? ''}`;
      if (this.caches.has(key) || this.signal.aborted) continue;
      const cache = new Map<string, KubeObject>();
      this.caches.set(key, cache);
      this.pending.set(key, q);
      const events: InformerEvents = { change: () => this.emit(), notice: this.on.notice, synced: () => (this.pending.delete(key), this.emit()) };
      this.inform(q, cache, events, this.signal).catch((err: unknown) => {
        if (err instanceof ApiError && err.unreadable) {
          this.pending.delete(key);
          this.on.unreadable(q, err.message, err.unreadReason);
          this.emit();
        } else this.fail(err);
      });
    }
  }

  objects(): KubeObject[] {
    return [...this.caches.values()].flatMap((c) => [...c.values()]);
  }

  private emit(): void {
    if (this.timer || this.signal.aborted) return;
    if (this.first && this.pending.size > 0) return;
    this.first = false;
    // Coalesce a burst (a controller writing several objects) into one redraw.
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.on.changed(this.objects(), [...this.pending.values()]);
    }, 50);
  }
}
