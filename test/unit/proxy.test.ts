// Proxies as client-go uses them: which one the environment names for a server (Go's httpproxy rules, table
// below), and requests that really go through a CONNECT or SOCKS5 proxy started here to a local HTTPS server.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Api } from '../../src/cluster/http.ts';
import { resolveConnection } from '../../src/cluster/kubeconfig.ts';
import { proxyFromEnvironment, redactedProxy } from '../../src/cluster/proxy.ts';
import { restoreDefaultTrust } from '../../src/cluster/trust.ts';
import { ClusterError, UsageError } from '../../src/errors.ts';
import { connectProxy, echoServer, makePki, socksProxy, type Pki, type Seen } from '../support/tls-server.ts';

describe('proxies from the environment, as Go decides', () => {
  const P = 'http://proxy.corp:3128/';
  const cases: Array<[string, string, NodeJS.ProcessEnv, string | undefined]> = [
    ['HTTPS_PROXY for an https server', 'https://api.example.com', { HTTPS_PROXY: P }, P],
    ['https_proxy when HTTPS_PROXY is unset', 'https://api.example.com', { https_proxy: P }, P],
    ['HTTPS_PROXY before https_proxy', 'https://api.example.com', { HTTPS_PROXY: P, https_proxy: 'http://other:1' }, P],
    ['not HTTP_PROXY for an https server', 'https://api.example.com', { HTTP_PROXY: P }, undefined],
    ['HTTP_PROXY for an http server', 'http://api.example.com', { HTTP_PROXY: P }, P],
    ['a value without a scheme as http://', 'https://api.example.com', { HTTPS_PROXY: 'proxy.corp:3128' }, P],
    ['never for localhost', 'https://localhost:6443', { HTTPS_PROXY: P }, undefined],
    ['never for a loopback IPv4', 'https://127.0.0.2:6443', { HTTPS_PROXY: P }, undefined],
    ['never for the loopback IPv6', 'https://[::1]:6443', { HTTPS_PROXY: P }, undefined],
    ['NO_PROXY=* excludes all', 'https://api.example.com', { HTTPS_PROXY: P, NO_PROXY: '*' }, undefined],
    ['a domain matches itself', 'https://example.com', { HTTPS_PROXY: P, NO_PROXY: 'example.com' }, undefined],
    ['a domain matches subdomains', 'https://api.example.com', { HTTPS_PROXY: P, NO_PROXY: 'other.org, Example.COM' }, undefined],
    ['a domain does not match a longer name', 'https://notexample.com', { HTTPS_PROXY: P, NO_PROXY: 'example.com' }, P],
    ['a leading dot: subdomains only', 'https://example.com', { HTTPS_PROXY: P, NO_PROXY: '.example.com' }, P],
    ['a leading dot matches a subdomain', 'https://api.example.com', { HTTPS_PROXY: P, NO_PROXY: '.example.com' }, undefined],
    ['*.domain as .domain', 'https://api.example.com', { HTTPS_PROXY: P, NO_PROXY: '*.example.com' }, undefined],
    ['host:port matches that port', 'https://api.example.com:6443', { HTTPS_PROXY: P, NO_PROXY: 'api.example.com:6443' }, undefined],
    ['host:port not another port', 'https://api.example.com', { HTTPS_PROXY: P, NO_PROXY: 'api.example.com:6443' }, P],
    ['an IP', 'https://10.1.2.3:6443', { HTTPS_PROXY: P, NO_PROXY: '10.1.2.3' }, undefined],
    ['an IP:port, other port', 'https://10.1.2.3:6443', { HTTPS_PROXY: P, NO_PROXY: '10.1.2.3:443' }, P],
    ['a CIDR', 'https://10.1.2.3:6443', { HTTPS_PROXY: P, NO_PROXY: '10.0.0.0/8' }, undefined],
    ['a CIDR it is not in', 'https://11.1.2.3:6443', { HTTPS_PROXY: P, NO_PROXY: '10.0.0.0/8' }, P],
    ['an IPv6 CIDR', 'https://[fd00::1]:6443', { HTTPS_PROXY: P, NO_PROXY: 'fd00::/8' }, undefined],
    ['a CIDR never matches a host name', 'https://api.example.com', { HTTPS_PROXY: P, NO_PROXY: '0.0.0.0/0' }, P],
    ['no_proxy when NO_PROXY is unset', 'https://api.example.com', { HTTPS_PROXY: P, no_proxy: 'example.com' }, undefined],
  ];
  for (const [what, server, env, expected] of cases) {
    it(what, () => assert.equal(proxyFromEnvironment(new URL(server), env)?.href, expected));
  }
});

describe('requests through a proxy', () => {
  let pki: Pki;
  let api: { server: Server; port: number; seen: Seen[] };
  const dir = mkdtempSync(join(tmpdir(), 'proxy-'));
  const kubeconfig = (cluster: Record<string, unknown>) => {
    const file = join(dir, `k${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(file, JSON.stringify({
      clusters: [{ name: 'c', cluster: { 'certificate-authority': pki.file('ca.crt'), ...cluster } }],
      users: [{ name: 'u', user: { token: 'secret' } }],
      contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
      'current-context': 'x',
    }));
    return file;
  };
  const get = async (conn: ReturnType<typeof resolveConnection>) => {
    const client = new Api(conn);
    try {
      return (await client.get('/version')).body as Seen;
    } finally {
      client.close();
    }
  };

  before(async () => {
    pki = makePki();
    pki.sign('api', '/CN=api', 'DNS:api.test,IP:127.0.0.1');
    api = await echoServer(pki, 'api');
  });
  after(() => {
    api.server.close();
    restoreDefaultTrust();
  });

  it("goes through the cluster's proxy-url (CONNECT), even to a loopback server", async () => {
    const proxy = await connectProxy();
    const conn = resolveConnection({ kubeconfig: kubeconfig({ server: `https://127.0.0.1:${api.port}`, 'proxy-url': proxy.url }) }, {});
    const seen = await get(conn);
    proxy.server.close();
    assert.deepEqual(proxy.connects, [`127.0.0.1:${api.port}`]);
    assert.equal(seen.headers.authorization, 'Bearer secret');
  });

  it('sends proxy-url credentials as Proxy-Authorization', async () => {
    const proxy = await connectProxy();
    const url = proxy.url.replace('http://', 'http://me:p%40ss@');
    await get(resolveConnection({ kubeconfig: kubeconfig({ server: `https://127.0.0.1:${api.port}`, 'proxy-url': url }) }, {}));
    proxy.server.close();
    assert.deepEqual(proxy.auth, [`Basic ${Buffer.from('me:p@ss').toString('base64')}`]);
  });

  it('uses HTTPS_PROXY for a server by name, the name going to the proxy unresolved; NO_PROXY excludes it', async () => {
    const proxy = await connectProxy();
    const file = kubeconfig({ server: `https://api.test:${api.port}` });
    const seen = await get(resolveConnection({ kubeconfig: file }, { HTTPS_PROXY: proxy.url }));
    assert.deepEqual([proxy.connects, seen.sni], [[`api.test:${api.port}`], 'api.test']);
    const excluded = resolveConnection({ kubeconfig: file }, { HTTPS_PROXY: proxy.url, NO_PROXY: '.test' });
    assert.equal(excluded.proxy, undefined);
    await assert.rejects(get(excluded), (err: Error) => err instanceof ClusterError && /host not found|EAI_AGAIN/.test(err.message));
    proxy.server.close();
    assert.equal(proxy.connects.length, 1, 'no CONNECT for the excluded server');
  });

  it('does not use HTTPS_PROXY for a loopback server, as Go does not', () => {
    assert.equal(resolveConnection({ kubeconfig: kubeconfig({ server: `https://127.0.0.1:${api.port}` }) }, { HTTPS_PROXY: 'http://127.0.0.1:1' }).proxy, undefined);
  });

  it('goes through a socks5 proxy-url', async () => {
    const proxy = await socksProxy();
    const seen = await get(resolveConnection({ kubeconfig: kubeconfig({ server: `https://api.test:${api.port}`, 'proxy-url': proxy.url }) }, {}));
    proxy.server.close();
    assert.deepEqual([proxy.connects, seen.sni], [[`api.test:${api.port}`], 'api.test']);
  });

  it('says in one line that a proxy refused or is not there', async () => {
    const proxy = await connectProxy();
    proxy.server.close();
    const conn = resolveConnection({ kubeconfig: kubeconfig({ server: `https://127.0.0.1:${api.port}`, 'proxy-url': proxy.url }) }, {});
    await assert.rejects(get(conn), (err: Error) => err instanceof ClusterError && err.message === `cannot reach the cluster at https://127.0.0.1:${api.port} (context x): cannot reach proxy 127.0.0.1:${new URL(proxy.url).port}: ECONNREFUSED`);
  });

  it('refuses a proxy-url scheme client-go refuses, naming the cluster', () => {
    assert.throws(() => resolveConnection({ kubeconfig: kubeconfig({ server: 'https://x:1', 'proxy-url': 'ftp://p:21' }) }, {}),
      (err: Error) => err instanceof UsageError && err.message === `invalid 'proxy-url' "ftp://p:21" for cluster "c": unsupported scheme "ftp", must be http, https, or socks5`);
  });

  it('never prints a proxy-url’s userinfo (its password) in an error', () => {
    const refused: Array<[proxyUrl: string, printed: string, why: string]> = [
      ['ftp://alice:s3cret@p:21', 'ftp://xxxxx@p:21', 'unsupported scheme "ftp", must be http, https, or socks5'],
      ['http://alice:s3cret@p:bad', 'http://xxxxx@p:bad', 'could not parse'],
      ['alice:s3cret@p:3128', 'xxxxx@p:3128', 'unsupported scheme "alice", must be http, https, or socks5'],
    ];
    for (const [proxyUrl, printed, why] of refused) {
      assert.throws(() => resolveConnection({ kubeconfig: kubeconfig({ server: 'https://x:1', 'proxy-url': proxyUrl }) }, {}),
        (err: Error) => err instanceof UsageError && err.message === `invalid 'proxy-url' "${printed}" for cluster "c": ${why}`);
    }
  });

  it('redacts the userinfo of a proxy URL, and only that', () => {
    assert.equal(redactedProxy('http://user:pass@proxy.corp:3128/x@y'), 'http://xxxxx@proxy.corp:3128/x@y');
    assert.equal(redactedProxy('socks5://u@p:1080'), 'socks5://xxxxx@p:1080');
    assert.equal(redactedProxy('http://proxy.corp:3128'), 'http://proxy.corp:3128');
    assert.equal(redactedProxy('http://a:b@c@proxy:1'), 'http://xxxxx@proxy:1');
  });
});
