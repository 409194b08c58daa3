// The watch set: a query added later that never lists holds nothing back (informers written here); and, against
// a scripted API server, when one watch ends for good every other one stops too.
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { ApiError } from '../../src/cluster/api-error.ts';
import { WatchSet } from '../../src/cluster/watch-set.ts';
import { backoffPolicy, inform, type InformerEvents } from '../../src/cluster/informer.ts';
import type { KubeObject } from '../../src/model/objects.ts';
import type { ListQuery } from '../../src/read/reader.ts';
import { configMapList, FakeApi, json, status, watchEvents } from '../support/fake-api.ts';

const inNamespace = (namespace: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', namespace });
const ignore = { changed: () => {}, notice: () => {}, unreadable: () => {} };

describe('the watch set', function () {
  this.timeout(15_000);

  it('goes on telling changes while a query added later has not listed, and names it as not listed', async () => {
    const informers = new Map<string, { cache: Map<string, KubeObject>; on: InformerEvents }>();
    const stop = new AbortController();
    const frames: Array<{ names: string[]; pending: ListQuery[] }> = [];
    let framed = () => {};
    const set = new WatchSet(async (q, cache, on, signal) => {
      informers.set(q.namespace ?? '', { cache, on });
      // 'down' never lists (an aggregated API that is down keeps answering 503); the others at once.
      if (q.namespace !== 'down') {
        cache.set(`ConfigMap/${q.namespace}/a`, { kind: 'ConfigMap', metadata: { name: 'a', namespace: q.namespace } });
        on.synced();
      }
      await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
    }, {
      ...ignore,
      changed: (objects, pending) => (frames.push({ names: objects.map((o) => `${o.metadata?.namespace}/${o.metadata?.name}`), pending }), framed()),
    }, stop.signal);
    const next = () => new Promise<void>((resolve) => (framed = resolve));
    try {
      let frame = next();
      set.add([inNamespace('default')]);
      await frame;
      frame = next();
      set.add([inNamespace('down')]);
      const def = informers.get('default');
      def?.cache.set('ConfigMap/default/b', { kind: 'ConfigMap', metadata: { name: 'b', namespace: 'default' } });
      def?.on.change('ADDED', {});
      await frame;
      assert.deepEqual(frames.map((f) => f.names), [['default/a'], ['default/a', 'default/b']]);
      assert.deepEqual(frames.map((f) => f.pending), [[], [inNamespace('down')]]);
    } finally {
      stop.abort();
    }
  });

  it('stops every informer when one ends for good (401): no request continues after the failure', async () => {
    let watching!: (res: ServerResponse) => void;
    const watch = new Promise<ServerResponse>((resolve) => (watching = resolve));
    const fake = await new FakeApi((_req, res, seen) => {
      if (seen.path.includes('/namespaces/refused/')) return void watch.then(() => json(res, 401, status(401, 'Unauthorized', 'Unauthorized')));
      if (!seen.watch) return json(res, 200, configMapList(['a']));
      watchEvents(res, [], false);
      watching(res);
    }).start();
    const reader = fake.reader();
    const interrupted = new AbortController();
    try {
      const set = new WatchSet((q, cache, on, signal) => inform(reader, q, cache, on, signal), ignore, interrupted.signal);
      set.add([inNamespace('default'), inNamespace('refused')]);
      await assert.rejects(set.done, (err) => err instanceof ApiError && err.failure === 'unauthorized');
      const failedAt = fake.seen.length;
      const open = await watch;
      // The healthy watch is closed by us, not left open; and nothing is asked again after a retry's floor.
      if (!open.closed) await new Promise((resolve) => open.once('close', resolve));
      await sleep(backoffPolicy.floorMs * 1.5);
      assert.deepEqual(fake.seen.slice(failedAt).map((s) => s.path), []);
    } finally {
      interrupted.abort();
      reader.close();
      await fake.stop();
    }
  });
});
