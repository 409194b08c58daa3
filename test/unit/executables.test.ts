// The built program as users run it: the checkout's bin/ launchers (make build) with the pinned Node.js.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';

const run = async (bin: string, args: string[]) => {
  try {
    const { stdout, stderr } = await promisify(execFile)(`bin/${bin}`, args, { env: { PATH: '/usr/bin:/bin' } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
};

describe('built executables', () => {
  before(() => {
    assert.ok(existsSync('bin/flux-deps') && existsSync('dist/flux-deps.mjs'), 'run `make build` first');
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
});
