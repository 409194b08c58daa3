// V8's code cache for the built program (src/code-cache.ts): made by a command's first run, used unchanged by the
// next, rewritten when damaged, never in the way when it cannot be written.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commandsFor } from '../../src/cli.ts';
import { cacheDir, cacheName } from '../../src/code-cache.ts';
import { recordingIO } from '../support/io.ts';

const example = 'examples/seed-chain.yaml';
const run = (env: Record<string, string>, args = ['tree', '--from', example]) =>
  spawnSync('bin/flux-deps', args, { encoding: 'utf8', env: { PATH: '/usr/bin:/bin', ...env } });
/** The one build directory under a cache home, and its files. */
const builds = (home: string) => readdirSync(join(home, 'flux-deps', 'code'));
const cacheFile = (home: string, command: string) => join(home, 'flux-deps', 'code', builds(home)[0] as string, `${command}.v8`);

describe('code cache', () => {
  it('each command has a cache of its own; anything else shares one', () => {
    const names = commandsFor(recordingIO()).map((c) => c.name);
    assert.ok(names.length >= 6);
    for (const name of names) assert.equal(cacheName([name, '--help']), name);
    assert.equal(cacheName(['__complete', 'tree', '']), '__complete');
    assert.equal(cacheName(['--help']), 'other');
    assert.equal(cacheName(['no-such-command']), 'other');
    assert.equal(cacheName([]), 'other');
  });

  it('lives under XDG_CACHE_HOME, else ~/.cache, per build and Node; off with NODE_DISABLE_COMPILE_CACHE or no home', () => {
    const node = `node${process.versions.node}-${process.arch}`;
    assert.equal(cacheDir({ XDG_CACHE_HOME: '/x', HOME: '/h' }, '1.0-abc'), `/x/flux-deps/code/1.0-abc-${node}`);
    assert.equal(cacheDir({ HOME: '/h' }, '1.0 a:b'), `/h/.cache/flux-deps/code/1.0_a_b-${node}`);
    assert.equal(cacheDir({ HOME: '/h', NODE_DISABLE_COMPILE_CACHE: '1' }, 's'), undefined);
    assert.equal(cacheDir({}, 's'), undefined);
  });

  describe('the built program', () => {
    before(() => assert.ok(existsSync('dist/program.cjs'), 'run `make build` first'));

    it("a command's first run writes its cache; the next run gives the same answer and leaves the cache as it was", () => {
      const home = mkdtempSync(join(tmpdir(), 'flux-deps-cache-'));
      const first = run({ XDG_CACHE_HOME: home });
      assert.equal(first.status, 0, first.stderr);
      assert.match(first.stdout, /◀ root cause/);
      const file = cacheFile(home, 'tree');
      const made = readFileSync(file);
      assert.ok(made.length > 10_000, `a cache of what the run compiled (${made.length} bytes)`);
      assert.equal(statSync(file).mode & 0o777, 0o600);
      const mtime = statSync(file).mtimeMs;
      const second = run({ XDG_CACHE_HOME: home });
      assert.deepEqual([second.status, second.stdout, second.stderr], [first.status, first.stdout, first.stderr]);
      // V8 accepted it: a cache it rejects is rewritten at exit.
      assert.deepEqual(readFileSync(file), made);
      assert.equal(statSync(file).mtimeMs, mtime);
      assert.equal(existsSync(cacheFile(home, 'why-blocked')), false, 'only the commands that ran');
    });

    it('a library beside the program is read only by a run that uses it, through a cache of its own', () => {
      const home = mkdtempSync(join(tmpdir(), 'flux-deps-cache-'));
      assert.equal(run({ XDG_CACHE_HOME: home }).status, 0);
      const dir = join(home, 'flux-deps', 'code', builds(home)[0] as string);
      assert.deepEqual(readdirSync(dir), ['tree.v8']);
      const yaml = run({ XDG_CACHE_HOME: home }, ['tree', '--from', example, '-o', 'yaml']);
      assert.equal(yaml.status, 0, yaml.stderr);
      assert.match(yaml.stdout, /^nodes:\n- id: Kustomization\//);
      assert.deepEqual(readdirSync(dir).sort(), ['tree.v8', 'tree.yaml.v8']);
      // The same answer from the cache the first run made.
      assert.equal(run({ XDG_CACHE_HOME: home }, ['tree', '--from', example, '-o', 'yaml']).stdout, yaml.stdout);
    });

    it('a damaged cache is rewritten, and the answer does not change', () => {
      const home = mkdtempSync(join(tmpdir(), 'flux-deps-cache-'));
      const first = run({ XDG_CACHE_HOME: home });
      const file = cacheFile(home, 'tree');
      const garbage = Buffer.alloc(readFileSync(file).length, 7);
      writeFileSync(file, garbage);
      const second = run({ XDG_CACHE_HOME: home });
      assert.deepEqual([second.status, second.stdout, second.stderr], [first.status, first.stdout, first.stderr]);
      assert.notDeepEqual(readFileSync(file), garbage);
    });

    it('a cache that cannot be written costs nothing else: the same answer and nothing on stderr', () => {
      const home = mkdtempSync(join(tmpdir(), 'flux-deps-cache-'));
      const notADirectory = join(home, 'file');
      writeFileSync(notADirectory, '');
      const r = run({ XDG_CACHE_HOME: notADirectory });
      assert.equal(r.status, 0);
      assert.match(r.stdout, /◀ root cause/);
      assert.equal(r.stderr, '');
    });

    it('NODE_DISABLE_COMPILE_CACHE writes none', () => {
      const home = mkdtempSync(join(tmpdir(), 'flux-deps-cache-'));
      assert.equal(run({ XDG_CACHE_HOME: home, NODE_DISABLE_COMPILE_CACHE: '1' }).status, 0);
      assert.equal(existsSync(join(home, 'flux-deps')), false);
    });

    it("other builds' caches go once untouched for a day; a recent one stays", () => {
      const home = mkdtempSync(join(tmpdir(), 'flux-deps-cache-'));
      const code = join(home, 'flux-deps', 'code');
      const old = join(code, '0.0.1-old');
      const recent = join(code, '0.0.2-recent');
      mkdirSync(old, { recursive: true });
      mkdirSync(recent);
      const twoDaysAgo = new Date(Date.now() - 2 * 24 * 3600 * 1000);
      utimesSync(old, twoDaysAgo, twoDaysAgo);
      assert.equal(run({ XDG_CACHE_HOME: home }).status, 0);
      assert.equal(existsSync(old), false);
      assert.equal(existsSync(recent), true);
      assert.equal(readdirSync(code).length, 2, 'the recent one and this build');
    });
  });
});
