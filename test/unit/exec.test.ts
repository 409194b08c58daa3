// Exec credential plugins as client-go runs them, with plugins written here as small node scripts: a token, a
// client certificate and key (used for the TLS handshake with a local HTTPS server), expiry, a command relative
// to the kubeconfig, KUBERNETES_EXEC_INFO with provideClusterInfo, stdin, and the errors kubectl reports.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Api } from '../../src/cluster/http.ts';
import { resolveConnection, type Connection } from '../../src/cluster/kubeconfig.ts';
import { restoreDefaultTrust } from '../../src/cluster/trust.ts';
import { ClusterError } from '../../src/errors.ts';
import { echoServer, makePki, type Pki, type Seen } from '../support/tls-server.ts';

const dir = mkdtempSync(join(tmpdir(), 'exec-'));
const v1 = 'client.authentication.k8s.io/v1';

/** A plugin script: appends a line to runs.log each run, saves its env and stdin, prints `status` as its answer. */
function plugin(name: string, status: unknown, apiVersion = v1): string {
  const file = join(dir, name);
  writeFileSync(file, `#!${process.execPath}
const fs = require('node:fs');
fs.appendFileSync(${JSON.stringify(join(dir, 'runs.log'))}, ${JSON.stringify(name)} + '\\n');
fs.writeFileSync(${JSON.stringify(join(dir, `${name}.info`))}, JSON.stringify({ info: process.env.KUBERNETES_EXEC_INFO, extra: process.env.EXTRA, stdin: (() => { try { return fs.readFileSync(0, 'utf8'); } catch (e) { return e.code; } })() }));
process.stdout.write(JSON.stringify({ apiVersion: ${JSON.stringify(apiVersion)}, kind: 'ExecCredential', status: ${JSON.stringify(status)} }));
`);
  chmodSync(file, 0o755);
  return file;
}
/** A plugin that prints a bare token, not an ExecCredential (a script meant for something else). */
function bareToken(token: string): string {
  const file = join(dir, 'bare-token');
  writeFileSync(file, `#!/bin/sh\necho ${token}\n`);
  chmodSync(file, 0o755);
  return file;
}
const runs = (name: string) => (existsSync(join(dir, 'runs.log')) ? readFileSync(join(dir, 'runs.log'), 'utf8').split('\n').filter((l) => l === name).length : 0);
const info = (name: string) => JSON.parse(readFileSync(join(dir, `${name}.info`), 'utf8')) as { info: string; extra?: string; stdin: string };

function kubeconfig(exec: Record<string, unknown>, cluster: Record<string, unknown> = {}, where = dir): string {
  const file = join(where, `k${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, JSON.stringify({
    clusters: [{ name: 'c', cluster: { server: 'https://127.0.0.1:1', ...cluster } }],
    users: [{ name: 'u', user: { exec: { apiVersion: v1, interactiveMode: 'Never', ...exec } } }],
    contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
    'current-context': 'x',
  }));
  return file;
}
const conn = (file: string, env: NodeJS.ProcessEnv = {}) => resolveConnection({ kubeconfig: file }, { PATH: process.env.PATH, ...env });

describe('exec credential plugins', () => {
  it('runs the plugin at the first request, not before, and sends its token', async () => {
    const cmd = plugin('token', { token: 'from-plugin' });
    const c = conn(kubeconfig({ command: cmd, args: [], env: [{ name: 'EXTRA', value: 'yes' }] }));
    assert.equal(runs('token'), 0);
    assert.equal(await c.authorize?.(), 'Bearer from-plugin');
    assert.equal(info('token').extra, 'yes');
  });

  it('keeps a credential until its expirationTimestamp, runs again once it is past, and always on refresh', async () => {
    const future = plugin('future', { token: 'f', expirationTimestamp: new Date(Date.now() + 3_600_000).toISOString() });
    const c = conn(kubeconfig({ command: future }));
    await c.authorize?.();
    await c.authorize?.();
    assert.equal(runs('future'), 1);
    await c.authorize?.({ refresh: true });
    assert.equal(runs('future'), 2, 'refresh (after a 401) runs it again');

    const past = plugin('past', { token: 'p', expirationTimestamp: '2020-01-01T00:00:00Z' });
    const p = conn(kubeconfig({ command: past }));
    await p.authorize?.();
    await p.authorize?.();
    assert.equal(runs('past'), 2);

    const forever = plugin('forever', { token: 'x' });
    const n = conn(kubeconfig({ command: forever }));
    await Promise.all([n.authorize?.(), n.authorize?.()]);
    await n.authorize?.();
    assert.equal(runs('forever'), 1, 'no expiry: kept, and concurrent requests share one run');
  });

  it('resolves a command with a path separator against the kubeconfig file, a bare one on PATH', async () => {
    mkdirSync(join(dir, 'conf', 'bin'), { recursive: true });
    writeFileSync(join(dir, 'conf', 'bin', 'rel'), readFileSync(plugin('rel', { token: 'relative' })));
    chmodSync(join(dir, 'conf', 'bin', 'rel'), 0o755);
    assert.equal(await conn(kubeconfig({ command: './bin/rel' }, {}, join(dir, 'conf'))).authorize?.(), 'Bearer relative');
    plugin('on-path', { token: 'path' });
    assert.equal(await conn(kubeconfig({ command: 'on-path' }), { PATH: `${dir}:${process.env.PATH}` }).authorize?.(), 'Bearer path');
  });

  it("gives KUBERNETES_EXEC_INFO the cluster (with its exec extension) only with provideClusterInfo; stdin is /dev/null when not interactive", async () => {
    const cmd = plugin('info', { token: 't' });
    const cluster = {
      server: 'https://api.example:6443', 'tls-server-name': 'api.internal', 'certificate-authority-data': Buffer.from('CA').toString('base64'),
      'proxy-url': 'http://proxy.corp:3128',
      extensions: [{ name: 'client.authentication.k8s.io/exec', extension: { audience: 'kube' } }, { name: 'other', extension: 1 }],
    };
    await conn(kubeconfig({ command: cmd, provideClusterInfo: true }, cluster)).authorize?.();
    assert.deepEqual(JSON.parse(info('info').info), {
      kind: 'ExecCredential', apiVersion: v1,
      spec: { cluster: { server: 'https://api.example:6443', 'tls-server-name': 'api.internal', 'certificate-authority-data': 'Q0E=', 'proxy-url': 'http://proxy.corp:3128', config: { audience: 'kube' } }, interactive: false },
    });
    assert.equal(info('info').stdin, '');
    await conn(kubeconfig({ command: cmd }, cluster)).authorize?.();
    assert.deepEqual(JSON.parse(info('info').info), { kind: 'ExecCredential', apiVersion: v1, spec: { interactive: false } });
  });

  it('is not run when a token or a client certificate identifies the user (client-go)', () => {
    const file = kubeconfig({ command: plugin('unused', { token: 't' }) });
    const c = resolveConnection({ kubeconfig: file, token: 'flag' }, {});
    assert.deepEqual([c.authorize, c.headers.Authorization], [undefined, 'Bearer flag']);
  });

  const failures: Array<[string, Record<string, unknown>, RegExp]> = [
    ['a command not on PATH, with its install hint on the same line', { command: 'no-such-plugin', installHint: 'Install it:\n  brew install nope\n' }, /^exec: executable no-such-plugin not found: Install it: brew install nope$/],
    ['a missing command path (no hint, as Go starts a path without looking it up)', { command: join(dir, 'nope'), installHint: 'hint' }, /^exec: fork\/exec .*\/nope: no such file or directory$/],
    ['a failing command', { command: '/bin/false' }, /^exec: executable \/bin\/false failed with exit code 1$/],
    ['an answer of another apiVersion', { command: plugin('beta', { token: 't' }, 'client.authentication.k8s.io/v1beta1') }, /^exec plugin is configured to use API version client\.authentication\.k8s\.io\/v1, plugin returned version client\.authentication\.k8s\.io\/v1beta1$/],
    // The parser's own message would quote the start of stdout: here the token itself.
    ['an answer that is not JSON (a bare token), without quoting it', { command: bareToken('s3cret-bare-token') }, /^decoding stdout: not an ExecCredential \(invalid JSON\)$/],
    ['an answer without a credential', { command: plugin('empty', {}) }, /^exec plugin didn't return a token or cert\/key pair$/],
    ['a certificate without its key', { command: plugin('half', { clientCertificateData: 'x' }) }, /^exec plugin returned only certificate or key, not both$/],
    ...(process.stdin.isTTY ? [] : [['Always without a terminal', { command: '/bin/true', interactiveMode: 'Always' }, /^exec plugin cannot support interactive mode: standard input is not a terminal$/] as [string, Record<string, unknown>, RegExp]]),
    ['an unknown apiVersion', { command: '/bin/true', apiVersion: 'client.authentication.k8s.io/v1alpha1' }, /^exec plugin: invalid apiVersion "client\.authentication\.k8s\.io\/v1alpha1"$/],
  ];
  for (const [what, exec, message] of failures) {
    it(`says what went wrong: ${what}`, async () => {
      await assert.rejects(conn(kubeconfig(exec)).authorize?.() as Promise<unknown>, (err: Error) => message.test(err.message));
    });
  }

  it('refuses an exec section kubectl refuses', () => {
    assert.throws(() => conn(kubeconfig({ command: '', interactiveMode: '' })), (err: Error) => err instanceof ClusterError &&
      err.message === 'invalid configuration: command must be specified for u to use exec authentication plugin; interactiveMode must be specified for u to use exec authentication plugin');
    // v1beta1 defaults interactiveMode to IfAvailable
    assert.doesNotThrow(() => conn(kubeconfig({ command: 'x', apiVersion: 'client.authentication.k8s.io/v1beta1', interactiveMode: '' })));
  });

  describe('returning a client certificate', () => {
    let pki: Pki;
    let api: { server: Server; port: number; seen: Seen[] };
    before(async () => {
      pki = makePki();
      pki.sign('api', '/CN=api', 'IP:127.0.0.1');
      pki.sign('alice', '/CN=alice/O=devs');
      pki.sign('bob', '/CN=bob');
      api = await echoServer(pki, 'api');
    });
    after(() => {
      api.server.close();
      restoreDefaultTrust();
    });

    it('does the TLS handshake with it, and with the new one after a refresh', async () => {
      const rotating = join(dir, 'rotating');
      writeFileSync(rotating, `#!${process.execPath}
const fs = require('node:fs');
const n = fs.existsSync(${JSON.stringify(`${rotating}.n`)}) ? 2 : 1;
fs.writeFileSync(${JSON.stringify(`${rotating}.n`)}, '');
const who = n === 1 ? 'alice' : 'bob';
const read = (f) => fs.readFileSync(${JSON.stringify(pki.dir)} + '/' + f, 'utf8');
process.stdout.write(JSON.stringify({ apiVersion: '${v1}', kind: 'ExecCredential', status: { clientCertificateData: read(who + '.crt'), clientKeyData: read(who + '.key') } }));
`);
      chmodSync(rotating, 0o755);
      const c: Connection = conn(kubeconfig({ command: rotating }, { server: `https://127.0.0.1:${api.port}`, 'certificate-authority': pki.file('ca.crt') }));
      const client = new Api(c);
      const first = (await client.get('/')).body as Seen;
      const again = (await client.get('/')).body as Seen;
      assert.deepEqual([first.clientCN, first.headers.authorization, again.clientCN], ['alice', undefined, 'alice']);
      await c.authorize?.({ refresh: true });
      // The Api caches the header promise; a refresh is what its 401 handling asks for. New connections use bob.
      const after = (await client.get('/')).body as Seen;
      client.close();
      assert.equal(after.clientCN, 'bob');
    });
  });
});
