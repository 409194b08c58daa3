// make bench, part five: start-up for an exec-plugin user (EKS, GKE, AKS and most SSO setups) beside a token
// user: `tree -A` through a kubeconfig whose user runs a small exec credential plugin (returning the same token,
// with an expiry, so the API server sees the same user), interleaved with the token user's. Target: <= 1.2x.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inRounds, median } from './bench-rounds.ts';

const dir = process.env.FLUX_DEPS_TESTENV_DIR as string;
const runs = Number(process.env.BENCH_RUNS ?? 21);
const tokenConfig = `${dir}/admin.kubeconfig`;
const token = /token: (\S+)/.exec(readFileSync(tokenConfig, 'utf8'))?.[1] ?? '';
const work = mkdtempSync(join(tmpdir(), 'bench-exec-'));
// A plugin as small as aws-iam-authenticator's answer: a shell script, so its own cost is a fork and exec.
const plugin = join(work, 'credential-plugin');
const expiry = new Date(Date.now() + 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z');
writeFileSync(plugin, `#!/bin/sh\necho '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"${token}","expirationTimestamp":"${expiry}"}}'\n`);
chmodSync(plugin, 0o755);
const execConfig = join(work, 'exec.kubeconfig');
writeFileSync(execConfig, readFileSync(tokenConfig, 'utf8').replace(/ {4}token: \S+/, `    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: ${plugin}\n      interactiveMode: Never`));

function once(kubeconfig: string): number {
  const start = process.hrtime.bigint();
  const r = spawnSync('bin/flux-deps', ['tree', '-A'], { stdio: 'ignore', env: { ...process.env, KUBECONFIG: kubeconfig } });
  if (r.status !== 0) throw new Error(`tree -A with ${kubeconfig} exited ${r.status}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const [tokenMs = NaN, execMs = NaN] = inRounds([tokenConfig, execConfig], runs, once).map(median);
console.log(`\ntree -A for a token user and an exec-plugin user, median of ${runs}`);
console.log(`${'token user'.padEnd(20)} ${tokenMs.toFixed(0).padStart(5)} ms`);
console.log(`${'exec-plugin user'.padEnd(20)} ${execMs.toFixed(0).padStart(5)} ms`);
console.log(`${execMs <= 1.2 * tokenMs ? 'PASS' : 'MISS'} exec-plugin user ${(execMs / tokenMs).toFixed(2)}x a token user (target <= 1.2x)`);
