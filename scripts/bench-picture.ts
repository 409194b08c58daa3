// make bench, the picture: tree -o svg and -o html on 1,000 Kustomizations read from a file (no cluster), against
// the peer a user has without flux-deps' picture, `tree -o dot | dot -Tsvg` with Debian's native Graphviz, in the
// same rounds; and what the WebAssembly module costs: its size beside the program, and what loading it adds to
// the example's small graph (tree -o svg against -o dot). Never run by tests.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildTreeView } from '../src/model/tree-view.ts';
import { pictureDot } from '../src/render/picture-dot.ts';
import { pictureOf } from '../src/render/picture.ts';
import { AT, REV, kustomizations } from './bench-objects.ts';
import { inRounds, median } from './bench-rounds.ts';

const runs = Number(process.env.BENCH_RUNS ?? 11);

// 1,000 Kustomizations in chains of 20 as bench-tree.ts makes them; five chains blocked at their head (a failed
// health check, the rest of the chain waiting), so the page carries root causes and why-blocked explanations.
const objects = kustomizations(1000, 20);
objects.forEach((o, i) => {
  const head = Math.floor(i / 20) * 20;
  if (head % 200 !== 0) return;
  const [reason, message] = i === head
    ? ['HealthCheckFailed', "health check failed after 5m0s: timeout waiting for: [Deployment/apps/web status: 'InProgress']"]
    : ['DependencyNotReady', `dependency 'flux-system/ks-${String(i - 1).padStart(5, '0')}' is not ready`];
  (o.status as { conditions: unknown[] }).conditions = [{ type: 'Ready', status: 'False', reason, message, lastTransitionTime: AT, observedGeneration: 1 }];
});
// Their source, Ready at the revision they applied: the failed health checks are the root causes.
objects.push({
  apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', metadata: { name: 'flux-system', namespace: 'flux-system' },
  spec: { interval: '1m', url: 'ssh://git@example.com/fleet' },
  status: { artifact: { revision: REV, digest: 'sha256:0', lastUpdateTime: AT, path: 'x', url: 'x' }, conditions: [{ type: 'Ready', status: 'True', reason: 'Succeeded', message: `stored artifact for revision '${REV}'`, lastTransitionTime: AT }] },
});
const dir = mkdtempSync(join(tmpdir(), 'flux-deps-bench-picture-'));
const file = join(dir, '1000.json');
writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }));
// The DOT tree -o svg lays out, for native Graphviz to lay out too: how much of the time is WebAssembly's.
const now = new Date(AT);
const view = buildTreeView(objects, { namespace: 'flux-system', allNamespaces: true, direction: 'upstream', inventory: false }, now);
writeFileSync(join(dir, 'picture.dot'), pictureDot(pictureOf(view, now)));

interface Case {
  label: string;
  cmd: string;
  args: string[];
}
const tree = (...args: string[]) => ['tree', '-A', '--from', file, ...args];
const example = (...args: string[]) => ['tree', '--from', 'examples/production.yaml', ...args];
const cases: Case[] = [
  { label: 'tree -o dot | dot -Tsvg (native Graphviz)', cmd: 'sh', args: ['-c', `bin/flux-deps ${tree('-o', 'dot').join(' ')} | dot -Tsvg`] },
  { label: 'tree -o dot', cmd: 'bin/flux-deps', args: tree('-o', 'dot') },
  { label: "dot -Tsvg on tree -o svg's own DOT (native)", cmd: 'dot', args: ['-Tsvg', join(dir, 'picture.dot')] },
  { label: 'tree -o svg', cmd: 'bin/flux-deps', args: tree('-o', 'svg') },
  { label: 'tree -o html', cmd: 'bin/flux-deps', args: tree('-o', 'html') },
  { label: 'example: tree -o dot', cmd: 'bin/flux-deps', args: example('-o', 'dot') },
  { label: 'example: tree -o svg', cmd: 'bin/flux-deps', args: example('-o', 'svg') },
];

/** One run: wall ms, peak RSS (MiB), bytes written. */
function once(c: Case): { ms: number; mib: number; bytes: number } {
  const start = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', c.cmd, ...c.args], { encoding: 'utf8', maxBuffer: 1 << 30, env: { ...process.env, KUBECONFIG: '/dev/null' } });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${c.label} exited ${r.status}: ${r.stderr.slice(-300)}`);
  return { ms, mib: Number(r.stderr.trim().split('\n').pop()) / 1024, bytes: Buffer.byteLength(r.stdout) };
}

const results = inRounds(cases, runs, once);
const ms = (label: string) => median(results[cases.findIndex((c) => c.label === label)]?.map((r) => r.ms) ?? []);
const peer = ms('tree -o dot | dot -Tsvg (native Graphviz)');
console.log(`\nthe picture: 1,000 Kustomizations from a file (100 not ready, 5 root causes), median of ${runs} (${new Date().toISOString()})`);
console.log(`${'command'.padEnd(46)} ${'ms'.padStart(7)} ${'MiB'.padStart(5)} ${'output'.padStart(9)} ${'x native'.padStart(8)}`);
cases.forEach((c, j) => {
  const r = results[j] ?? [];
  const mib = Math.max(...r.map((x) => x.mib));
  const kb = `${((r[0]?.bytes ?? 0) / 1024).toFixed(0)} kB`;
  console.log(`${c.label.padEnd(46)} ${median(r.map((x) => x.ms)).toFixed(0).padStart(7)} ${mib.toFixed(0).padStart(5)} ${kb.padStart(9)} ${j < 5 ? (median(r.map((x) => x.ms)) / peer).toFixed(2).padStart(8) : ''}`);
});
const size = (f: string) => statSync(f).size;
const gz = (f: string) => gzipSync(readFileSync(f), { level: 9 }).length;
const kib = (n: number) => `${(n / 1024).toFixed(0)} KiB`;
console.log(`Graphviz (WebAssembly) beside the program: dist/graphviz.cjs ${kib(size('dist/graphviz.cjs'))} (${kib(gz('dist/graphviz.cjs'))} gzipped; dist/program.cjs ${kib(size('dist/program.cjs'))}), read only by -o svg|html`);
console.log(`loading it, on the example's 5 objects: tree -o svg ${ms('example: tree -o svg').toFixed(0)} ms, ${(ms('example: tree -o svg') - ms('example: tree -o dot')).toFixed(0)} ms more than -o dot`);
const svg = ms('tree -o svg');
console.log(`${svg <= 5000 ? 'PASS' : 'MISS'} tree -o svg on 1,000 Kustomizations: ${(svg / 1000).toFixed(2)} s (target: seconds, <= 5 s); ${(svg / peer).toFixed(2)}x tree -o dot | dot -Tsvg, ${(svg / ms("dot -Tsvg on tree -o svg's own DOT (native)")).toFixed(2)}x native dot on the same DOT`);
