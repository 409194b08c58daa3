// The informer against a scripted API server: whatever the server does, a handful of requests a second at most,
// every error relisted or retried with backoff, and what no retry mends ends the watch at once.
import assert from 'node:assert/strict';
import { ApiError } from '../../src/cluster/api-error.ts';
import { inform } from '../../src/cluster/informer.ts';
import type { KubeObject } from '../../src/model/objects.ts';
import { cachingCredentials, configMapList, FakeApi, json, status, watchEvents, type Script } from '../support/fake-api.ts';

const q = { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default' };
const cm = (name: string, rv: string) => ({ metadata: { name, namespace: 'default', resourceVersion: rv } });

/** Runs an informer against `script` for `ms`, then stops it; returns the server and what the informer said. */
async function runFor(script: Script, ms: number, auth: Partial<Parameters<FakeApi['reader']>[0]> = {}) {
  const fake = await new FakeApi(script).start();
  const reader = fake.reader(auth);
  const stop = new AbortController();
  const notices: string[] = [];
  const cache = new Map<string, KubeObject>();
  const timer = setTimeout(() => stop.abort(), ms);
  let error: unknown;
  const started = Date.now();
  try {
    await inform(reader, q, cache, { change: () => {}, notice: (m) => notices.push(m), synced: () => {} }, stop.signal);
  } catch (err) {
    error = err;
  } finally {
    clearTimeout(timer);
    reader.close();
    await fake.stop();
  }
  return { fake, notices, cache, error, took: Date.now() - started };
}

const listThen = (watch: Script): Script => (req, res, seen) => (seen.watch ? watch(req, res, seen) : json(res, 200, configMapList(['a'])));

describe('the informer (reflector rules)', function () {
  this.timeout(15_000);

  it('backs off and relists when every watch gets an ERROR event (500 Too large resource version)', async () => {
    const tooLarge = status(500, 'InternalError', 'Too large resource version: 200, current: 100');
    const { fake, notices } = await runFor(listThen((_q, res) => watchEvents(res, [{ type: 'ERROR', object: tooLarge }], false)), 3_500);
    // 3,780 watch requests a second before; now the backoff's 0.8-1.2 s, 1.6-2.4 s, ... allows at most 4 in 3.5 s.
    assert.ok(fake.watches().length >= 2 && fake.watches().length <= 4, `${fake.watches().length} watch requests`);
    assert.equal(fake.lists().length, fake.watches().length, 'each ERROR relists');
    assert.match(notices[0] ?? '', /^watch of configmaps in default failed \(watch of configmaps in default ended by the server: Too large resource version: 200, current: 100\); relisting in \d\.\ds$/);
  });

  it('does not hammer a server (or proxy) that closes every watch at once', async () => {
    const { fake } = await runFor(listThen((_q, res) => watchEvents(res, [], true)), 3_500);
    assert.ok(fake.watches().length >= 2 && fake.watches().length <= 4, `${fake.watches().length} watch requests`);
    assert.equal(fake.lists().length, 1, 'a closed watch resumes from its resourceVersion');
  });

  it('resumes a watch that delivered an event at once, but never two watch requests within a second', async () => {
    let n = 0;
    const { fake, cache } = await runFor(listThen((_q, res) => watchEvents(res, [{ type: 'MODIFIED', object: cm('a', String(200 + ++n)) }], true)), 3_500);
    const watches = fake.watches();
    assert.ok(watches.length >= 3 && watches.length <= 4, `${watches.length} watch requests`);
    for (let i = 1; i < watches.length; i++) assert.ok((watches[i]?.at ?? 0) - (watches[i - 1]?.at ?? 0) >= 950, 'a second apart');
    assert.equal(watches[1]?.query.get('resourceVersion'), '201', 'resumed from the last event');
    assert.equal(cache.get('ConfigMap/default/a')?.metadata?.resourceVersion, String(200 + n));
  });

  it('relists after 410 Gone, and the cache follows the new list', async () => {
    let lists = 0;
    const script: Script = (_q, res, seen) => {
      if (!seen.watch) return json(res, 200, ++lists === 1 ? configMapList(['a', 'b']) : configMapList(['b', 'c'], '300'));
      if (lists === 1) return watchEvents(res, [{ type: 'ERROR', object: status(410, 'Expired', 'too old resource version: 100 (250)') }], false);
      watchEvents(res, [], false);
    };
    const { fake, cache, notices } = await runFor(script, 2_500);
    assert.equal(fake.lists().length, 2);
    assert.deepEqual([...cache.keys()].sort(), ['ConfigMap/default/b', 'ConfigMap/default/c']);
    assert.match(notices[0] ?? '', /expired \(410 Gone\); relisting/);
    assert.equal(fake.watches()[1]?.query.get('resourceVersion'), '300');
  });

  it('ends at once on 403, without retrying', async () => {
    const { fake, error, took } = await runFor(listThen((_q, res) => json(res, 403, status(403, 'Forbidden', 'configmaps is forbidden: User "viewer" cannot watch'))), 5_000);
    assert.ok(error instanceof ApiError && error.failure === 'forbidden', String(error));
    assert.equal(fake.watches().length, 1);
    assert.ok(took < 2_000, `took ${took} ms`);
  });

  it('asks for fresh credentials once on a 401 and goes on with them', async () => {
    let asked = 0;
    const authorize = cachingCredentials(() => `Bearer token-${++asked}`);
    const { fake, error } = await runFor((_q, res, seen) => {
      if (seen.authorization !== `Bearer token-${asked}` || asked < 2) return json(res, 401, status(401, 'Unauthorized', 'Unauthorized'));
      seen.watch ? watchEvents(res, [], false) : json(res, 200, configMapList(['a']));
    }, 2_000, { authorize });
    assert.equal(error, undefined);
    assert.equal(asked, 2);
    assert.equal(fake.watches().length, 1);
  });

  it('ends with one line naming the user and server when the fresh credentials are refused too', async () => {
    let asked = 0;
    const authorize = cachingCredentials(() => `Bearer token-${++asked}`);
    const { fake, error, took } = await runFor(listThen((_q, res) => json(res, 401, status(401, 'Unauthorized', 'Unauthorized'))), 10_000, { authorize, user: 'eks-admin' });
    assert.ok(error instanceof ApiError && error.failure === 'unauthorized');
    assert.equal((error as Error).message, `the cluster at ${fake.url} rejected the credentials of user "eks-admin" (401 Unauthorized)`);
    assert.equal(fake.watches().length, 2);
    assert.equal(asked, 2);
    assert.ok(took < 2_000, `took ${took} ms`);
  });

  it('retries a throttled watch no sooner than Retry-After', async () => {
    let watches = 0;
    const { fake } = await runFor(listThen((_q, res) => (watches++ === 0 ? json(res, 429, status(429, 'TooManyRequests', 'slow down'), { 'Retry-After': '2' }) : watchEvents(res, [], false))), 3_000);
    const [first, second] = fake.watches();
    assert.ok(second, 'retried');
    assert.ok((second?.at ?? 0) - (first?.at ?? 0) >= 1_950, 'waited as asked');
  });

  it('retries a failed discovery with backoff, then lists and watches the kind', async () => {
    // A kind known only through discovery (an aggregated API, a CRD outside Flux), whose group answers 500 twice.
    const widgets = { apiVersion: 'example.com/v1', kind: 'Widget', namespace: 'default' };
    let discoveries = 0;
    const fake = await new FakeApi((_req, res, seen) => {
      if (seen.path === '/apis/example.com/v1') {
        if (++discoveries <= 2) return json(res, 500, status(500, 'InternalError', 'discovery is down'));
        return json(res, 200, { kind: 'APIResourceList', resources: [{ name: 'widgets', kind: 'Widget', namespaced: true }] });
      }
      if (seen.watch) return watchEvents(res, [], false);
      json(res, 200, { metadata: { resourceVersion: '7' }, items: [cm('w', '7')] });
    }).start();
    const reader = fake.reader();
    const stop = new AbortController();
    const notices: string[] = [];
    const cache = new Map<string, KubeObject>();
    try {
      await inform(reader, widgets, cache, { change: () => {}, notice: (m) => notices.push(m), synced: () => stop.abort() }, stop.signal);
      assert.deepEqual([...cache.keys()], ['Widget/default/w']);
      assert.equal(discoveries, 3);
      assert.equal(notices.length, 2);
      assert.match(notices[0] ?? '', /^watch of Widgets in default failed \(couldn't get resource list for example.com\/v1: discovery is down\); relisting in \d/);
      assert.ok(fake.seen.some((s) => s.path === '/apis/example.com/v1/namespaces/default/widgets'), 'listed where discovery said');
    } finally {
      stop.abort();
      reader.close();
      await fake.stop();
    }
  });
});
