// LIST as kubectl does it, against a scripted API server: pages of 500 with continue tokens, a list started
// again when its continue token expires, Retry-After honoured, a refused credential asked again once.
import assert from 'node:assert/strict';
import { ApiError } from '../../src/cluster/api-error.ts';
import { cachingCredentials, configMapList, FakeApi, json, status, type Script } from '../support/fake-api.ts';

const q = { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default' };

async function withFake<T>(script: Script, use: (fake: FakeApi) => Promise<T>): Promise<T> {
  const fake = await new FakeApi(script).start();
  try {
    return await use(fake);
  } finally {
    await fake.stop();
  }
}

describe('the live reader’s LIST', function () {
  this.timeout(10_000);

  it('reads every page, 500 at a time, and keeps the first page’s resourceVersion', async () => {
    const pages: Record<string, ReturnType<typeof configMapList>> = {
      '': configMapList(['a', 'b'], '100', 'token-1'), 'token-1': configMapList(['c'], '100', 'token-2'), 'token-2': configMapList(['d'], '100'),
    };
    await withFake((_q, res, seen) => json(res, 200, pages[seen.query.get('continue') ?? '']), async (fake) => {
      const reader = fake.reader();
      const list = await reader.listAll(q);
      reader.close();
      assert.deepEqual(list.items.map((o) => o.metadata?.name), ['a', 'b', 'c', 'd']);
      assert.equal(list.resourceVersion, '100');
      assert.deepEqual(fake.seen.map((s) => [s.query.get('limit'), s.query.get('continue')]), [['500', null], ['500', 'token-1'], ['500', 'token-2']]);
      assert.equal(list.items[0]?.kind, 'ConfigMap');
    });
  });

  it('starts again from the first page when a continue token has expired (410)', async () => {
    let firsts = 0;
    await withFake((_q, res, seen) => {
      const token = seen.query.get('continue');
      if (!token) return json(res, 200, ++firsts === 1 ? configMapList(['a'], '100', 'old') : configMapList(['a2'], '200', 'new'));
      if (token === 'old') return json(res, 410, status(410, 'Expired', 'The provided continue parameter is too old'));
      json(res, 200, configMapList(['b2'], '200'));
    }, async (fake) => {
      const reader = fake.reader();
      const list = await reader.listAll(q);
      reader.close();
      assert.deepEqual(list.items.map((o) => o.metadata?.name), ['a2', 'b2'], 'no page of the old list is kept');
      assert.equal(list.resourceVersion, '200');
    });
  });

  it('asks discovery again after it failed, rather than keeping the failure', async () => {
    let discoveries = 0;
    await withFake((_req, res, seen) => {
      if (seen.path !== '/apis/example.com/v1') return json(res, 404, status(404, 'NotFound', 'no'));
      if (++discoveries === 1) return json(res, 500, status(500, 'InternalError', 'discovery is down'));
      json(res, 200, { kind: 'APIResourceList', resources: [{ name: 'widgets', kind: 'Widget', namespaced: true }] });
    }, async (fake) => {
      const reader = fake.reader();
      const widgets = { apiVersion: 'example.com/v1', kind: 'Widget', namespace: 'default' };
      await assert.rejects(reader.path(widgets), (err) => err instanceof ApiError && err.failure === 'server');
      assert.equal(await reader.path(widgets), '/apis/example.com/v1/namespaces/default/widgets');
      assert.equal(await reader.path(widgets), '/apis/example.com/v1/namespaces/default/widgets');
      reader.close();
      assert.equal(discoveries, 2, 'asked again once after the failure; the answer then kept');
    });
  });

  it('shows a forbidden kind as unreadable, with the server’s reason', async () => {
    await withFake((_q, res) => json(res, 403, status(403, 'Forbidden', 'configmaps is forbidden: User "viewer" cannot list')), async (fake) => {
      const reader = fake.reader();
      const list = await reader.list(q);
      reader.close();
      assert.deepEqual(list, { items: [], unreadable: 'forbidden to list configmaps in namespace default: configmaps is forbidden: User "viewer" cannot list', reason: 'forbidden' });
    });
  });

  it('reads a kind whose API does not answer as unavailable, in kubectl’s words; a Kustomization LIST unanswered fails', async () => {
    // An aggregated API that is down answers its discovery with a plain 503 (test/cluster/unread.test.ts shows it).
    const down = (res: import('node:http').ServerResponse) => (res.writeHead(503, { 'content-type': 'text/plain' }), res.end('service unavailable\n'));
    await withFake((_q, res, seen) => (seen.path === '/apis/example.com/v1' || seen.path.includes('/kustomizations') ? down(res) : json(res, 200, configMapList([]))), async (fake) => {
      const reader = fake.reader();
      try {
        assert.deepEqual(await reader.list({ apiVersion: 'example.com/v1', kind: 'Widget', namespace: 'apps' }), {
          items: [], unreadable: "couldn't get resource list for example.com/v1: the server is currently unable to handle the request", reason: 'unavailable',
        });
        await assert.rejects(reader.list({ apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', namespace: 'apps' }),
          (err) => err instanceof ApiError && err.failure === 'throttled' && err.message === 'cannot list kustomizations in namespace apps: the server is currently unable to handle the request');
      } finally {
        reader.close();
      }
    });
  });

  it('waits as long as Retry-After says before asking again (429)', async () => {
    let n = 0;
    await withFake((_q, res) => (n++ === 0 ? json(res, 429, status(429, 'TooManyRequests', 'slow down'), { 'Retry-After': '1' }) : json(res, 200, configMapList(['a']))), async (fake) => {
      const reader = fake.reader();
      const list = await reader.listAll(q);
      reader.close();
      assert.equal(list.items.length, 1);
      const [first, second] = fake.seen;
      assert.ok((second?.at ?? 0) - (first?.at ?? 0) >= 950);
    });
  });

  it('asks for fresh credentials once on a 401; refused again, one line naming the user and server (exit 4)', async () => {
    let asked = 0;
    let accepted = true;
    const authorize = cachingCredentials(() => `Bearer token-${++asked}`);
    await withFake((_q, res, seen) => (accepted && seen.authorization === 'Bearer token-2' ? json(res, 200, configMapList(['a'])) : json(res, 401, status(401, 'Unauthorized', 'Unauthorized'))), async (fake) => {
      const reader = fake.reader({ authorize, user: 'oidc-user' });
      assert.equal((await reader.listAll(q)).items.length, 1);
      assert.equal(asked, 2);
      // token-2 is refused from now on: a new credential once more, then the end.
      accepted = false;
      asked = 5;
      await assert.rejects(reader.listAll(q), (err: unknown) => err instanceof ApiError && err.exitCode === 4 && err.message === `the cluster at ${fake.url} rejected the credentials of user "oidc-user" (401 Unauthorized)`);
      reader.close();
      assert.equal(asked, 6);
    });
  });

  it('does not ask again for a static token: a 401 is the end', async () => {
    await withFake((_q, res) => json(res, 401, status(401, 'Unauthorized', 'Unauthorized')), async (fake) => {
      const reader = fake.reader({ headers: { Authorization: 'Bearer static' } });
      await assert.rejects(reader.listAll(q), (err: unknown) => err instanceof ApiError && err.failure === 'unauthorized');
      reader.close();
      assert.equal(fake.seen.length, 1);
    });
  });
});
