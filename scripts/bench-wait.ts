// make bench, part three: how soon a waiting command notices. The time from the status write that makes the
// object Ready to the command's exit, median of 20 trials, for wait-for, `kubectl wait` and `flux reconcile`
// (answered by a minimal stand-in that handles its annotation), all against the same API server.
import { spawn } from 'node:child_process';
import { Api } from '../src/cluster/http.ts';
import { resolveConnection } from '../src/cluster/kubeconfig.ts';

const bin = process.env.FLUX_DEPS_TESTENV_BIN as string;
const trials = Number(process.env.BENCH_TRIALS ?? 20);
const ns = 'flux-system';
const api = new Api(resolveConnection({}, process.env));
const ks = `/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/${ns}/kustomizations`;
const REV = 'main@sha1:1818d77d2d502ad9547bcc732a2b2c39d7e5eba5';
const at = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

await api.send('POST', `/apis/source.toolkit.fluxcd.io/v1/namespaces/${ns}/gitrepositories`, { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', metadata: { name: 'fleet' }, spec: { interval: '1m', url: 'https://example.com/x' } });
await api.send('PATCH', `/apis/source.toolkit.fluxcd.io/v1/namespaces/${ns}/gitrepositories/fleet/status`, { status: { observedGeneration: 1, artifact: { revision: REV, digest: 'sha256:0', lastUpdateTime: at(), path: 'x', url: 'http://x' }, conditions: [{ type: 'Ready', status: 'True', reason: 'Succeeded', message: 'ok', lastTransitionTime: at() }] } }, 'application/merge-patch+json');
await api.send('POST', ks, { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: 'infra' }, spec: { interval: '1m', path: './', prune: true, sourceRef: { kind: 'GitRepository', name: 'fleet' } } });

const setReady = (ready: boolean, extra: Record<string, unknown> = {}) =>
  api.send('PATCH', `${ks}/infra/status`, {
    status: {
      observedGeneration: 1, lastAppliedRevision: REV, ...extra,
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', reason: ready ? 'ReconciliationSucceeded' : 'Progressing', message: 'x', lastTransitionTime: at() }],
    },
  }, 'application/merge-patch+json');

/** Starts the command, lets it settle into waiting, makes the object Ready, returns ms from that write to exit. */
async function trial(cmd: string, args: string[], makeReady: () => Promise<number>): Promise<number> {
  await setReady(false);
  const child = spawn(cmd, args, { stdio: 'ignore', env: process.env });
  const exited = new Promise<number>((resolve) => child.on('close', () => resolve(performance.now())));
  await new Promise((r) => setTimeout(r, 700)); // started and watching (or polling)
  const written = await makeReady();
  return (await exited) - written;
}

const readyNow = async () => {
  const t = performance.now();
  await setReady(true);
  return t;
};
// flux reconcile waits for its own request to be handled: answer it as kustomize-controller would, at once.
const answerFlux = async () => {
  for (;;) {
    const obj = (await api.get(`${ks}/infra`)).body as { metadata: { annotations?: Record<string, string> }; status?: { lastHandledReconcileAt?: string } };
    const token = obj.metadata.annotations?.['reconcile.fluxcd.io/requestedAt'];
    if (token && token !== obj.status?.lastHandledReconcileAt) {
      const t = performance.now();
      await setReady(true, { lastHandledReconcileAt: token });
      return t;
    }
    await new Promise((r) => setTimeout(r, 10));
  }
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const results: Array<[string, number]> = [];
for (const [label, cmd, args, ready] of [
  ['flux-deps wait-for', 'bin/flux-deps', ['wait-for', 'infra', '--timeout', '30s'], readyNow],
  ['kubectl wait --for=condition=Ready', `${bin}/kubectl`, ['wait', '-n', ns, '--for=condition=Ready', 'kustomization/infra', '--timeout=30s'], readyNow],
  ['flux reconcile ks', `${bin}/flux`, ['reconcile', 'ks', 'infra', '--timeout', '30s'], answerFlux],
] as const) {
  const times: number[] = [];
  for (let i = 0; i < trials; i++) times.push(await trial(cmd, [...args], ready));
  results.push([label, median(times)]);
}
console.log(`\nfrom the status write that makes the object Ready to the command's exit, median of ${trials}`);
for (const [label, ms] of results) console.log(`${label.padEnd(40)} ${ms.toFixed(0).padStart(6)} ms`);
const ours = results[0]?.[1] ?? NaN;
const flux = results[2]?.[1] ?? NaN;
console.log(`${ours <= 100 ? 'PASS' : 'MISS'} wait-for ${ours.toFixed(0)} ms (target <= 100 ms)`);
console.log(`${ours <= 0.1 * flux ? 'PASS' : 'MISS'} wait-for ${(ours / flux).toFixed(3)}x flux reconcile (target <= 0.1x)`);
api.close();
