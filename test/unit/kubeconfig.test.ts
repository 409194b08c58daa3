// kubectl's kubeconfig rules, on files written here: merging, contexts, flag overrides, relative paths, errors.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConnection } from '../../src/cluster/kubeconfig.ts';
import { ClusterError, UsageError } from '../../src/errors.ts';

const dir = mkdtempSync(join(tmpdir(), 'kubeconfig-'));
const write = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};

const a = write('a.yaml', `
apiVersion: v1
kind: Config
current-context: dev
clusters:
- name: dev
  cluster: {server: https://dev.example:6443/, certificate-authority: certs/ca.crt}
- name: prod
  cluster: {server: https://prod.example:6443, insecure-skip-tls-verify: true}
users:
- name: alice
  user: {token: alice-token}
- name: bob
  user: {tokenFile: bob.token}
contexts:
- name: dev
  context: {cluster: dev, user: alice}
- name: prod
  context: {cluster: prod, user: bob}
`);
mkdirSync(join(dir, 'certs'));
writeFileSync(join(dir, 'certs', 'ca.crt'), 'CA PEM');
writeFileSync(join(dir, 'bob.token'), 'bob-token\n');
const b = write('b.yaml', `
current-context: prod
clusters:
- name: dev
  cluster: {server: https://shadowed.example}
users:
- name: carol
  user: {username: carol, password: secret, as: admin, as-groups: [ops]}
contexts:
- name: carol
  context: {cluster: dev, user: carol}
`);

describe('kubeconfig', () => {
  it('merges KUBECONFIG files: the first to define a name or the current context wins; paths are relative to their file', () => {
    const c = resolveConnection({}, { KUBECONFIG: `${a}:${b}` });
    assert.equal(c.server, 'https://dev.example:6443');
    assert.equal(c.ca?.toString(), 'CA PEM');
    assert.deepEqual(c.headers, { Authorization: 'Bearer alice-token' });
    assert.equal(c.describe, 'https://dev.example:6443/ (context dev)');
  });

  it('follows --context, reads tokenFile when asked (again after a 401), honours insecure-skip-tls-verify', async () => {
    const c = resolveConnection({ context: 'prod' }, { KUBECONFIG: a });
    assert.deepEqual([c.server, c.insecure, c.headers.Authorization], ['https://prod.example:6443', true, undefined]);
    assert.equal(await c.authorize?.(), 'Bearer bob-token');
  });

  it('uses basic auth and the user’s impersonation, and the flags override the file', () => {
    const c = resolveConnection({ context: 'carol' }, { KUBECONFIG: `${a}:${b}` });
    assert.equal(c.headers.Authorization, `Basic ${Buffer.from('carol:secret').toString('base64')}`);
    assert.deepEqual([c.headers['Impersonate-User'], c.headers['Impersonate-Group']], ['admin', ['ops']]);
    const o = resolveConnection({ kubeconfig: a, server: 'https://other:443', token: 't', as: 'eve', asGroup: ['g1', 'g2'], requestTimeout: '1m' }, {});
    assert.deepEqual([o.server, o.headers.Authorization, o.headers['Impersonate-User'], o.headers['Impersonate-Group'], o.timeoutMs], ['https://other:443', 'Bearer t', 'eve', ['g1', 'g2'], 60_000]);
  });

  it('reads any zero --request-timeout as none, as client-go does (a zero socket timeout would wait for ever)', () => {
    for (const zero of ['0', '0s', '0m', '0.0s']) assert.equal(resolveConnection({ kubeconfig: a, requestTimeout: zero }, {}).timeoutMs, undefined, zero);
    assert.equal(resolveConnection({ kubeconfig: a, requestTimeout: '500ms' }, {}).timeoutMs, 500);
  });

  it('reads ~/.kube/config when KUBECONFIG is unset', () => {
    const home = mkdtempSync(join(tmpdir(), 'home-'));
    mkdirSync(join(home, '.kube'));
    writeFileSync(join(home, '.kube', 'config'), 'current-context: x\nclusters: [{name: c, cluster: {server: "https://home:6443"}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\nusers: [{name: u, user: {}}]\n');
    assert.equal(resolveConnection({}, { HOME: home }).server, 'https://home:6443');
  });

  const failures: Array<[string, () => unknown, RegExp, unknown]> = [
    ['no kubeconfig at all', () => resolveConnection({}, { HOME: join(dir, 'nowhere') }), /^no kubeconfig found \(looked in .*nowhere\/\.kube\/config\); set KUBECONFIG or --kubeconfig$/, ClusterError],
    ['an unknown context', () => resolveConnection({ context: 'nope' }, { KUBECONFIG: a }), /^context "nope" not found in /, ClusterError],
    ['an unknown user', () => resolveConnection({ user: 'nope' }, { KUBECONFIG: a }), /^user "nope" not found in the kubeconfig$/, ClusterError],
    ['a kubeconfig that is not YAML', () => resolveConnection({ kubeconfig: write('bad.yaml', 'clusters: [unclosed') }, {}), /^cannot read kubeconfig .*bad\.yaml: /, UsageError],
    // Said at once, naming the entry and its file, rather than by the first request.
    ['a cluster server that is not a URL', () => resolveConnection({ kubeconfig: write('not-url.yaml', 'current-context: x\nclusters: [{name: c, cluster: {server: "dev.example:6443"}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\nusers: [{name: u, user: {token: t}}]\n') }, {}), /^cluster "c" in .*not-url\.yaml: server "dev\.example:6443" is not a URL$/, ClusterError],
    ['a bad --request-timeout', () => resolveConnection({ kubeconfig: a, requestTimeout: 'soon' }, {}), /^invalid --request-timeout "soon"/, UsageError],
  ];
  for (const [what, call, message, type] of failures) {
    it(`says what is wrong with ${what}`, () => {
      assert.throws(call, (err: Error) => err instanceof (type as typeof Error) && message.test(err.message));
    });
  }
});
