// The built program as a child process against the test cluster, for what only a real process shows:
// waiting while the test changes the cluster, signals, exit codes.
import { spawn } from 'node:child_process';
import { testenv, type User } from './testenv.ts';

export interface Running {
  /** Resolves when the process exits. */
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; ms: number }>;
  stderrSoFar(): string;
  stdoutSoFar(): string;
  kill(signal: NodeJS.Signals): void;
  /** The program's own (bin/flux-deps execs Node). */
  pid: number;
}

export function start(args: string[], user: User = 'admin'): Running {
  const started = Date.now();
  const child = spawn('bin/flux-deps', args, { env: { ...process.env, KUBECONFIG: testenv().kubeconfig(user), NO_COLOR: '1' } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; ms: number }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, ms: Date.now() - started })),
  );
  return { done, stderrSoFar: () => stderr, stdoutSoFar: () => stdout, kill: (s) => child.kill(s), pid: child.pid as number };
}

/** Until the process has printed something matching `pattern` on stderr (or stdout) (it is watching), or 15 s. */
export async function waitForOutput(p: Running, pattern: RegExp, stream: 'stderr' | 'stdout' = 'stderr'): Promise<void> {
  const deadline = Date.now() + 15_000;
  const text = () => (stream === 'stderr' ? p.stderrSoFar() : p.stdoutSoFar());
  while (!pattern.test(text())) {
    if (Date.now() > deadline) {
      p.kill('SIGKILL');
      throw new Error(`no ${pattern} in: ${text()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
