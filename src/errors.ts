// Typed errors, each carrying the exit code of CONTRACT.md. Only main.ts turns them into an exit;
// cli.ts turns any other exception into one line, never a stack trace.

export const ExitCode = {
  ok: 0,
  no: 1, // the answer is "no": blocked, not ready, failed
  usage: 2,
  notFound: 3,
  cluster: 4,
  timeout: 5,
  interrupted: 130,
  internal: 70, // a bug of ours, not the user's mistake: sysexits.h EX_SOFTWARE
} as const;

/** Where to report an internal error. */
export const issuesURL = 'https://github.com/flux-deps/flux-deps/issues';

export class FluxDepsError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode: number) {
    super(message);
    this.name = new.target.name;
    this.exitCode = exitCode;
  }
}

/** Bad flags, bad arguments, unreadable --from input. */
export class UsageError extends FluxDepsError {
  constructor(message: string) {
    super(message, ExitCode.usage);
  }
}

/** The object the user named does not exist. */
export class NotFoundError extends FluxDepsError {
  constructor(message: string) {
    super(message, ExitCode.notFound);
  }
}

/** The cluster could not be reached, or refused us (unauthenticated, forbidden on the named object). */
export class ClusterError extends FluxDepsError {
  constructor(message: string) {
    super(message, ExitCode.cluster);
  }
}

/** The exit code and one-line message for anything thrown by a command. */
export function describeError(err: unknown): { exitCode: number; message: string } {
  if (err instanceof FluxDepsError) return { exitCode: err.exitCode, message: err.message };
  const message = err instanceof Error ? err.message : String(err);
  // An unexpected exception is a bug; say so in one line rather than dumping a stack on the user.
  return {
    exitCode: ExitCode.internal,
    message: `internal error: ${firstLine(message)}; this is a bug in flux-deps: please report it at ${issuesURL} with the command and the output of FLUX_DEPS_DEBUG=1`,
  };
}

/** A message as the one line the CLI prints: line breaks inside it folded into spaces. */
export function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, ' ').trim();
}

function firstLine(s: string): string {
  return s.split('\n', 1)[0] ?? '';
}
