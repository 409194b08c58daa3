// make bench, part four: why-blocked on a 6-level chain whose Kustomizations health-check 40 Deployments. Reports
// the API requests it made (from the audit log: LISTs per kind and namespace, not a GET per object) and its time
// beside one `kubectl get` of the same Deployments.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Api } from '../src/cluster/http.ts';
import { resolveConnection } from '../src/cluster/kubeconfig.ts';
import { inRounds, median } from './bench-rounds.ts';

const bin = process.env.FLUX_DEPS_TESTENV_BIN as string;
const dir = process.env.FLUX_DEPS_TESTENV_DIR as string;
const runs = Number(process.env.BENCH_RUNS ?? 21);
const api = new Api(resolveConnection({}, process.env));
const REV = 'main@sha1:1818d77d2d502ad9547bcc732a2b2c39d7e5eba5';
const at = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
const merge = 'application/merge-patch+json';

await api.send('POST', '/api/v1/namespaces', { metadata: { name: 'apps' } });
for (let i = 0; i < 40; i++) {
  await api.send('POST', '/apis/apps/v1/namespaces/apps/deployments', {
    metadata: { name: `svc-${i}` },
    spec: { replicas: 2, selector: { matchLabels: { app: `svc-${i}` } }, template: { metadata: { labels: { app: `svc-${i}` } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
  });
}
const src = '/apis/source.toolkit.fluxcd.io/v1/namespaces/flux-system/gitrepositories';
await api.send('POST', src, { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', metadata: { name: 'fleet' }, spec: { interval: '1m', url: 'https://example.com/x' } });
await api.send('PATCH', `${src}/fleet/status`, { status: { observedGeneration: 1, artifact: { revision: REV, digest: 'sha256:0', lastUpdateTime: at(), path: 'x', url: 'http://x' }, conditions: [{ type: 'Ready', status: 'True', reason: 'Succeeded', message: 'ok', lastTransitionTime: at() }] } }, merge);
const ks = '/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations';
for (let level = 0; level < 6; level++) {
  const checks = Array.from({ length: 40 }, (_, i) => i).filter((i) => i % 6 === level).map((i) => ({ apiVersion: 'apps/v1', kind: 'Deployment', name: `svc-${i}`, namespace: 'apps' }));
  await api.send('POST', ks, {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: `level-${level}` },
    spec: { interval: '10m', path: './', prune: true, sourceRef: { kind: 'GitRepository', name: 'fleet' }, healthChecks: checks, ...(level ? { dependsOn: [{ name: `level-${level - 1}` }] } : {}) },
  });
  const items = checks.map((c) => `Deployment/apps/${c.name} status: 'InProgress'`).join(', ');
  const ready = level === 0
    ? { type: 'Ready', status: 'False', reason: 'HealthCheckFailed', message: `health check failed after 5m0s: timeout waiting for: [${items}]` }
    : { type: 'Ready', status: 'False', reason: 'DependencyNotReady', message: `dependency 'flux-system/level-${level - 1}' is not ready` };
  await api.send('PATCH', `${ks}/level-${level}/status`, { status: { observedGeneration: 1, lastAppliedRevision: REV, conditions: [{ ...ready, observedGeneration: 1, lastTransitionTime: at() }] } }, merge);
}
api.close();

function once([cmd, args]: [string, string[]]): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { stdio: 'ignore', env: process.env });
  if (r.status !== 0 && r.status !== 1) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Median ms of each command (bench-rounds.ts). */
function medians(commands: Array<[string, string[]]>): number[] {
  return inRounds(commands, runs, once).map(median);
}

spawnSync('bin/flux-deps', ['why-blocked', 'level-5', '--as', 'bench-why', '--as-group', 'system:masters'], { stdio: 'ignore', env: process.env });
const requests = readFileSync(`${dir}/audit.log`, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l))
  .filter((e) => e.stage === 'ResponseComplete' && e.impersonatedUser?.username === 'bench-why');
// Beside it, for scale, one kubectl get of every kind why-blocked reads (one get cannot name two namespaces: -A).
const [why = NaN, kubectl = NaN, everything = NaN] = medians([
  ['bin/flux-deps', ['why-blocked', 'level-5']],
  [`${bin}/kubectl`, ['get', 'deployments', '-n', 'apps', '-o', 'json']],
  [`${bin}/kubectl`, ['get', 'kustomizations.kustomize.toolkit.fluxcd.io,gitrepositories,deployments,pods,events', '-A', '-o', 'json']],
]);
console.log(`\nwhy-blocked on a 6-level chain with 40 health-checked Deployments, median of ${runs}`);
console.log(`API requests: ${requests.length} (${[...new Set(requests.map((e) => `${e.verb} ${e.objectRef?.resource ?? e.requestURI}`))].join(', ')})`);
console.log(`${'flux-deps why-blocked level-5'.padEnd(44)} ${why.toFixed(0).padStart(5)} ms`);
console.log(`${'kubectl get deployments -n apps -o json'.padEnd(44)} ${kubectl.toFixed(0).padStart(5)} ms`);
console.log(`${'kubectl get ks,gitrepositories,deployments,pods,events -A -o json'.padEnd(44)} ${everything.toFixed(0).padStart(5)} ms (${(why / everything).toFixed(2)}x)`);
console.log(`${why <= 1.2 * kubectl ? 'PASS' : 'MISS'} why-blocked ${(why / kubectl).toFixed(2)}x one kubectl get of the same objects (target <= 1.2x)`);
console.log(`${requests.length <= 20 ? 'PASS' : 'MISS'} ${requests.length} requests, bounded by kinds and namespaces, not objects (a GET per object would be 47+)`);
