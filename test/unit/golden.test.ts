// Whole commands through the real entry point (cli.run) on --from inputs, compared with golden files:
// fixed clock, TZ=UTC, NO_COLOR. UPDATE_GOLDEN=1 rewrites the files; review the diff before committing.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { run } from '../../src/cli.ts';
import { recordingIO } from '../support/io.ts';

import { cases, goldenClock } from '../golden/cases.ts';

describe('golden outputs', () => {
  for (const [command, list] of Object.entries(cases)) {
    describe(command, () => {
      for (const c of list) {
        it(`${c.name}: ${c.args.slice(1).join(' ')}`, async () => {
          const io = recordingIO({ env: { TZ: 'UTC', NO_COLOR: '1' }, now: () => goldenClock, ...(c.columns ? { stdoutIsTTY: true, columns: c.columns } : {}) });
          const code = await run(c.args, io);
          const actual = io.stdout + (io.stderr ? `--- stderr\n${io.stderr}` : '');
          const file = `test/golden/${command}/${c.name}.golden`;
          if (process.env.UPDATE_GOLDEN) writeFileSync(file, actual);
          assert.ok(existsSync(file), `${file} missing: run with UPDATE_GOLDEN=1`);
          assert.equal(actual, readFileSync(file, 'utf8'));
          assert.equal(code, c.exit ?? 0);
        });

      }
    });
  }

  // The bundle too (bin/flux-deps, from make build): bundling has broken what ran from source (a CommonJS
  // package behind a dynamic import lost its exports). It runs on the real clock, so the cases compared are those
  // whose output is the same on another day.
  it('the built executable prints the same for every case whose output does not depend on the clock', async function () {
    // One process per case (more since the bundled examples replay at their capture time): slow on a loaded machine
    // (45 s measured at a load average of 11, with ~110 cases): a generous bound, not a speed check.
    this.timeout(180_000);
    const compared: string[] = [];
    for (const [command, list] of Object.entries(cases)) {
      for (const c of list.filter((x) => !x.columns)) {
        const later = recordingIO({ env: { TZ: 'UTC', NO_COLOR: '1' }, now: () => new Date('2031-01-01T00:00:00Z') });
        await run(c.args, later);
        const golden = readFileSync(`test/golden/${command}/${c.name}.golden`, 'utf8');
        if (later.stdout + (later.stderr ? `--- stderr\n${later.stderr}` : '') !== golden) continue;
        const r = await promisify(execFile)('bin/flux-deps', c.args, { env: { PATH: '/usr/bin:/bin', TZ: 'UTC', NO_COLOR: '1' } }).then(
          ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
          (err: { code: number; stdout: string; stderr: string }) => err,
        );
        assert.equal(r.stdout + (r.stderr ? `--- stderr\n${r.stderr}` : ''), golden, `${command}/${c.name}`);
        assert.equal(r.code, c.exit ?? 0, `${command}/${c.name}`);
        compared.push(`${command}/${c.name}`);
      }
    }
    assert.ok(compared.length >= 20, `only ${compared.length} cases compared`);
    for (const must of ['tree/production-yaml', 'why-blocked/git-failing-yaml', 'snapshot/git-failing', 'why-blocked/ready-expr']) assert.ok(compared.includes(must), must);
  });

  // The README's first command: what it shows is what a new user sees (the examples replay at their capture time).
  for (const [shown, golden] of [
    ['bin/flux-deps tree --from examples/production.yaml', 'tree/production'],
    ['bin/flux-deps why-blocked production-frontend --from examples/production.yaml', 'why-blocked/production'],
    ['bin/flux-deps timeline -n rollout-10120e --from test/golden/timeline/real-rollout.yaml', 'timeline/real-rollout'],
    ['bin/flux-deps timeline --from examples/seed-chain.yaml', 'timeline/seed-chain'],
  ]) {
    it(`the README shows what ${shown.split(' --')[0]} prints`, () => {
      const readme = readFileSync('README.md', 'utf8');
      const start = readme.indexOf(`$ ${shown}\n`);
      assert.ok(start >= 0, `README.md shows no "$ ${shown}"`);
      const block = readme.slice(start + shown.length + 3, readme.indexOf('```', start));
      assert.equal(block, readFileSync(`test/golden/${golden}.golden`, 'utf8'));
    });
  }

  // Help as yargs renders it (at 100 columns, in a pipe), for the root and every command.
  for (const argv of [['--help'], ['tree', '--help'], ['why-blocked', '-h'], ['wait-for', '--help'], ['reconcile', '--help'], ['snapshot', '--help'], ['mcp', '--help'], ['completion', '--help']]) {
    it(`help: ${argv.join(' ')}`, async () => {
      const io = recordingIO({ env: { TZ: 'UTC', NO_COLOR: '1' } });
      assert.equal(await run(argv, io), 0);
      const file = `test/golden/help/${argv[0] === '--help' ? 'root' : argv[0]}.golden`;
      if (process.env.UPDATE_GOLDEN) writeFileSync(file, io.stdout);
      assert.equal(io.stdout, readFileSync(file, 'utf8'));
      assert.equal(io.stderr, '');
    });
  }
});
