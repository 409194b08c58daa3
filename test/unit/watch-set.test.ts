// The watch set against a scripted API server: when one watch ends for good, every other one stops too.
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { ApiError } from '../../src/cluster/api-error.ts';
import { WatchSet } from '../../src/cluster/watch-set.ts';
import { backoffPolicy, inform } from '../../src/cluster/informer.ts';
import { configMapList, FakeApi, json, status, watchEvents } from '../support/fake-api.ts';

const inNamespace = (namespace: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', namespace });
const ignore = { changed: () => {}, notice: () => {}, unreadable: () => {} };

describe('the watch set', function () {
  this.timeout(15_000);

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
