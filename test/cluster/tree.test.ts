// `tree` against the real API server: the same answer as --from and as a snapshot, degraded output under
// RBAC, one line and exit 4 when the server is gone, and nothing but reads in the audit log.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { run } from '../../src/cli.ts';
import type { KubeObject } from '../../src/model/objects.ts';
import { createAll } from '../support/apply.ts';
import { artifact, git, hr, ks, objects } from '../support/fixtures.ts';
import { recordingIO } from '../support/io.ts';
import { auditEvents, clients, freshNamespace, testenv, untilAllowed } from '../support/testenv.ts';

const clock = new Date('2026-11-22T10:15:00Z');

async function flux(args: string[], user: 'admin' | 'viewer' = 'admin', kubeconfig = testenv().kubeconfig(user)) {
  const io = recordingIO({ env: { TZ: 'UTC', NO_COLOR: '1', KUBECONFIG: kubeconfig }, now: () => clock });
  const code = await run(args, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

describe('tree on the test cluster', function () {
  this.timeout(60_000);
  let a: string;
  let b: string;
  let fixture: KubeObject[];
  const dir = mkdtempSync(join(tmpdir(), 'flux-deps-tree-'));

  before(async () => {
    a = await freshNamespace('tree-a');
    b = await freshNamespace('tree-b');
    fixture = objects(
      ks('base').ns(b).ready(),
      ks('infra').ns(a).dependsOn(`${b}/base`).notReady('HealthCheckFailed', "health check failed after 5m0.01s: timeout waiting for: [Deployment/x/db status: 'InProgress']").inventory(`${a}_settings__ConfigMap`),
      ks('apps').ns(a).dependsOn('infra', 'typo').notReady('DependencyNotReady', `dependency '${a}/infra' is not ready`),
      hr('redis').ns(a).dependsOn('cache').progressing(),
      hr('cache').ns(a).ready('Helm install succeeded for release cache.v1 with chart redis@19.0.1'),
      ks('suspended').ns(a).suspended().dependsOn('apps'),
      // Their sources, as a real cluster has them.
      artifact(git('flux-system').ns(a)),
      artifact(git('flux-system').ns(b)),
    );
    await createAll(fixture);
    await clients().core.createNamespacedConfigMap({ namespace: a, body: { metadata: { name: 'settings' }, data: { k: 'v' } } });
    // The same objects as the cluster holds them: the CRDs default status to "not reconciled yet".
    const asStored = fixture.map((o) => (o.status ? o : { ...o, status: { observedGeneration: -1 } }));
    writeFileSync(join(dir, 'fixture.yaml'), asStored.map((o) => stringify(o)).join('---\n'));
  });

  for (const output of ['text', 'json', 'dot', 'svg', 'html']) {
    it(`prints the same ${output} live and --from the same objects`, async () => {
      const live = await flux(['tree', '-n', a, '-o', output, '--levels']);
      const offline = await flux(['tree', '-n', a, '-o', output, '--levels', '--from', join(dir, 'fixture.yaml')]);
      assert.equal(live.code, 0, live.stderr);
      assert.equal(live.stderr, '');
      assert.equal(live.stdout, offline.stdout);
      assert.match(live.stdout, new RegExp(`${b}/base`));
    });
  }

  it('reproduces the live answer from a snapshot, inventory health included', async () => {
    const snap = await flux(['snapshot', '-n', a]);
    assert.equal(snap.code, 0, snap.stderr);
    assert.match(snap.stdout, /kind: ConfigMap/);
    // When it was taken (a replay tells ages from then) and what it could not read (nothing, as admin).
    assert.match(snap.stdout, /\n {2}kind: SnapshotInfo\n {2}metadata:\n {4}name: flux-deps-snapshot\n {2}capturedAt: 2026-11-22T10:15:00.000Z\n {2}unreadable: \[\]\n/);
    writeFileSync(join(dir, 'snapshot.yaml'), snap.stdout);
    const live = await flux(['tree', '-n', a, '--inventory', '-o', 'json']);
    const offline = await flux(['tree', '-n', a, '--inventory', '-o', 'json', '--from', join(dir, 'snapshot.yaml')]);
    assert.equal(live.stdout, offline.stdout);
    const infra = JSON.parse(live.stdout).nodes.find((n: { name: string }) => n.name === 'infra');
    assert.deepEqual(infra.inventory, [{ id: `ConfigMap/${a}/settings`, apiVersion: 'v1', status: 'Current', message: 'Resource is always ready' }]);
  });

  // flux-system's Kustomization applies the others: its inventory lists them, and they are read once, not again
  // as inventory objects (read twice, every dependency edge was drawn twice).
  it('--inventory: a Kustomization another one applies is one node, live as --from; dot and mermaid draw the managing edge', async () => {
    const c = await freshNamespace('tree-c');
    const applied = objects(
      ks('flux-system').ns(c).ready().inventory(`${c}_apps_kustomize.toolkit.fluxcd.io_Kustomization`, `${c}_settings__ConfigMap`),
      ks('apps').ns(c).dependsOn('flux-system').ready(),
      artifact(git('flux-system').ns(c)),
    );
    await createAll(applied);
    await clients().core.createNamespacedConfigMap({ namespace: c, body: { metadata: { name: 'settings' } } });
    const file = join(dir, 'applied.yaml');
    writeFileSync(file, [...applied, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: c } }].map((o) => stringify(o)).join('---\n'));
    const json = await flux(['tree', '-n', c, '--inventory', '-o', 'json']);
    assert.equal(json.code, 0, json.stderr);
    assert.deepEqual(JSON.parse(json.stdout).edges, [{ from: `Kustomization/${c}/apps`, to: `Kustomization/${c}/flux-system` }]);
    for (const output of ['text', 'dot', 'mermaid']) {
      const live = await flux(['tree', '-n', c, '--inventory', '-o', output]);
      assert.equal(live.stdout, (await flux(['tree', '-n', c, '--inventory', '-o', output, '--from', file])).stdout, output);
      if (output === 'dot') {
        assert.equal(live.stdout.match(new RegExp(`^  "Kustomization/${c}/apps" -> "Kustomization/${c}/flux-system";$`, 'gm'))?.length, 1, live.stdout);
        assert.match(live.stdout, new RegExp(`^  "ConfigMap/${c}/settings" \\[label="ConfigMap\\\\n${c}/settings\\\\nCurrent"`, 'm'));
        assert.match(live.stdout, new RegExp(`^  "Kustomization/${c}/apps" -> "Kustomization/${c}/flux-system" \\[dir=back, .*constraint=false\\];$`, 'm'));
      }
      if (output === 'mermaid') assert.equal(live.stdout.split('\n').filter((l) => l.includes(' -.- ')).length, 2, live.stdout);
      if (output === 'text') assert.doesNotMatch(live.stdout, /shown above/);
    }
  });

  it('exits 3 when the REF does not exist', async () => {
    const r = await flux(['tree', 'ks/nope', '-n', a]);
    assert.equal(r.code, 3);
    assert.equal(r.stderr, `✗ Kustomization ${a}/nope not found\n`);
  });

  it('shows the viewer a partial graph, with a warning naming what it could not read', async () => {
    const { rbac } = clients();
    await rbac.createNamespacedRole({ namespace: a, body: { metadata: { name: 'flux-read' }, rules: [{ apiGroups: ['kustomize.toolkit.fluxcd.io', 'helm.toolkit.fluxcd.io'], resources: ['*'], verbs: ['get', 'list'] }] } });
    await rbac.createNamespacedRoleBinding({ namespace: a, body: { metadata: { name: 'flux-read' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'flux-read' }, subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'viewer' }] } });
    // In force once the API server's RBAC informers have the binding: a moment after the create returns.
    await untilAllowed('viewer', a, 'kustomize.toolkit.fluxcd.io', 'kustomizations');
    const r = await flux(['tree', '-n', a, '-o', 'json'], 'viewer');
    assert.equal(r.code, 0);
    assert.match(r.stderr, new RegExp(`^⚠ forbidden to list kustomizations in namespace ${b}: .*\\n⚠ forbidden to list helmreleases in namespace ${b}: `));
    const base = JSON.parse(r.stdout).nodes.find((n: { name: string }) => n.name === 'base');
    assert.deepEqual([base.found, base.ready, base.reason], [false, 'Unknown', 'Forbidden']);
  });

  it('exits 4 with one line when the API server is not there', async () => {
    const config = readFileSync(testenv().kubeconfig('admin'), 'utf8').replace(/server: https:\/\/127\.0\.0\.1:\d+/, 'server: https://127.0.0.1:9');
    writeFileSync(join(dir, 'stopped.kubeconfig'), config);
    const r = await flux(['tree', '-n', a], 'admin', join(dir, 'stopped.kubeconfig'));
    assert.equal(r.code, 4);
    assert.equal(r.stderr, '✗ cannot reach the cluster at https://127.0.0.1:9 (context admin@flux-deps-testenv): connection refused\n');
    assert.equal(r.stdout, '');
  });

  it('runs an exec credential plugin as kubectl does, and says in one line when it fails', async () => {
    const admin = readFileSync(testenv().kubeconfig('admin'), 'utf8');
    const token = /token: (\S+)/.exec(admin)?.[1];
    const plugin = (name: string, body: string) => {
      writeFileSync(join(dir, name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
      const exec = `exec: {apiVersion: client.authentication.k8s.io/v1, command: ${join(dir, name)}, interactiveMode: Never}`;
      writeFileSync(join(dir, `${name}.kubeconfig`), admin.replace(/token: \S+/, exec));
      return join(dir, `${name}.kubeconfig`);
    };
    const good = plugin('cred', `echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"${token}"}}'`);
    const r = await flux(['tree', '-n', a, '-o', 'json'], 'admin', good);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout).nodes.map((n: { name: string }) => n.name).sort(), ['apps', 'base', 'cache', 'infra', 'redis', 'suspended', 'typo']);
    // The bundle loads client-node from its own file (dist/): the same answer from bin/flux-deps.
    const built = spawnSync('bin/flux-deps', ['tree', '-n', a, '-o', 'json'], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin', KUBECONFIG: good } });
    assert.equal(built.stderr, '');
    assert.equal(built.stdout, r.stdout);
    const bad = await flux(['tree', '-n', a], 'admin', plugin('nocred', 'echo "no credentials here" >&2; exit 1'));
    assert.equal(bad.code, 4);
    assert.match(bad.stderr, /^✗ cannot get credentials for https:\/\/127\.0\.0\.1:\d+ \(context admin@flux-deps-testenv\): .+\n$/);
    assert.equal(bad.stdout, '');
  });

  it('authenticates with a client certificate, given as data or as files, as kubectl does', async () => {
    const pki = join(testenv().dir, 'pki');
    const key = join(dir, 'client.key');
    const crt = join(dir, 'client.crt');
    execFileSync('openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=cert-user/O=system:masters', '-keyout', key, '-out', join(dir, 'client.csr')], { stdio: 'ignore' });
    execFileSync('openssl', ['x509', '-req', '-in', join(dir, 'client.csr'), '-CA', join(pki, 'ca.crt'), '-CAkey', join(pki, 'ca.key'), '-CAcreateserial', '-CAserial', join(dir, 'ca.srl'), '-days', '1', '-out', crt], { stdio: 'ignore' });
    const admin = readFileSync(testenv().kubeconfig('admin'), 'utf8');
    const b64 = (f: string) => readFileSync(f).toString('base64');
    const variants = {
      data: `client-certificate-data: ${b64(crt)}\n    client-key-data: ${b64(key)}`,
      files: `client-certificate: ${crt}\n    client-key: ${key}`,
    };
    for (const [how, user] of Object.entries(variants)) {
      writeFileSync(join(dir, `cert-${how}.kubeconfig`), admin.replace(/token: \S+/, user));
      const r = await flux(['tree', '-n', a, '-o', 'json'], 'admin', join(dir, `cert-${how}.kubeconfig`));
      assert.equal(r.code, 0, `${how}: ${r.stderr}`);
      assert.equal(JSON.parse(r.stdout).nodes.length, 7, how);
    }
    const mine = auditEvents().filter((e) => (e as { user?: { username: string } }).user?.username === 'cert-user');
    assert.ok(mine.length >= 2, 'the API server saw the certificate user');
  });

  it('reads a list the API server compresses (over 128 kB, asked for gzip as kubectl asks)', async () => {
    const big = await freshNamespace('tree-gzip');
    const entries = Array.from({ length: 3000 }, (_, i) => `${big}_config-${i}__ConfigMap`);
    await createAll(objects(ks('huge').ns(big).ready().inventory(...entries)));
    // The server does compress this list when asked...
    const kubeconfig = readFileSync(testenv().kubeconfig('admin'), 'utf8');
    const server = /server: (\S+)/.exec(kubeconfig)?.[1] ?? '';
    const headers = await new Promise<Record<string, unknown>>((resolve, reject) => {
      const req = request(`${server}/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/${big}/kustomizations`, {
        headers: { Authorization: `Bearer ${/token: (\S+)/.exec(kubeconfig)?.[1]}`, 'Accept-Encoding': 'gzip' },
        ca: readFileSync(join(testenv().dir, 'pki', 'ca.crt')),
      }, (res) => {
        res.resume();
        resolve(res.headers);
      });
      req.on('error', reject);
      req.end();
    });
    assert.equal(headers['content-encoding'], 'gzip');
    // ...and tree reads it whole: every inventory entry, found missing.
    const r = await flux(['tree', '-n', big, '--inventory', '-o', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const node = JSON.parse(r.stdout).nodes.find((n: { name: string }) => n.name === 'huge');
    assert.equal(node.inventory.length, 3000);
  });

  it('only reads: every request it made was a get or a list', async () => {
    const r = await flux(['tree', '-n', a, '--inventory', '--as', 'tree-auditor', '--as-group', 'system:masters']);
    assert.equal(r.code, 0, r.stderr);
    const mine = auditEvents().filter((e) => (e as { impersonatedUser?: { username: string } }).impersonatedUser?.username === 'tree-auditor');
    assert.ok(mine.length >= 3, `expected its requests in the audit log, saw ${mine.length}`);
    const verbs = new Set(mine.map((e) => e.verb));
    assert.ok(verbs.has('list') && [...verbs].every((v) => ['get', 'list'].includes(v)), [...verbs].join(','));
  });
});
