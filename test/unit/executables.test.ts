// The built program as users run it: the checkout's bin/ launchers (make build) with the pinned Node.js.
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { run as runInProcess } from '../../src/cli.ts';
import { recordingIO } from '../support/io.ts';

const run = async (bin: string, args: string[]) => {
  try {
    const { stdout, stderr } = await promisify(execFile)(`bin/${bin}`, args, { env: { PATH: '/usr/bin:/bin' }, maxBuffer: 1 << 26 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
};

describe('built executables', () => {
  before(() => {
    assert.ok(existsSync('bin/flux-deps') && existsSync('dist/flux-deps.cjs'), 'run `make build` first');
  });

  for (const bin of ['flux-deps', 'kubectl-flux_deps']) {
    it(`${bin} answers --version and --help with no node on PATH`, async () => {
      const version = await run(bin, ['--version']);
      assert.equal(version.code, 0);
      assert.match(version.stdout, /^flux-deps \d+\.\d+\.\d+\S* \(commit \w+, node v24\.\d+\.\d+\)\n$/);
      const help = await run(bin, ['--help']);
      assert.equal(help.code, 0);
      assert.match(help.stdout, bin === 'flux-deps' ? /Usage: flux-deps </ : /Usage: kubectl flux-deps </);
    });
  }

  it('exits 2 with a one-line error and no stack trace on an unknown flag', async () => {
    const r = await run('flux-deps', ['--no-such-flag']);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, "✗ unknown flag: --no-such-flag; see 'flux-deps --help'\n");
  });

  describe('a large output into a pipe', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flux-deps-pipe-'));
    const file = join(dir, 'many.json');
    before(() => {
      const items = Array.from({ length: 3000 }, (_, i) => ({ apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: `k${i}`, namespace: 'flux-system' }, spec: {} }));
      writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', items }));
    });

    it('arrives whole: exiting does not drop what the pipe has not taken yet', async () => {
      const io = recordingIO();
      assert.equal(await runInProcess(['tree', '--from', file, '-o', 'json'], io), 0);
      assert.ok(io.stdout.length > 10 * 65536, 'far more than a pipe holds');
      const r = await run('flux-deps', ['tree', '--from', file, '-o', 'json']);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout.length, io.stdout.length);
      assert.equal(r.stdout, io.stdout);
    });

    it('to a reader that stops early (| head) ends quietly, with the command’s exit code', () => {
      const piped = spawnSync('bash', ['-c', `set -o pipefail; bin/flux-deps tree --from ${file} -o json | head -c 10 >/dev/null`], { encoding: 'utf8' });
      assert.equal(piped.stderr, '', 'no stack trace');
      assert.equal(piped.status, 0);
    });
  });

  // script(1) gives the program a terminal; the server refuses at once, so the spinner starts and stops on an error.
  describe('wait-for on a terminal', () => {
    const onTerminal = (setup: string) =>
      spawnSync('script', ['-qec', `${setup}bin/flux-deps wait-for ks/x --server http://127.0.0.1:1 --timeout 3s`, '/dev/null'], { encoding: 'utf8', timeout: 20_000 });

    it('spins with ora (a library beside the program), then says why it stopped', () => {
      const r = onTerminal('stty cols 80 rows 24; ');
      assert.equal(r.status, 4, r.stdout);
      assert.match(r.stdout, /reading/);
      assert.match(r.stdout, /✗ cannot reach the cluster at http:\/\/127\.0\.0\.1:1/);
      assert.doesNotMatch(r.stdout, /internal error/);
    });

    it('on a terminal of no width, writes lines rather than a spinner that never ends', () => {
      const r = onTerminal('stty cols 0 rows 0; ');
      assert.equal(r.status, 4, r.stdout.slice(0, 500));
      assert.doesNotMatch(r.stdout, /reading/);
      assert.match(r.stdout, /✗ cannot reach the cluster/);
    });
  });
});
