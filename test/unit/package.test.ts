// The npm package as users get it: `npm pack`, installed offline into an empty prefix (everything is bundled,
// so it has no dependencies to fetch), both executables run; an old Node is refused in one line.
import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

describe('npm package', function () {
  this.timeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), 'flux-deps-pack-'));
  const prefix = join(dir, 'prefix');
  const node24 = resolve('node_modules/node/bin');

  before(() => {
    execFileSync('npm', ['pack', '--pack-destination', dir, '--loglevel=error'], { stdio: 'ignore' });
    const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz')) as string;
    execFileSync('npm', ['install', '-g', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', '--loglevel=error', join(dir, tarball)], { stdio: 'ignore' });
  });

  it('holds only the bundled program, README, CONTRACT and LICENSE', () => {
    const root = join(prefix, 'lib', 'node_modules', 'kubectl-flux-deps');
    assert.deepEqual(readdirSync(root).sort(), ['CONTRACT.md', 'LICENSE', 'README.md', 'dist', 'package.json']);
    assert.ok(!existsSync(join(root, 'node_modules')), 'no dependencies installed');
  });

  for (const bin of ['kubectl-flux_deps', 'flux-deps']) {
    it(`${bin} runs tree on the bundled example with Node 24`, () => {
      const r = spawnSync(join(prefix, 'bin', bin), ['tree', '--from', 'examples/seed-chain.yaml'], { encoding: 'utf8', env: { PATH: `${node24}:/usr/bin:/bin` } });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /✗ Kustomization\/infra ◀ root cause/);
    });
  }

  it('flux-deps mcp serves its tools from the installed package (the SDK in dist/mcp-sdk.cjs beside the program)', async () => {
    const client = new Client({ name: 'package-test', version: '1' });
    await client.connect(new StdioClientTransport({ command: join(prefix, 'bin', 'flux-deps'), args: ['mcp', '--from', resolve('examples/seed-chain.yaml')], env: { PATH: `${node24}:/usr/bin:/bin` }, stderr: 'pipe' }));
    try {
      const result = await client.callTool({ name: 'why_blocked', arguments: { ref: 'app' } });
      assert.equal(JSON.parse((result.content as Array<{ text: string }>)[0]?.text ?? '').target, 'Kustomization/flux-system/app');
    } finally {
      await client.close();
    }
  });

  it('on a Node older than 22.19 says so in one line and exits 2', () => {
    const system = spawnSync('node', ['--version'], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin' } });
    const [major = 0, minor = 0] = system.stdout.replace(/^v/, '').split('.').map(Number);
    const r = spawnSync(join(prefix, 'bin', 'flux-deps'), ['--version'], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin' } });
    if (major < 22 || (major === 22 && minor < 19)) {
      assert.equal(r.status, 2);
      assert.equal(r.stderr, `✗ flux-deps needs Node.js >= 22.19; this is ${system.stdout.trim()}\n`);
    } else {
      // This machine's own node is new enough: then it simply runs.
      assert.equal(r.status, 0, r.stderr);
    }
  });
});
