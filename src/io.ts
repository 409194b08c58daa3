import { fstatSync, readFileSync, statSync, writeSync } from 'node:fs';

// What a command may touch of the outside world, passed in so tests can give their own (STYLE.md, point 16).

export interface IO {
  /** Data: what scripts read. */
  out(text: string): void;
  /** Progress, warnings and errors: what people read. */
  err(text: string): void;
  stdoutIsTTY: boolean;
  /** The terminal's width in columns, when stdout is a terminal that says. */
  columns?: number;
  stderrIsTTY: boolean;
  env: NodeJS.ProcessEnv;
  now(): Date;
  /** The name the program was started as, to tell `kubectl flux-deps` from `flux-deps`. */
  argv0: string;
  /** All of standard input (for `--from -`), as bytes that read/files.ts decodes (tests may give text). */
  readStdin(): string | Uint8Array;
  /** A signal aborted by Ctrl-C (SIGINT), for commands that wait; asking for it takes over SIGINT. */
  interrupted(): AbortSignal;
  /** One line saying what the run found, for the table of a run across contexts (fleet/run.ts); absent otherwise. */
  summary?(line: string): void;
}

/** The real process's IO. */
export function processIO(): IO {
  const stdoutIsTTY = isTerminal(1);
  const stderrIsTTY = isTerminal(2);
  if (stderrIsTTY) {
    // A reader that went away is no error of ours: what it did not take is simply not written.
    process.stderr.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') throw err;
    });
  }
  return {
    out: stdoutIsTTY ? (text) => void process.stdout.write(text) : blockingWriter(1),
    // Not a terminal: written as stdout is, so a run that says nothing there never builds Node's stream for it.
    err: stderrIsTTY ? (text) => void process.stderr.write(text) : blockingWriter(2),
    stdoutIsTTY,
    ...(stdoutIsTTY && process.stdout.columns ? { columns: process.stdout.columns } : {}),
    stderrIsTTY,
    env: process.env,
    now: () => new Date(),
    readStdin: () => readFileSync(0),
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
 * Whether a descriptor is a terminal, asked once each. A pipe, a file, a socket or /dev/null is none, known from
 * fstat alone: Node's terminal module (and with it net and streams, ~3 ms of a start) loads only for a device that
 * may be one. This is what CI and scripts meet: output into pipes and files.
 */
const terminals = new Map<number, boolean>();
export function isTerminal(fd: number): boolean {
  let known = terminals.get(fd);
  if (known === undefined) {
    known = maybeTerminal(fd) && process.getBuiltinModule('node:tty').isatty(fd);
    terminals.set(fd, known);
  }
  return known;
}

function maybeTerminal(fd: number): boolean {
  try {
    const stat = fstatSync(fd);
    return stat.isCharacterDevice() && stat.rdev !== statSync('/dev/null').rdev;
  } catch {
    return false;
  }
}

/**
 * Data into a pipe or a file, written as a Go program writes it: each write blocks until the reader has taken
 * it. Node's own stdout queues pipe writes in memory instead (a 20 MB `-o json` into a pipe peaked 115 MB
 * higher) and drops the queue at exit. A reader that went away (`| head`) ends the output quietly.
 */
function blockingWriter(fd: number): (text: string) => void {
  let closed = false;
  return (text) => {
    const bytes = Buffer.from(text);
    for (let done = 0; done < bytes.length && !closed; ) {
      try {
        done += writeSync(fd, bytes, done);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EPIPE') closed = true;
        // A non-blocking descriptor (whoever started us chose it) that is full: wait a moment and go on.
        else if (code === 'EAGAIN') Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
        else throw err;
      }
    }
  };
}

/**
 * Resolves once stdout and stderr have taken everything written to them. process.exit drops what a stream has
 * queued: a terminal's or stderr's (data into pipes and files is written before out() returns).
 */
export function written(): Promise<void> {
  const flushed = (stream: NodeJS.WriteStream) => new Promise<void>((resolve) => stream.write('', () => resolve()));
  const streams = [1, 2].filter(isTerminal).map((fd) => (fd === 1 ? process.stdout : process.stderr));
  return Promise.all(streams.map(flushed)).then(() => undefined);
}

/** On a terminal, its width: tables and the tree cut messages to fit it. In a pipe nothing is cut. */
export function terminalWidth(io: IO): { width?: number } {
  return io.stdoutIsTTY && io.columns ? { width: io.columns } : {};
}
