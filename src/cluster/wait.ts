// Waiting by watching: one informer per kind and namespace however many targets, every event re-judged by the
// pure waitState, until all are ready, one fails for good, the time runs out, or the user interrupts.
import type { FluxKind } from '../model/flux.ts';
import { objectId, type KubeObject } from '../model/objects.ts';
import { waitState, type WaitOptions, type WaitState } from '../model/waiting.ts';
import type { Target } from '../model/targets.ts';
import type { ListQuery } from '../read/reader.ts';
import { inform } from './informer.ts';
import type { LiveReader } from './live-reader.ts';

/** A Flux object or a source: reconcile waits on both. */
export type WaitTarget = Omit<Target, 'kind'> & { kind: string };

export type Outcome = 'ready' | 'failed' | 'timeout' | 'interrupted';

export interface WaitHooks {
  /** A target's verdict, reason or revision changed; `all` is every target's state so far. */
  changed(id: string, state: WaitState, all: ReadonlyMap<string, WaitState>): void;
  notice(message: string): void;
}

export interface WaitSettings extends WaitOptions {
  timeoutMs: number;
  interrupted: AbortSignal;
  /**
   * Judge the targets this way instead (reconcile watches lastHandledReconcileAt); `lookup` finds any object the
   * watches hold, such as a target's dependencies.
   */
  verdict?: (target: WaitTarget, obj: KubeObject | undefined, source: KubeObject | undefined, lookup: (id: string) => KubeObject | undefined) => WaitState;
}

export async function waitFor(reader: LiveReader, targets: WaitTarget[], settings: WaitSettings, hooks: WaitHooks): Promise<{ outcome: Outcome; states: Map<string, WaitState> }> {
  if (targets.length === 0) return { outcome: 'ready', states: new Map() };
  const queries = new Map<string, ListQuery>();
  const add = (q: ListQuery) => queries.set(`${q.apiVersion}|${q.kind}|${q.namespace}`, q);
  for (const t of targets) {
    add({ apiVersion: t.apiVersion, kind: t.kind, namespace: t.namespace });
    if (t.source) add({ apiVersion: 'source.toolkit.fluxcd.io/v1', kind: t.source.kind, namespace: t.source.namespace });
  }
  // One cache per informer: each one's relist removes only what is gone from its own query.
  const caches = new Map([...queries.keys()].map((k) => [k, new Map<string, KubeObject>()]));
  const lookup = (id: string) => {
    for (const c of caches.values()) {
      const o = c.get(id);
      if (o) return o;
    }
    return undefined;
  };
  const states = new Map<string, WaitState>();
  const stop = new AbortController();
  let synced = 0;
  let outcome: Outcome | undefined;
  let finish: (o: Outcome) => void = () => {};
  const done = new Promise<Outcome>((resolve) => {
    finish = (o) => {
      if (outcome) return;
      outcome = o;
      stop.abort();
      resolve(o);
    };
  });

  const judge = settings.verdict ?? ((t, obj, source) => waitState(obj, t.kind as FluxKind, source, settings));
  const evaluate = () => {
    if (synced < queries.size || outcome) return;
    for (const t of targets) {
      const source = t.source ? lookup(objectId(t.source.kind, t.source.namespace, t.source.name)) : undefined;
      const state = judge(t, lookup(t.id), source, lookup);
      const before = states.get(t.id);
      states.set(t.id, state);
      if (!before || before.verdict !== state.verdict || before.reason !== state.reason || before.message !== state.message || before.revision !== state.revision) {
        hooks.changed(t.id, state, states);
      }
    }
    const all = [...states.values()];
    if (all.some((s) => s.verdict === 'failed')) finish('failed');
    else if (all.every((s) => s.verdict === 'ready')) finish('ready');
  };

  const timer = setTimeout(() => finish('timeout'), settings.timeoutMs);
  const onInterrupt = () => finish('interrupted');
  settings.interrupted.addEventListener('abort', onInterrupt, { once: true });
  if (settings.interrupted.aborted) finish('interrupted');
  const informers = [...queries].map(([key, q]) =>
    inform(reader, q, caches.get(key) as Map<string, KubeObject>, {
      change: evaluate,
      notice: hooks.notice,
      synced: () => {
        synced++;
        evaluate();
      },
    }, stop.signal),
  );
  try {
    // An informer rejects only when it is refused (403): that ends the wait with the error.
    await Promise.race([done, ...informers.map((p) => p.then(() => done))]);
  } finally {
    clearTimeout(timer);
    settings.interrupted.removeEventListener('abort', onInterrupt);
    stop.abort();
  }
  return { outcome: outcome ?? 'interrupted', states };
}
