// Kubeconfigs as kubectl reads them, against the real API server and compared with the kubectl built beside
// it: exec plugins (a token; a client certificate signed by the test CA), proxy-url through a CONNECT proxy
// started here, impersonation with uid and extras, tls-server-name. Both reach the server as the same user (the
// audit log and kubectl's SelfSubjectReview say who), or both fail (flux-deps: exit 4, one line).
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createAll } from '../support/apply.ts';
import { ks } from '../support/fixtures.ts';
import { start } from '../support/process.ts';
import { connectProxy } from '../support/tls-server.ts';
import { freshNamespace, testenv } from '../support/testenv.ts';

interface Audit {
  verb: string;
  stage: string;
  userAgent?: string;
  user: { username: string };
  impersonatedUser?: { username: string; uid?: string; groups?: string[]; extra?: Record<string, string[]> };
  objectRef?: { resource?: string; namespace?: string };
}

describe('kubeconfigs as kubectl reads them', function () {
  this.timeout(60_000);
  let ns: string;
  const work = mkdtempSync(join(tmpdir(), 'kubeconfig-cluster-'));
  const admin = () => readFileSync(testenv().kubeconfig('admin'), 'utf8');
  const server = () => /server: (\S+)/.exec(admin())?.[1] as string;
  const token = () => /token: (\S+)/.exec(admin())?.[1] as string;
  const pki = (f: string) => join(testenv().dir, 'pki', f);

  /** A kubeconfig with the test cluster and this user (and cluster fields). */
  const kubeconfig = (name: string, user: Record<string, unknown>, cluster: Record<string, unknown> = {}) => {
    const file = join(work, `${name}.kubeconfig`);
    writeFileSync(file, JSON.stringify({
      apiVersion: 'v1', kind: 'Config',
      clusters: [{ name: 'testenv', cluster: { server: server(), 'certificate-authority': pki('ca.crt'), ...cluster } }],
      users: [{ name, user }],
      contexts: [{ name, context: { cluster: 'testenv', user: name } }],
      'current-context': name,
    }));
    return file;
  };
  /** An exec plugin printing this ExecCredential status. */
  const plugin = (name: string, status: Record<string, string>) => {
    const file = join(work, name);
    writeFileSync(file, `#!/bin/sh\ncat <<'EOF'\n${JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status })}\nEOF\n`);
    chmodSync(file, 0o755);
    return file;
  };
  const exec = (command: string) => ({ exec: { apiVersion: 'client.authentication.k8s.io/v1', command, interactiveMode: 'Never' } });

  const fluxDeps = (file: string, ...args: string[]) => start(['tree', '-n', ns, '--kubeconfig', file, ...args]).done;
  const kubectl = async (file: string, ...args: string[]) => {
    try {
      const { stdout } = await promisify(execFile)(`${testenv().bin}/kubectl`, ['--kubeconfig', file, ...args], { encoding: 'utf8' });
      return { code: 0, stdout, stderr: '' };
    } catch (err) {
      const e = err as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  };
  /** Who kubectl is, by the API server's SelfSubjectReview. */
  const whoami = async (file: string) => {
    const r = await kubectl(file, 'auth', 'whoami', '-o', 'json');
    assert.equal(r.code, 0, r.stderr);
    return (JSON.parse(r.stdout) as { status: { userInfo: { username: string; uid?: string; extra?: Record<string, string[]> } } }).status.userInfo;
  };
  /** The audit log's record of flux-deps' LIST of Kustomizations in the test namespace (kubectl's are told apart by user agent). */
  const fluxDepsList = (): Audit | undefined => readFileSync(join(testenv().dir, 'audit.log'), 'utf8').split('\n').filter(Boolean)
    .map((l) => JSON.parse(l) as Audit)
    .filter((e) => e.stage === 'ResponseComplete' && e.verb === 'list' && e.objectRef?.resource === 'kustomizations' && e.objectRef.namespace === ns && !e.userAgent?.startsWith('kubectl'))
    .at(-1);

  beforeEach(async () => {
    ns = await freshNamespace('kubeconfig');
    await createAll([ks('infra').ns(ns).ready().build(), ks('apps').ns(ns).dependsOn('infra').ready().build()]);
  });

  it('an exec plugin returning a token: the same user as kubectl', async () => {
    const file = kubeconfig('exec-token', exec(plugin('token-plugin', { token: token() })));
    const r = await fluxDeps(file);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Kustomization\/apps/);
    assert.equal(fluxDepsList()?.user.username, 'admin');
    assert.equal((await whoami(file)).username, 'admin');
  });

  /** A client certificate for `user` in system:masters, signed by the test cluster's CA: [cert file, key file]. */
  const clientCert = (user: string) => {
    const [key, csr, crt] = ['key', 'csr', 'crt'].map((ext) => join(work, `${user}.${ext}`)) as [string, string, string];
    execFileSync('openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', csr, '-subj', `/CN=${user}/O=system:masters`], { stdio: 'ignore' });
    execFileSync('openssl', ['x509', '-req', '-in', csr, '-CA', pki('ca.crt'), '-CAkey', pki('ca.key'), '-CAcreateserial', '-days', '1', '-out', crt], { stdio: 'ignore' });
    return [crt, key] as const;
  };

  it('--token with a client-certificate user: both send both, and the API server takes the certificate', async () => {
    const [crt, key] = clientCert('cert-user');
    const file = kubeconfig('cert', { 'client-certificate': crt, 'client-key': key });
    const r = await fluxDeps(file, '--token', 'not-a-token');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(fluxDepsList()?.user.username, 'cert-user');
    assert.equal((await whoami(file)).username, 'cert-user');
    const k = await kubectl(file, 'auth', 'whoami', '--token', 'not-a-token', '-o', 'jsonpath={.status.userInfo.username}');
    assert.deepEqual([k.code, k.stdout], [0, 'cert-user']);
  });

  it('an exec plugin returning a client certificate and key signed by the cluster CA: the same user as kubectl', async () => {
    const [crt, key] = clientCert('exec-cert-user');
    const file = kubeconfig('exec-cert', exec(plugin('cert-plugin', { clientCertificateData: readFileSync(crt, 'utf8'), clientKeyData: readFileSync(key, 'utf8') })));
    const r = await fluxDeps(file);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(fluxDepsList()?.user.username, 'exec-cert-user');
    assert.equal((await whoami(file)).username, 'exec-cert-user');
  });

  it('a missing exec plugin: both fail, flux-deps with exit 4 and one line naming it', async () => {
    const file = kubeconfig('exec-missing', { exec: { ...exec('no-such-plugin').exec, installHint: 'install no-such-plugin' } });
    const r = await fluxDeps(file);
    assert.equal(r.code, 4);
    assert.match(r.stderr, /^✗ cannot get credentials for .*: exec: executable no-such-plugin not found: install no-such-plugin\n$/);
    const k = await kubectl(file, 'get', 'ks', '-n', ns);
    assert.notEqual(k.code, 0);
    assert.match(k.stderr, /exec: executable no-such-plugin not found[^]*install no-such-plugin/);
    const path = await fluxDeps(kubeconfig('exec-missing-path', exec(join(work, 'no-such-plugin'))));
    assert.match(path.stderr, /: exec: fork\/exec .*\/no-such-plugin: no such file or directory\n$/);
    assert.match((await kubectl(kubeconfig('exec-missing-path', exec(join(work, 'no-such-plugin'))), 'get', 'ks')).stderr, /exec: fork\/exec .*\/no-such-plugin: no such file or directory/);
  });

  it('proxy-url: both go through the CONNECT proxy, once per connection', async () => {
    const proxy = await connectProxy();
    try {
      const file = kubeconfig('proxied', { token: token() }, { 'proxy-url': proxy.url });
      const r = await fluxDeps(file);
      assert.equal(r.code, 0, r.stderr);
      const host = new URL(server()).host;
      assert.ok(proxy.connects.length >= 1 && proxy.connects.every((c) => c === host), proxy.connects.join());
      const before = proxy.connects.length;
      assert.equal((await kubectl(file, 'get', 'ks', '-n', ns)).code, 0);
      assert.ok(proxy.connects.length > before, 'kubectl went through it too');
    } finally {
      proxy.server.close();
    }
  });

  it('impersonation with uid, groups and extras: the audit log and kubectl agree', async () => {
    const file = kubeconfig('impersonating', { token: token(), as: 'jane', 'as-uid': 'uid-1234', 'as-groups': ['system:masters'], 'as-user-extra': { 'example.com/scopes': ['view', 'edit'] } });
    const r = await fluxDeps(file);
    assert.equal(r.code, 0, r.stderr);
    const seen = fluxDepsList()?.impersonatedUser;
    assert.deepEqual([seen?.username, seen?.uid, seen?.groups, seen?.extra], ['jane', 'uid-1234', ['system:masters', 'system:authenticated'], { 'example.com/scopes': ['view', 'edit'] }]);
    const k = await whoami(file);
    assert.deepEqual([k.username, k.uid, k.extra], ['jane', 'uid-1234', { 'example.com/scopes': ['view', 'edit'] }]);
    const flags = await fluxDeps(kubeconfig('impersonating-flags', { token: token() }), '--as', 'joe', '--as-uid', 'uid-42', '--as-group', 'system:masters');
    assert.equal(flags.code, 0, flags.stderr);
    assert.deepEqual([fluxDepsList()?.impersonatedUser?.username, fluxDepsList()?.impersonatedUser?.uid], ['joe', 'uid-42']);
  });

  it('tls-server-name: a name on the serving certificate works for both, another fails for both', async () => {
    const good = kubeconfig('sni-good', { token: token() }, { 'tls-server-name': 'kubernetes.default.svc' });
    assert.equal((await fluxDeps(good)).code, 0);
    assert.equal((await kubectl(good, 'get', 'ks', '-n', ns)).code, 0);
    const bad = kubeconfig('sni-bad', { token: token() }, { 'tls-server-name': 'wrong.example' });
    const r = await fluxDeps(bad);
    assert.equal(r.code, 4);
    assert.match(r.stderr, /^✗ cannot reach the cluster at .*: the server certificate does not match its address\n$/);
    const k = await kubectl(bad, 'get', 'ks', '-n', ns);
    assert.notEqual(k.code, 0);
    assert.match(k.stderr, /certificate is valid for .*not wrong\.example/);
    const flag = await fluxDeps(bad, '--tls-server-name', 'localhost');
    assert.equal(flag.code, 0, flag.stderr);
  });

  it('a CA with insecure-skip-tls-verify: both refuse', async () => {
    const file = kubeconfig('insecure-ca', { token: token() }, { 'insecure-skip-tls-verify': true });
    const r = await fluxDeps(file);
    assert.equal(r.code, 4);
    assert.equal(r.stderr, '✗ specifying a root certificates file with the insecure flag is not allowed\n');
    const k = await kubectl(file, 'get', 'ks', '-n', ns);
    assert.notEqual(k.code, 0);
    assert.match(k.stderr, /specifying a root certificates file with the insecure flag is not allowed/);
  });
});
