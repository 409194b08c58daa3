// What a command declares to run across kubeconfig contexts (fleet/run.ts does the running). Types only.
import type { Args } from '../args.ts';

export interface FleetSpec {
  /** The answer each exit code gives, for the table's RESULT column: `{ 0: 'not blocked', 1: 'blocked' }`. */
  answers: Readonly<Record<number, string>>;
  /** Why these arguments cannot run across contexts (a usage error's message), if they cannot. */
  refuse?(args: Args): string | undefined;
  /** -o json is a stream of events (wait-for): streamed as they come, each with its context, not gathered. */
  streamsJson?: boolean;
}

/** One context's run, as the fleet runner collected it. */
export interface ContextResult {
  context: string;
  exitCode: number;
  /** All the command wrote on stdout: the single-context output (JSON with -o json/yaml). */
  stdout: string;
  /** The command's own one-line summary (IO.summary), when it got as far as an answer. */
  summary?: string;
  /** The one-line message of the error that ended the run: unreachable, not found, ... */
  error?: string;
  /** For a cluster access error, which one (ApiError.failure: unreachable, unauthorized, forbidden, ...). */
  failure?: string;
}
