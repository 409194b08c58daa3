import { readFileSync } from 'node:fs';

// What a command may touch of the outside world, passed in so tests can give their own (STYLE.md, point 16).

export interface IO {
  /** Data: what scripts read. */
  out(text: string): void;
  /** Progress, warnings and errors: what people read. */
  err(text: string): void;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  env: NodeJS.ProcessEnv;
  now(): Date;
  /** The name the program was started as, to tell `kubectl flux-deps` from `flux-deps`. */
  argv0: string;
  /** All of standard input (for `--from -`). */
  readStdin(): string;
  /** A signal aborted by Ctrl-C (SIGINT), for commands that wait; asking for it takes over SIGINT. */
  interrupted(): AbortSignal;
}

/** The real process's IO. */
export function processIO(): IO {
  // A reader that went away (`| head`) is no error of ours: what it did not take is simply not written.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') throw err;
    });
  }
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    stdoutIsTTY: process.stdout.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
    env: process.env,
    now: () => new Date(),
    readStdin: () => readFileSync(0, 'utf8'),
    interrupted: () => {
      const controller = new AbortController();
      process.once('SIGINT', () => controller.abort());
      return controller.signal;
    },
    // The checkout's bin/ launchers say how they were called; an npm install's bin links keep their name.
    argv0: process.env.FLUX_DEPS_INVOKED_AS ?? process.argv[1] ?? 'flux-deps',
  };
}

/**
 * Resolves once stdout and stderr have taken everything written to them. process.exit drops what a pipe has not
 * taken yet: a large `-o json` into `| jq` kept only its first 64 kB.
 */
export function written(): Promise<void> {
  const flushed = (stream: NodeJS.WriteStream) => new Promise<void>((resolve) => stream.write('', () => resolve()));
  return Promise.all([flushed(process.stdout), flushed(process.stderr)]).then(() => undefined);
}
