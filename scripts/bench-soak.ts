// make bench, part five: memory of a long wait. wait-for on 200 Kustomizations that never all become ready,
// while a writer changes their statuses continuously; its RSS is sampled each minute. SOAK_MINUTES (default 2;
// the target is a flat line over 60).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Api } from '../src/cluster/http.ts';
import { resolveConnection } from '../src/cluster/kubeconfig.ts';

const minutes = Number(process.env.SOAK_MINUTES ?? 2);
const api = new Api(resolveConnection({}, process.env));
const ks = '/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations';
const at = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
for (let i = 0; i < 200; i++) {
  await api.send('POST', ks, { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: `k${i}` }, spec: { interval: '10m', path: './', prune: true, sourceRef: { kind: 'GitRepository', name: 'fleet' } } });
}
const child = spawn('bin/flux-deps', ['wait-for', '--all', '--timeout', `${minutes + 1}m`], { stdio: 'ignore', env: process.env });
const rssMiB = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

let writes = 0;
const stop = Date.now() + minutes * 60_000;
const samples: string[] = [];
let nextSample = Date.now() + 5_000;
while (Date.now() < stop) {
  const i = writes % 200;
  // Statuses keep moving (never all Ready): the waiter re-judges 200 objects on every event.
  await api.send('PATCH', `${ks}/k${i}/status`, { status: { observedGeneration: 1, conditions: [{ type: 'Ready', status: 'Unknown', reason: 'Progressing', message: `step ${writes}`, lastTransitionTime: at() }] } }, 'application/merge-patch+json');
  writes++;
  if (Date.now() >= nextSample) {
    samples.push(`${((Date.now() - (stop - minutes * 60_000)) / 60_000).toFixed(1)} min: ${rssMiB().toFixed(0)} MiB`);
    nextSample += Math.min(60_000, (minutes * 60_000) / 6);
  }
  await new Promise((r) => setTimeout(r, 20));
}
const end = rssMiB();
child.kill('SIGINT');
api.close();
console.log(`\nwait-for on 200 Kustomizations for ${minutes} min, ${writes} status writes: RSS ${samples.join(', ')}, end ${end.toFixed(0)} MiB`);
