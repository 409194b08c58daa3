// Runs one command across several kubeconfig contexts in parallel (--context a,b,c, --all-contexts): the command's
// own options() and run() once per context, each on an IO of its own, so no command knows about fleets beyond its
// FleetSpec and one IO.summary line. A context's failure (unreachable, credentials refused, not found) is its row,
// never the end of the run. Loaded only for such a run.
import type { Args, Command } from '../args.ts';
import { describeError, UsageError } from '../errors.ts';
import { terminalWidth, type IO } from '../io.ts';
import { globalOptions } from '../options.ts';
import { contextEntry, fleetDocument, renderFleetText } from '../render/fleet-text.ts';
import { fleetContexts, worstExitCode } from './plan.ts';
import type { ContextResult, FleetSpec } from './spec.ts';

/** `make(io)` is the command on another IO (cli.ts's commandsFor). Returns the fleet's exit code. */
export async function runFleet(args: Args, command: Command, make: (io: IO) => Command, io: IO): Promise<number> {
  const given = typeof args.context === 'string' ? args.context : undefined;
  const { contextNames } = await import('../cluster/kubeconfig.ts');
  const global = { ...(typeof args.kubeconfig === 'string' ? { kubeconfig: args.kubeconfig } : {}) };
  const contexts = fleetContexts(given, args['all-contexts'] === true, contextNames(global, io.env));
  // One context whose name holds a comma: today's run, exactly.
  if (!contexts) return command.run(command.options(args));
  const spec = command.fleet;
  if (!spec) throw new UsageError(`${command.name} runs on one context: several (--context a,b) are for tree, why-blocked, lint and wait-for`);
  refuse(args, spec);
  const output = typeof args.output === 'string' ? args.output : 'text';
  // Each context prints JSON for a json or yaml document; the fleet writes the document.
  const inner: Args = { ...args, 'all-contexts': false, ...(output === 'yaml' ? { output: 'json' } : {}) };
  // Usage errors once, before any cluster is asked: the options are the same in every context but its name.
  command.options({ ...inner, context: contexts[0] });
  const stream = output === 'json' && spec.streamsJson === true;
  let signal: AbortSignal | undefined;
  const interrupted = () => (signal ??= io.interrupted());
  const results = await Promise.all(contexts.map((context) => runOne(context, inner, make, io, { stream, interrupted })));
  const exitCode = worstExitCode(results.map((r) => r.exitCode));
  if (stream) for (const r of results) io.out(JSON.stringify(contextEntry({ ...r, stdout: '' })) + '\n');
  else if (output === 'json') io.out(JSON.stringify(fleetDocument(results, exitCode), null, 2) + '\n');
  else if (output === 'yaml') io.out((await import('../render/yaml.ts')).toYaml(fleetDocument(results, exitCode)));
  else {
    // The shared options' colour rule (--no-color, NO_COLOR), on a terminal; command.options() above checked them.
    const color = globalOptions(inner, io).color && io.stdoutIsTTY;
    io.out(renderFleetText(results, spec.answers, { color }, terminalWidth(io)));
  }
  return exitCode;
}

/** Flags that name one cluster, or outputs that draw one, cannot apply to several. */
function refuse(args: Args, spec: FleetSpec): void {
  if (args.from !== undefined) throw new UsageError('--from reads files, not contexts: it cannot be used with several contexts');
  for (const flag of ['server', 'cluster']) if (args[flag] !== undefined) throw new UsageError(`--${flag} names one cluster: it cannot be used with several contexts`);
  const why = spec.refuse?.(args);
  if (why) throw new UsageError(why);
}

interface Shared {
  /** -o json lines (wait-for's events) written as they come, each with its context. */
  stream: boolean;
  /** One SIGINT handler for every context. */
  interrupted(): AbortSignal;
}

/** The command on one context; whatever it throws is its result, as cli.ts would have said it. */
async function runOne(context: string, args: Args, make: (io: IO) => Command, parent: IO, shared: Shared): Promise<ContextResult> {
  const cio = contextIO(parent, context, shared);
  const command = make(cio.io);
  const result: ContextResult = { context, exitCode: 0, stdout: '' };
  try {
    result.exitCode = await command.run(command.options({ ...args, context }));
  } catch (err) {
    const { exitCode, message } = describeError(err);
    Object.assign(result, { exitCode, error: message.replace(/\s*\n\s*/g, ' ').trim() });
    const failure = (err as { failure?: unknown }).failure;
    if (typeof failure === 'string') result.failure = failure;
    if (parent.env.FLUX_DEPS_DEBUG && err instanceof Error && err.stack) cio.io.err(err.stack + '\n');
  }
  cio.flush();
  result.stdout = cio.stdout();
  const summary = cio.summary();
  if (summary !== undefined) result.summary = summary;
  return result;
}

/**
 * A context's IO: stdout kept for the fleet's output (or, streaming, each JSON line passed on with its context);
 * stderr passed on at once, each line prefixed `[context] ` as `kubectl logs --prefix` does. No spinner: several
 * contexts share one terminal.
 */
function contextIO(parent: IO, context: string, shared: Shared) {
  let stdout = '';
  let pendingOut = '';
  let pendingErr = '';
  let summary: string | undefined;
  const prefix = `[${context}] `;
  const passOn = (line: string) => {
    if (!line) return;
    try {
      parent.out(JSON.stringify({ context, ...(JSON.parse(line) as object) }) + '\n');
    } catch {
      parent.out(line + '\n');
    }
  };
  const io: IO = {
    out: (text) => {
      if (!shared.stream) {
        stdout += text;
        return;
      }
      const lines = (pendingOut + text).split('\n');
      pendingOut = lines.pop() ?? '';
      lines.forEach(passOn);
    },
    err: (text) => {
      const lines = (pendingErr + text).split('\n');
      pendingErr = lines.pop() ?? '';
      if (lines.length) parent.err(lines.map((l) => (l ? prefix + l : prefix.trimEnd()) + '\n').join(''));
    },
    stdoutIsTTY: parent.stdoutIsTTY,
    ...(parent.columns !== undefined ? { columns: parent.columns } : {}),
    stderrIsTTY: false,
    env: parent.env,
    now: () => parent.now(),
    argv0: parent.argv0,
    readStdin: () => '',
    interrupted: shared.interrupted,
    summary: (line) => {
      summary = line;
    },
  };
  return {
    io,
    stdout: () => stdout,
    summary: () => summary,
    flush: () => {
      if (pendingErr) parent.err(prefix + pendingErr + '\n');
      if (pendingOut) passOn(pendingOut);
      pendingErr = pendingOut = '';
    },
  };
}
