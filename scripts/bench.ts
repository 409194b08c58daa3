// make bench: start-up of the built program against the Go CLIs beside it, measured in the same run and
// reported as ratios (absolute times depend on the machine; ratios to peers much less). Never run by tests.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { inRounds, median } from './bench-rounds.ts';
import { besideFiles } from './bundle-shims.ts';

const runs = Number(process.env.BENCH_RUNS ?? 21);
const testenvBin = execFileSync('bash', ['-c', '. testenv/lib.sh && echo "$TESTENV_BIN"'], { encoding: 'utf8' }).trim();

interface Case {
  label: string;
  cmd: string;
  args: string[];
  path?: string;
}

const peers: Case[] = [
  { label: 'flux --version', cmd: `${testenvBin}/flux`, args: ['--version'] },
  { label: 'kubectl version --client', cmd: `${testenvBin}/kubectl`, args: ['version', '--client'] },
];
const example = ['tree', '--from', 'examples/production.yaml'];
const ours: Case[] = [
  { label: 'flux-deps --version', cmd: 'bin/flux-deps', args: ['--version'] },
  { label: 'flux-deps --help', cmd: 'bin/flux-deps', args: ['--help'] },
  { label: 'flux-deps tree --from example', cmd: 'bin/flux-deps', args: example },
];
// The npm package as users install it: its executable is the bundle itself, run by the `node` on PATH.
const npm = mkdtempSync(join(tmpdir(), 'bench-npm-'));
execFileSync('npm', ['pack', '--pack-destination', npm, '--loglevel=error'], { stdio: 'ignore' });
const tarball = join(npm, readdirSync(npm).find((f) => f.endsWith('.tgz')) as string);
execFileSync('npm', ['install', '-g', '--prefix', npm, '--offline', '--no-audit', '--no-fund', '--loglevel=error', tarball], { stdio: 'ignore' });
const node24 = `${resolve('node_modules/node/bin')}:${process.env.PATH}`;
ours.push(
  { label: 'npm install --version', cmd: join(npm, 'bin', 'flux-deps'), args: ['--version'], path: node24 },
  { label: 'npm install tree --from', cmd: join(npm, 'bin', 'flux-deps'), args: example, path: node24 },
);
// The single executable, when `make dist` has built one for this machine.
const sea = `dist-release/flux-deps_${JSON.parse(readFileSync('package.json', 'utf8')).version}_linux_amd64.tar.gz`;
if (process.arch === 'x64' && existsSync(sea)) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-sea-'));
  execFileSync('tar', ['xzf', sea, '-C', dir]);
  ours.push(
    { label: 'single executable --version', cmd: join(dir, 'flux-deps'), args: ['--version'] },
    { label: 'single executable tree --from', cmd: join(dir, 'flux-deps'), args: example },
  );
}

/** One run's wall time in ms. */
function time(c: Case): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(c.cmd, c.args, { stdio: 'ignore', env: { ...process.env, KUBECONFIG: '/dev/null', PATH: c.path ?? process.env.PATH } });
  if (r.status !== 0) throw new Error(`${c.label} exited ${r.status}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const cases = [...peers, ...ours];
const results = new Map(inRounds(cases, runs, time).map((times, j) => [cases[j]?.label ?? '', median(times)]));
const flux = results.get('flux --version') ?? NaN;
const kubectl = results.get('kubectl version --client') ?? NaN;

console.log(`start-up, median of ${runs} runs (${new Date().toISOString()})`);
console.log(`${'command'.padEnd(32)} ${'ms'.padStart(7)} ${'x flux'.padStart(7)} ${'x kubectl'.padStart(9)}`);
for (const [label, ms] of results) {
  console.log(`${label.padEnd(32)} ${ms.toFixed(1).padStart(7)} ${(ms / flux).toFixed(2).padStart(7)} ${(ms / kubectl).toFixed(2).padStart(9)}`);
}
// What a start reads: the program, and beside it the libraries only some runs load (scripts/bundle-shims.ts).
const kB = (file: string) => `${(statSync(file).size / 1024).toFixed(0)} kB`;
console.log(`bundle: dist/program.cjs ${kB('dist/program.cjs')}; beside it ${besideFiles.map((f) => `${f} ${kB(`dist/${f}`)}`).join(', ')}`);
// Targets (issues 3 and 7): --version <= 1.0x flux --version; --help and tree --from the example <= 1.5x.
for (const c of ours) {
  const target = c.label.endsWith('--version') ? 1.0 : 1.5;
  const ratio = (results.get(c.label) ?? NaN) / flux;
  console.log(`${ratio <= target ? 'PASS' : 'MISS'} ${c.label}: ${ratio.toFixed(2)}x flux --version (target <= ${target}x)`);
}
