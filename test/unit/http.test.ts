// The HTTP client's own side of the exchange, against a plain-HTTP server (as `kubectl proxy` serves): what it
// asks for and how it reads the answer. What the API server does with it is tested on the test cluster.
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { gzipSync } from 'node:zlib';
import { Api } from '../../src/cluster/http.ts';
import { ClusterError } from '../../src/errors.ts';

describe('the HTTP client', () => {
  let server: Server;
  let seen: IncomingHttpHeaders = {};
  const list = { apiVersion: 'v1', kind: 'List', items: Array.from({ length: 500 }, (_, i) => ({ metadata: { name: `n${i}` } })) };
  const api = (extra: Partial<ConstructorParameters<typeof Api>[0]> = {}) =>
    new Api({ server: `http://127.0.0.1:${(server.address() as { port: number }).port}`, insecure: false, headers: {}, describe: 'the test server', ...extra });

  before(async () => {
    server = createServer((req, res) => {
      seen = req.headers;
      const gzip = String(req.headers['accept-encoding'] ?? '').includes('gzip');
      res.writeHead(200, { 'Content-Type': 'application/json', ...(gzip ? { 'Content-Encoding': 'gzip' } : {}) });
      res.end(gzip ? gzipSync(JSON.stringify(list)) : JSON.stringify(list));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  after(() => server.close());

  it('asks for gzip, as kubectl does, and reads a compressed answer whole', async () => {
    const client = api();
    const res = await client.get('/api/v1/namespaces');
    client.close();
    assert.equal(seen['accept-encoding'], 'gzip');
    assert.deepEqual(res.body, list);
  });

  it('says in one line that credentials could not be had, for a watch as for a request', async () => {
    for (const call of [(c: Api) => c.get('/x'), (c: Api) => c.watch('/x?watch=1', () => {}, new AbortController().signal)]) {
      const client = api({ authorize: () => Promise.reject(new Error('exec plugin failed\nwith details')) });
      await assert.rejects(call(client), (err: Error) => err instanceof ClusterError && err.message === 'cannot get credentials for the test server: exec plugin failed');
      client.close();
    }
  });

  it('asks for credentials at every request, so that an expiring token is replaced on time, not only after a 401', async () => {
    const asked: string[] = [];
    const client = api({ authorize: async () => (asked.push('asked'), 'Bearer t') });
    await client.get('/api/v1/namespaces');
    await client.get('/api/v1/namespaces');
    client.close();
    assert.equal(asked.length, 2);
    assert.equal(seen.authorization, 'Bearer t');
  });
});
