// What `make dist` made: single executables that run without Node, and plugin manifests that match them
// field by field, installable by the flux CLI from a catalog.
import assert from 'node:assert/strict';
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { parse } from 'yaml';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
const release = resolve('dist-release');
const archive = (arch: string) => `flux-deps_${pkg.version}_linux_${arch}.tar.gz`;
const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('make dist', function () {
  this.timeout(120_000);

  it('the krew manifest names every archive with its sha256, the package version and the binary', () => {
    const m = parse(readFileSync(join(release, 'plugin', 'flux-deps.yaml'), 'utf8'));
    assert.deepEqual([m.apiVersion, m.kind, m.metadata.name, m.spec.version], ['krew.googlecontainertools.github.com/v1alpha2', 'Plugin', 'flux-deps', `v${pkg.version}`]);
    assert.ok(m.spec.shortDescription && m.spec.description && m.spec.caveats && m.spec.homepage);
    assert.deepEqual(m.spec.platforms.map((p: { selector: { matchLabels: { arch: string } } }) => p.selector.matchLabels.arch), ['amd64', 'arm64']);
    for (const p of m.spec.platforms) {
      const file = archive(p.selector.matchLabels.arch);
      assert.equal(p.selector.matchLabels.os, 'linux');
      assert.ok(p.uri.endsWith(`/${file}`));
      assert.equal(p.sha256, sha(join(release, file)));
      assert.equal(p.bin, 'flux-deps');
    }
  });

  it('the Flux catalog manifest matches too', () => {
    const m = parse(readFileSync(join(release, 'plugin', 'deps.yaml'), 'utf8'));
    assert.deepEqual([m.apiVersion, m.kind, m.name, m.bin, m.versions[0].version], ['cli.fluxcd.io/v1beta1', 'Plugin', 'deps', 'flux-deps', pkg.version]);
    for (const p of m.versions[0].platforms) assert.equal(p.checksum, `sha256:${sha(join(release, archive(p.arch)))}`);
  });

  it('the linux-amd64 executable runs --version and tree --from with no node on PATH', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sea-'));
    execFileSync('tar', ['xzf', join(release, archive('amd64')), '-C', dir]);
    const env = { PATH: dir, HOME: dir };
    const v = spawnSync(join(dir, 'flux-deps'), ['--version'], { encoding: 'utf8', env });
    assert.equal(v.status, 0, v.stderr);
    assert.match(v.stdout, new RegExp(`^flux-deps ${pkg.version.replace(/\./g, '\\.')} \\(commit \\w+, node v24\\.\\d+\\.\\d+\\)\\n$`));
    const t = spawnSync(join(dir, 'flux-deps'), ['tree', '--from', resolve('examples/seed-chain.yaml')], { encoding: 'utf8', env });
    assert.equal(t.status, 0, t.stderr);
    assert.match(t.stdout, /✗ Kustomization\/infra ◀ root cause/);
    // Its code cache (src/code-cache.ts) is in ~/.cache, made by the first run and used as it is by the next.
    const [build] = readdirSync(join(dir, '.cache', 'flux-deps', 'code'));
    const cache = join(dir, '.cache', 'flux-deps', 'code', build as string, 'tree.v8');
    const made = readFileSync(cache);
    const again = spawnSync(join(dir, 'flux-deps'), ['tree', '--from', resolve('examples/seed-chain.yaml')], { encoding: 'utf8', env });
    assert.deepEqual([again.status, again.stdout, again.stderr], [t.status, t.stdout, t.stderr]);
    assert.deepEqual(readFileSync(cache), made);
  });

  it('the executable writes a large output into a pipe whole', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sea-pipe-'));
    execFileSync('tar', ['xzf', join(release, archive('amd64')), '-C', dir]);
    const items = Array.from({ length: 3000 }, (_, i) => ({ apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: `k${i}`, namespace: 'flux-system' }, spec: {} }));
    writeFileSync(join(dir, 'many.json'), JSON.stringify({ apiVersion: 'v1', kind: 'List', items }));
    const args = ['tree', '--from', join(dir, 'many.json'), '-o', 'json'];
    const sea = spawnSync(join(dir, 'flux-deps'), args, { encoding: 'utf8', maxBuffer: 1 << 26, env: { PATH: '/usr/bin:/bin', HOME: dir } });
    const built = spawnSync('bin/flux-deps', args, { encoding: 'utf8', maxBuffer: 1 << 26, env: { PATH: '/usr/bin:/bin' } });
    assert.equal(sea.status, 0, sea.stderr);
    assert.ok(built.stdout.length > 10 * 65536);
    assert.equal(sea.stdout, built.stdout);
  });

  it('the executable draws tree -o svg and -o html as make build does (Graphviz, an asset it compiles only then)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sea-svg-'));
    execFileSync('tar', ['xzf', join(release, archive('amd64')), '-C', dir]);
    for (const output of ['svg', 'html']) {
      const args = ['tree', '--from', 'examples/production.yaml', '-o', output];
      const sea = spawnSync(join(dir, 'flux-deps'), args, { encoding: 'utf8', env: { PATH: '/usr/bin:/bin', HOME: dir } });
      const built = spawnSync('bin/flux-deps', args, { encoding: 'utf8', env: { PATH: '/usr/bin:/bin' } });
      assert.equal(sea.status, 0, sea.stderr);
      assert.match(sea.stdout, /<g id="Kustomization\/flux-system\/production-infrastructure" class="node failed rootcause">/);
      assert.equal(sea.stdout, built.stdout);
    }
  });

  it('the executable runs exec credential plugins (client-node, an asset it compiles only then)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sea-exec-'));
    execFileSync('tar', ['xzf', join(release, archive('amd64')), '-C', dir]);
    const marker = join(dir, 'plugin-ran');
    writeFileSync(join(dir, 'cred'), `#!/bin/sh\ntouch ${marker}\necho '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"t"}}'\n`, { mode: 0o755 });
    writeFileSync(join(dir, 'kubeconfig'), [
      'apiVersion: v1',
      'kind: Config',
      'clusters: [{name: c, cluster: {server: "https://127.0.0.1:9", insecure-skip-tls-verify: true}}]',
      `users: [{name: u, user: {exec: {apiVersion: client.authentication.k8s.io/v1, command: ${join(dir, 'cred')}, interactiveMode: Never}}}]`,
      'contexts: [{name: x, context: {cluster: c, user: u}}]',
      'current-context: x',
    ].join('\n'));
    const r = spawnSync(join(dir, 'flux-deps'), ['tree'], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin', HOME: dir, KUBECONFIG: join(dir, 'kubeconfig') } });
    assert.equal(r.stderr, '✗ cannot reach the cluster at https://127.0.0.1:9 (context x): connection refused\n');
    assert.equal(r.status, 4);
    assert.ok(existsSync(marker), 'the exec plugin ran');
  });

  it('the executable serves MCP (the SDK an asset it compiles only then), answering as its tree does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sea-mcp-'));
    execFileSync('tar', ['xzf', join(release, archive('amd64')), '-C', dir]);
    const exe = join(dir, 'flux-deps');
    const example = resolve('examples/seed-chain.yaml');
    const client = new Client({ name: 'dist-test', version: '1' });
    await client.connect(new StdioClientTransport({ command: exe, args: ['mcp', '--from', example], env: { PATH: dir, HOME: dir }, stderr: 'pipe' }));
    try {
      const result = await client.callTool({ name: 'tree', arguments: {} });
      const expected = spawnSync(exe, ['tree', '-o', 'json', '--from', example], { encoding: 'utf8', env: { PATH: dir, HOME: dir } });
      assert.equal(expected.status, 0, expected.stderr);
      assert.equal((result.content as Array<{ text: string }>)[0]?.text, expected.stdout);
    } finally {
      await client.close();
    }
  });

  it('flux plugin install deps installs it from a catalog, and flux deps runs it', async () => {
    const bin = process.env.FLUX_DEPS_TESTENV_BIN ?? execFileSync('bash', ['-c', '. testenv/lib.sh && echo "$TESTENV_BIN"'], { encoding: 'utf8' }).trim();
    const server = createServer((req, res) => {
      const name = (req.url ?? '/').slice(1);
      const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
      if (name === 'deps.yaml') {
        // The generated manifest, with this server standing in for the release downloads.
        const manifest = readFileSync(join(release, 'plugin', 'deps.yaml'), 'utf8').replace(/url: \S+\//g, `url: ${base}/`);
        res.end(manifest);
      } else if (name.endsWith('.tar.gz')) res.end(readFileSync(join(release, name)));
      else (res.statusCode = 404), res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const plugins = mkdtempSync(join(tmpdir(), 'flux-plugins-'));
      const env = { ...process.env, FLUXCD_PLUGINS: plugins, FLUXCD_PLUGIN_CATALOG: `http://127.0.0.1:${(server.address() as { port: number }).port}/`, HOME: plugins };
      // Asynchronously: the catalog server above runs on this process's event loop.
      const installed = await promisify(execFile)(`${bin}/flux`, ['plugin', 'install', 'deps'], { encoding: 'utf8', env });
      assert.match(installed.stdout + installed.stderr, /deps/);
      const v = spawnSync(`${bin}/flux`, ['deps', '--version'], { encoding: 'utf8', env });
      assert.equal(v.status, 0, v.stderr);
      assert.match(v.stdout, /^flux-deps \S+ \(commit \w+, node v24/);
    } finally {
      server.close();
    }
  });
});
