// The HTTP client's own side of the exchange, against a plain-HTTP server (as `kubectl proxy` serves): what it
// asks for and how it reads the answer. What the API server does with it is tested on the test cluster.
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Api } from '../../src/cluster/http.ts';
import { resolveConnection } from '../../src/cluster/kubeconfig.ts';
import { ClusterError } from '../../src/errors.ts';
import { FakeApi, json, status, watchEvents } from '../support/fake-api.ts';

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

describe('credentials refused on several requests at once', function () {
  this.timeout(20_000);
  const dir = mkdtempSync(join(tmpdir(), 'single-flight-'));
  const log = join(dir, 'runs.log');
  const runs = () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean).length : 0);
  // An exec plugin that hands out token-1, token-2, ... one more each run.
  const plugin = join(dir, 'plugin');
  writeFileSync(plugin, `#!${process.execPath}
const fs = require('node:fs');
fs.appendFileSync(${JSON.stringify(log)}, 'run\\n');
const n = fs.readFileSync(${JSON.stringify(log)}, 'utf8').split('\\n').filter(Boolean).length;
process.stdout.write(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: 'token-' + n } }));
`);
  chmodSync(plugin, 0o755);

  it('runs the exec plugin once, as client-go does: a 401 to credentials already replaced is just retried', async () => {
    // token-1 is refused. The first watch's 401 is answered at once; the others only once a request has come with
    // the new token, so they arrive after that refresh is over (where each used to run the plugin again).
    let renewed!: () => void;
    const refreshed = new Promise<void>((resolve) => (renewed = resolve));
    let refusals = 0;
    const fake = await new FakeApi((_req, res, seen) => {
      if (seen.authorization === 'Bearer token-1') {
        if (refusals++ === 0) return json(res, 401, status(401, 'Unauthorized', 'Unauthorized'));
        return void refreshed.then(() => json(res, 401, status(401, 'Unauthorized', 'Unauthorized')));
      }
      renewed();
      watchEvents(res, [{ type: 'BOOKMARK', object: { metadata: { resourceVersion: '2' } } }], true);
    }).start();
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, JSON.stringify({
      clusters: [{ name: 'c', cluster: { server: fake.url } }],
      users: [{ name: 'u', user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', interactiveMode: 'Never', command: plugin } } }],
      contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
      'current-context': 'x',
    }));
    const api = new Api(resolveConnection({ kubeconfig }, { PATH: process.env.PATH }));
    const stop = new AbortController();
    try {
      const watches = ['a', 'b', 'c', 'd'].map((ns) => api.watch(`/api/v1/namespaces/${ns}/configmaps?watch=true`, () => true, stop.signal));
      assert.deepEqual(await Promise.all(watches), [1, 1, 1, 1]);
      assert.equal(refusals, 4);
      assert.equal(runs(), 2, 'the first run, and one refresh');
      assert.deepEqual(fake.watches().map((w) => w.authorization).sort(), ['Bearer token-1', 'Bearer token-1', 'Bearer token-1', 'Bearer token-1', 'Bearer token-2', 'Bearer token-2', 'Bearer token-2', 'Bearer token-2']);
    } finally {
      stop.abort();
      api.close();
      await fake.stop();
    }
  });
});
