// The real process's IO: what is a terminal, told without loading Node's terminal streams for pipes and files.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isTerminal } from '../../src/io.ts';

describe('process IO', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flux-deps-io-'));

  it('takes a file, /dev/null and a socket for no terminal', () => {
    for (const path of [join(dir, 'out.txt'), '/dev/null']) {
      const fd = openSync(path, 'w');
      try {
        assert.equal(isTerminal(fd), false, path);
      } finally {
        closeSync(fd);
      }
    }
    // spawnSync's 'pipe' is a socket pair: the child asks of its own stdout.
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', `import { isTerminal } from '${process.cwd()}/src/io.ts'; console.log(isTerminal(1));`], { encoding: 'utf8' });
    assert.equal(child.stdout.trim(), 'false', child.stderr);
  });

  it('into pipes and files, a run loads neither the terminal module nor net (CI and scripts start faster)', () => {
    const probe = join(dir, 'probe.cjs');
    const loaded = join(dir, 'loaded.txt');
    writeFileSync(probe, `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(loaded)}, process.moduleLoadList.join('\\n')));`);
    const r = spawnSync('node_modules/node/bin/node', ['-r', probe, 'dist/flux-deps.cjs', 'tree', '--from', 'examples/production.yaml'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /production-infrastructure/);
    const modules = readFileSync(loaded, 'utf8').split('\n');
    assert.ok(modules.includes('NativeModule fs'), 'the probe saw the run');
    assert.deepEqual(modules.filter((m) => /^NativeModule (tty|net)$/.test(m)), []);
  });

  it('still writes an error line into a stderr pipe', () => {
    const r = spawnSync('bin/flux-deps', ['tree', '--from', join(dir, 'missing.yaml')], { encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^✗ .*missing\.yaml.*\n$/);
  });
});
