// A second API server for tests across contexts (fleets): `testenv/up.sh base` into a state directory of its own
// beside the first cluster's (its own etcd, kube-apiserver, ports, CA and tokens), stopped by `testenv/down.sh` on
// that directory, which stops exactly the PIDs it recorded there. Tests can stop its API server alone first.
import * as k8s from '@kubernetes/client-node';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { testenv } from './testenv.ts';

export interface SecondCluster {
  dir: string;
  /** Its admin kubeconfig. */
  kubeconfig: string;
  kubeConfig(): k8s.KubeConfig;
  /** Stops its kube-apiserver only (SIGTERM to the recorded PID, then waits for it): the cluster is unreachable. */
  stopApiServer(): Promise<void>;
  /** Stops everything it started. */
  down(): Promise<void>;
}

const run = promisify(execFile);

/**
 * Starts the second cluster (warm: a few seconds; the binaries are the first cluster's). A test that changes
 * what the cluster serves (deletes a CRD) names a state directory of its own, so no other test sees the change.
 */
export async function startSecondCluster(name = 'second'): Promise<SecondCluster> {
  const dir = `${testenv().dir}-${name}`;
  const env = { ...process.env, TESTENV_DIR: dir };
  const down = async () => {
    await run('testenv/down.sh', [], { env });
  };
  try {
    await run('testenv/up.sh', ['base'], { env, timeout: 120_000 });
  } catch (err) {
    await down();
    throw new Error(`the second test cluster did not start: ${(err as { stderr?: string }).stderr ?? String(err)}`);
  }
  const kubeconfig = `${dir}/admin.kubeconfig`;
  return {
    dir,
    kubeconfig,
    kubeConfig: () => {
      const kc = new k8s.KubeConfig();
      kc.loadFromFile(kubeconfig);
      return kc;
    },
    stopApiServer: async () => {
      const pid = Number(readFileSync(`${dir}/pids/kube-apiserver.pid`, 'utf8').trim());
      process.kill(pid, 'SIGTERM');
      for (let i = 0; i < 200 && alive(pid); i++) await new Promise((r) => setTimeout(r, 50));
      if (alive(pid)) process.kill(pid, 'SIGKILL');
    },
    down,
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    // A child of up.sh's setsid whose parent is gone is reaped by init; a zombie still answers signal 0.
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}
