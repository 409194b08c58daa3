// The command line: every command registered explicitly, argv parsed, the command run, any error turned into
// one line on stderr and its exit code. run() returns the code; main.ts is what exits.
import { parseCommandLine, type Args, type Command } from './args.ts';
import { completeWords, completionCommand } from './commands/completion.ts';
import { lintCommand } from './commands/lint.ts';
import { mcpCommand } from './commands/mcp.ts';
import { reconcileCommand } from './commands/reconcile.ts';
import { snapshotCommand } from './commands/snapshot.ts';
import { timelineCommand } from './commands/timeline.ts';
import { treeCommand } from './commands/tree.ts';
import { waitForCommand } from './commands/wait-for.ts';
import { whyBlockedCommand } from './commands/why-blocked.ts';
import { describeError, ExitCode, oneLine } from './errors.ts';
import { asksForFleet } from './fleet/plan.ts';
import { processIO, written, type IO } from './io.ts';
import { globalFlags } from './options.ts';
import { versionLine } from './version.ts';

const about = 'the Flux dependsOn graph with live status, and why a rollout is blocked';

/** The program on the real process (main.ts and sea.ts): its exit code, once stdout and stderr have all it wrote. */
export async function runProcess(argv: string[]): Promise<number> {
  const code = await run(argv, processIO());
  await written();
  return code;
}

/** Runs the program on argv (without node and script) and returns its exit code. */
export async function run(argv: string[], io: IO): Promise<number> {
  const name = programName(io.argv0);
  const commands = commandsFor(io);
  try {
    // Cobra's completion protocol: the words are not ours to validate, they are half typed.
    if (argv[0] === '__complete' || argv[0] === '__completeNoDesc') return await completeWords(argv.slice(1), commands, globalFlags(io.env), io);
    const parsed = parseCommandLine(argv, name, globalFlags(io.env), commands, about, io.columns);
    if (parsed.kind === 'help') {
      io.out(parsed.text);
      return ExitCode.ok;
    }
    if (parsed.kind === 'version') {
      io.out(versionLine() + '\n');
      return ExitCode.ok;
    }
    return await runCommand(parsed.command, parsed.args, io);
  } catch (err) {
    const { exitCode, message } = describeError(err);
    io.err(`✗ ${oneLine(message)}${exitCode === ExitCode.usage ? `; see '${name} --help'` : ''}\n`);
    if (io.env.FLUX_DEPS_DEBUG && err instanceof Error && err.stack) io.err(err.stack + '\n');
    return exitCode;
  }
}

/** Runs a command on its parsed arguments: on one context, or on several (fleet/run.ts) when they ask for it. */
export async function runCommand(command: Command, args: Args, io: IO): Promise<number> {
  if (asksForFleet(args.context, args['all-contexts'])) {
    const { runFleet } = await import('./fleet/run.ts');
    return runFleet(args, command, (cio) => commandsFor(cio).find((c) => c.name === command.name) as Command, io);
  }
  return command.run(command.options(args));
}

/** Every command, in the order --help lists them. */
export function commandsFor(io: IO): Command[] {
  return [treeCommand(io), whyBlockedCommand(io), timelineCommand(io), waitForCommand(io), reconcileCommand(io), snapshotCommand(io), lintCommand(io), mcpCommand(io, { commandsFor, runCommand }), completionCommand(io)];
}

/** How the user called us: kubectl runs the kubectl-flux_deps executable as `kubectl flux-deps`. */
export function programName(argv0: string): string {
  const base = argv0.split(/[\\/]/).pop() ?? '';
  return base.startsWith('kubectl-') || base.startsWith('kubectl_') ? 'kubectl flux-deps' : 'flux-deps';
}
