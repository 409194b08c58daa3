// make bench, part two: `tree -A -o json` on a seeded cluster against `flux get ks -A` and kubectl's LIST of both
// kinds, in the same run, as ratios with peak memory; then how --from scales to 5,000 Kustomizations with
// 100,000 inventory entries. Runs inside testenv/with-cluster.sh (a fresh base cluster of its own).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Api } from '../src/cluster/http.ts';
import { resolveConnection } from '../src/cluster/kubeconfig.ts';
import { AT, kustomizations } from './bench-objects.ts';
import { inRounds, median } from './bench-rounds.ts';
import type { KubeObject } from '../src/model/objects.ts';

const bin = process.env.FLUX_DEPS_TESTENV_BIN as string;
const kubeconfig = process.env.KUBECONFIG as string;
const runs = Number(process.env.BENCH_RUNS ?? 11);

function helmReleases(n: number): KubeObject[] {
  return Array.from({ length: n }, (_, i) => ({
    apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease',
    metadata: { name: `hr-${String(i).padStart(4, '0')}`, namespace: 'flux-system' },
    spec: { interval: '10m', chart: { spec: { chart: 'podinfo', sourceRef: { kind: 'HelmRepository', name: 'charts' } } }, ...(i % 10 ? { dependsOn: [{ name: `hr-${String(i - 1).padStart(4, '0')}` }] } : {}) },
    status: {
      observedGeneration: 1,
      conditions: [{ type: 'Ready', status: 'True', reason: 'InstallSucceeded', message: 'Helm install succeeded', lastTransitionTime: AT, observedGeneration: 1 }],
      history: [{ chartName: 'podinfo', chartVersion: '6.5.4', name: 'x', namespace: 'flux-system', version: 1, status: 'deployed', digest: 'sha256:0', firstDeployed: AT, lastDeployed: AT, configDigest: 'sha256:0' }],
    },
  }));
}

async function seed(objects: KubeObject[]): Promise<void> {
  const api = new Api(resolveConnection({}, process.env));
  const plural = (o: KubeObject) => `${(o.kind ?? '').toLowerCase()}s`;
  let next = 0;
  const worker = async () => {
    while (next < objects.length) {
      const o = objects[next++] as KubeObject;
      const path = `/apis/${o.apiVersion}/namespaces/${o.metadata?.namespace}/${plural(o)}`;
      const { status, ...rest } = o;
      const created = (await api.send('POST', path, rest)).body as KubeObject;
      await api.send('PUT', `${path}/${o.metadata?.name}/status`, { ...created, status });
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  api.close();
}

interface Measured {
  seconds: number;
  mib: number;
}

/** One run: wall seconds and peak RSS (MiB). */
function once(cmd: string, args: string[]): Measured {
  const start = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 30, env: { ...process.env, KUBECONFIG: kubeconfig } });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr.slice(-300)}`);
  return { seconds, mib: Number(r.stderr.trim().split('\n').pop()) / 1024 };
}

/** Median wall seconds and largest peak RSS of each command (bench-rounds.ts). */
function measure(commands: Array<[string, string[]]>): Measured[] {
  return inRounds(commands, runs, ([cmd, args]) => once(cmd, args)).map((ms) => ({
    seconds: median(ms.map((m) => m.seconds)),
    mib: Math.max(...ms.map((m) => m.mib)),
  }));
}

const row = (label: string, m: Measured, base?: number) =>
  console.log(`${label.padEnd(52)} ${m.seconds.toFixed(3).padStart(7)} s ${m.mib.toFixed(0).padStart(5)} MiB${base ? `  ${(m.seconds / base).toFixed(2)}x` : ''}`);

const started = Date.now();
await seed([...kustomizations(1000, 20), ...helmReleases(300)]);
if (process.env.BENCH_SEED_ONLY) process.exit(0); // leaves the seeded cluster for profiling
console.log(`\ntree on a cluster of 1,000 Kustomizations (20 inventory entries each) and 300 HelmReleases (seeded in ${((Date.now() - started) / 1000).toFixed(0)} s), median of ${runs}`);
const [flux, kubectl, tree, text] = measure([
  [`${bin}/flux`, ['get', 'ks', '-A']],
  [`${bin}/kubectl`, ['get', 'kustomizations,helmreleases', '-A', '-o', 'json']],
  ['bin/flux-deps', ['tree', '-A', '-o', 'json']],
  ['bin/flux-deps', ['tree', '-A']],
]) as [Measured, Measured, Measured, Measured];
row('flux get ks -A', flux);
row('kubectl get kustomizations,helmreleases -A -o json', kubectl);
row('flux-deps tree -A -o json', tree);
row('flux-deps tree -A', text);
const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');
console.log(`${verdict(tree.seconds <= flux.seconds)} tree -A -o json: ${(tree.seconds / flux.seconds).toFixed(2)}x flux get ks -A (target <= 1.0x)`);
console.log(`${verdict(tree.seconds <= 0.5 * kubectl.seconds)} tree -A -o json: ${(tree.seconds / kubectl.seconds).toFixed(2)}x kubectl (target <= 0.5x)`);

console.log('\n--from scaling (Kustomizations in chains of 20, 20 inventory entries each), tree -A -o json --inventory');
const dir = mkdtempSync(join(tmpdir(), 'flux-deps-bench-'));
let first: { n: number; seconds: number } | undefined;
for (const n of [1000, 2500, 5000]) {
  const file = join(dir, `${n}.json`);
  writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: kustomizations(n, 20) }));
  const [m] = measure([['bin/flux-deps', ['tree', '-A', '-o', 'json', '--inventory', '--from', file]]]) as [Measured];
  first ??= { n, seconds: m.seconds };
  row(`${n} Kustomizations, ${n * 20} inventory entries`, m);
  if (n === 5000) {
    console.log(`${verdict(m.mib <= 300)} peak memory ${m.mib.toFixed(0)} MiB (target <= 300 MiB)`);
    console.log(`time per Kustomization: ${((first.seconds / first.n) * 1e3).toFixed(3)} ms at ${first.n}, ${((m.seconds / n) * 1e3).toFixed(3)} ms at ${n} (linear: about equal)`);
  }
}
