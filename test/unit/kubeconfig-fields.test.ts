// The kubeconfig fields and flags beyond the basics, each as client-go reads it: tls-server-name (against a local
// HTTPS server whose certificate names another host), client certificates and their flags, impersonation with
// uid and extras, and kubectl's overrides and refusals.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Api } from '../../src/cluster/http.ts';
import { resolveConnection, type ClusterFlags } from '../../src/cluster/kubeconfig.ts';
import { restoreDefaultTrust } from '../../src/cluster/trust.ts';
import { ClusterError } from '../../src/errors.ts';
import { echoServer, makePki, type Pki, type Seen } from '../support/tls-server.ts';

const dir = mkdtempSync(join(tmpdir(), 'kubeconfig-fields-'));
function kubeconfig(cluster: Record<string, unknown>, user: Record<string, unknown> = { token: 't' }): string {
  const file = join(dir, `k${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, JSON.stringify({
    clusters: [{ name: 'c', cluster: { server: 'https://127.0.0.1:1', ...cluster } }],
    users: [{ name: 'u', user }],
    contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
    'current-context': 'x',
  }));
  return file;
}
const resolve = (file: string, flags: ClusterFlags = {}) => resolveConnection({ kubeconfig: file, ...flags }, {});

describe('kubeconfig fields and flags', () => {
  let pki: Pki;
  let api: { server: Server; port: number; seen: Seen[] };
  const get = async (flags: ClusterFlags, cluster: Record<string, unknown>, user?: Record<string, unknown>) => {
    const client = new Api(resolve(kubeconfig({ server: `https://127.0.0.1:${api.port}`, 'certificate-authority': pki.file('ca.crt'), ...cluster }, user), flags));
    try {
      return (await client.get('/')).body as Seen;
    } finally {
      client.close();
    }
  };
  before(async () => {
    pki = makePki();
    pki.sign('api', '/CN=api', 'DNS:api.internal');
    pki.sign('carol', '/CN=carol');
    api = await echoServer(pki, 'api');
  });
  after(() => {
    api.server.close();
    restoreDefaultTrust();
  });

  it('checks the server certificate against tls-server-name and sends it as SNI', async () => {
    await assert.rejects(get({}, {}), (err: Error) => err instanceof ClusterError && /does not match its address/.test(err.message));
    assert.equal((await get({}, { 'tls-server-name': 'api.internal' })).sni, 'api.internal');
    await assert.rejects(get({}, { 'tls-server-name': 'other.internal' }), /does not match its address/);
  });

  it('takes --tls-server-name; --server alone clears the file’s tls-server-name, as kubectl', async () => {
    assert.equal((await get({ tlsServerName: 'api.internal' }, {})).sni, 'api.internal');
    const file = kubeconfig({ 'tls-server-name': 'api.internal' });
    assert.equal(resolve(file, { server: 'https://elsewhere:6443' }).tlsServerName, undefined);
    assert.equal(resolve(file, { server: 'https://elsewhere:6443', tlsServerName: 'n' }).tlsServerName, 'n');
  });

  it('presents the client certificate of the file, or of --client-certificate and --client-key', async () => {
    const inFile = await get({}, { 'tls-server-name': 'api.internal' }, { 'client-certificate': pki.file('carol.crt'), 'client-key': pki.file('carol.key') });
    assert.equal(inFile.clientCN, 'carol');
    const byFlags = await get({ clientCertificate: pki.file('carol.crt'), clientKey: pki.file('carol.key') }, { 'tls-server-name': 'api.internal' }, {});
    assert.deepEqual([byFlags.clientCN, byFlags.headers.authorization], ['carol', undefined]);
  });

  it('keeps the client certificate with --token, as client-go does (both are sent)', () => {
    const c = resolve(kubeconfig({}, { 'client-certificate-data': Buffer.from('C').toString('base64'), 'client-key-data': Buffer.from('K').toString('base64') }), { token: 'flag' });
    assert.deepEqual([c.cert?.toString(), c.key?.toString(), c.headers.Authorization], ['C', 'K', 'Bearer flag']);
  });

  it('impersonates with uid, groups and extras (keys percent-encoded as client-go), the flags first', async () => {
    const user = { token: 't', as: 'jane', 'as-uid': '1234', 'as-groups': ['devs'], 'as-user-extra': { scopes: ['view', 'edit'], 'example.com/team name%': ['a b'] } };
    const seen = await get({}, { 'tls-server-name': 'api.internal' }, user);
    assert.deepEqual([seen.headers['impersonate-user'], seen.headers['impersonate-uid'], seen.headers['impersonate-group']], ['jane', '1234', 'devs']);
    assert.equal(seen.headers['impersonate-extra-scopes'], 'view, edit');
    assert.equal(seen.headers['impersonate-extra-example.com%2fteam%20name%25'], 'a b');
    const flags = resolve(kubeconfig({}, user), { as: 'joe', asUid: '42', asGroup: ['ops'] });
    assert.deepEqual([flags.headers['Impersonate-User'], flags.headers['Impersonate-Uid'], flags.headers['Impersonate-Group']], ['joe', '42', ['ops']]);
  });

  it('lets --certificate-authority replace the file’s insecure-skip-tls-verify, and --insecure-skip-tls-verify its CA', () => {
    const insecure = kubeconfig({ 'insecure-skip-tls-verify': true });
    const c = resolve(insecure, { certificateAuthority: pki.file('ca.crt') });
    assert.deepEqual([c.insecure, Boolean(c.ca)], [false, true]);
    const d = resolve(kubeconfig({ 'certificate-authority': pki.file('ca.crt') }), { insecureSkipTlsVerify: true });
    assert.deepEqual([d.insecure, d.ca], [true, undefined]);
  });

  it('merges KUBECONFIG files first-wins for users and contexts too, skipping files that do not exist', () => {
    const one = join(dir, 'one.yaml');
    const two = join(dir, 'two.yaml');
    writeFileSync(one, JSON.stringify({ users: [{ name: 'u', user: { token: 'first' } }], contexts: [{ name: 'x', context: { cluster: 'c1', user: 'u' } }] }));
    writeFileSync(two, JSON.stringify({
      'current-context': 'x',
      clusters: [{ name: 'c1', cluster: { server: 'https://one:6443' } }],
      users: [{ name: 'u', user: { token: 'second' } }],
      contexts: [{ name: 'x', context: { cluster: 'c2', user: 'u' } }],
    }));
    const c = resolveConnection({}, { KUBECONFIG: [join(dir, 'missing.yaml'), one, two].join(':') });
    assert.deepEqual([c.server, c.headers.Authorization, c.describe], ['https://one:6443', 'Bearer first', 'https://one:6443 (context x)']);
  });

  it('reads a tokenFile again when asked to refresh (a rotated token after a 401), else keeps it a minute', async () => {
    const tokenFile = join(dir, 'rotating.token');
    writeFileSync(tokenFile, 'one\n');
    const c = resolve(kubeconfig({}, { tokenFile }));
    assert.equal(await c.authorize?.(), 'Bearer one');
    writeFileSync(tokenFile, 'two\n');
    assert.equal(await c.authorize?.(), 'Bearer one', 'kept for a minute, as client-go keeps it');
    assert.equal(await c.authorize?.({ refresh: true }), 'Bearer two');
  });

  const refusals: Array<[string, () => unknown, string]> = [
    ['a CA with insecure-skip-tls-verify in the file', () => resolve(kubeconfig({ 'insecure-skip-tls-verify': true, 'certificate-authority-data': 'Q0E=' })), 'specifying a root certificates file with the insecure flag is not allowed'],
    ['--certificate-authority with --insecure-skip-tls-verify', () => resolve(kubeconfig({}), { certificateAuthority: pki.file('ca.crt'), insecureSkipTlsVerify: true }), 'specifying a root certificates file with the insecure flag is not allowed'],
    ['groups without a user to impersonate', () => resolve(kubeconfig({}), { asGroup: ['g'] }), 'invalid configuration: requesting uid, groups or user-extra for u without impersonating a user'],
    ['--as-uid without --as', () => resolve(kubeconfig({}), { asUid: '1' }), 'invalid configuration: requesting uid, groups or user-extra for u without impersonating a user'],
    ['a token and basic auth', () => resolve(kubeconfig({}, { username: 'a', password: 'b' }), { token: 't' }), 'invalid configuration: more than one authentication method found for u; found [token basicAuth], only one is allowed'],
    ['a client certificate without a key', () => resolve(kubeconfig({}, { 'client-certificate-data': 'Qw==' })), 'invalid configuration: client-key-data or client-key must be specified for u to use the clientCert authentication method.'],
  ];
  for (const [what, call, message] of refusals) {
    it(`refuses, as kubectl does, ${what}`, () => {
      assert.throws(call, (err: Error) => err instanceof ClusterError && err.message === message);
    });
  }
});
