// The command line: yargs setup and every command, registered explicitly. run() returns the exit code;
// main.ts is what exits. Heavy modules (client-node, the model) are imported by each command when it runs,
// so `--help` and `--version` stay as cheap as Node's own start-up.
import yargs from 'yargs/yargs';
import { snapshotCommand } from './commands/snapshot.ts';
import { treeCommand } from './commands/tree.ts';
import { whyBlockedCommand } from './commands/why-blocked.ts';
import { describeError, ExitCode, UsageError } from './errors.ts';
import type { IO } from './io.ts';
import { globalFlags } from './options.ts';
import { versionLine } from './version.ts';

const epilogue = `Exit codes: 0 success, 1 the answer is no (blocked, not ready, failed), 2 usage error,
3 not found, 4 cluster access error, 5 timed out, 130 interrupted.`;

/** Runs the program on argv (without node and script) and returns its exit code. */
export async function run(rawArgv: string[], io: IO): Promise<number> {
  const name = programName(io.argv0);
  const argv = joinDashValues(rawArgv);
  let exitCode: number = ExitCode.ok;
  const exit = (code: number) => {
    exitCode = code;
  };
  const parser = globalFlags(yargs(argv), io.env)
    .scriptName(name)
    .usage(`${name}: the Flux dependsOn graph with live status\n\nUsage: ${name} <command> [flags]`)
    .epilogue(epilogue)
    .version('version', 'Print version, commit and Node.js version', versionLine())
    .command(treeCommand(io, exit))
    .command(whyBlockedCommand(io, exit))
    .command(snapshotCommand(io, exit))
    .help('help')
    .alias('help', 'h')
    .strict()
    .wrap(Math.min(110, process.stdout.columns ?? 110))
    .exitProcess(false)
    .fail((message, err) => {
      throw err ?? new UsageError(usageMessage(message, argv));
    });

  try {
    let printed = '';
    // Bare, like kubectl and flux, it prints its help.
    await parser.parseAsync(argv.length ? argv : ['--help'], {}, (_err, _args, output) => {
      printed = output;
    });
    if (printed) io.out(printed.endsWith('\n') ? printed : printed + '\n');
  } catch (err) {
    const { exitCode: code, message } = describeError(err);
    io.err(`✗ ${oneLine(message)}${code === ExitCode.usage ? `; see '${name} --help'` : ''}\n`);
    if (io.env.FLUX_DEPS_DEBUG && err instanceof Error && err.stack) io.err(err.stack + '\n');
    exitCode = code;
  }
  return exitCode;
}

/** yargs reads a lone `-` after a flag as an empty value; `--from -` means standard input, so join them. */
function joinDashValues(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i + 1] === '-' && argv[i] === '--from') out.push(`--from=-`), i++;
    else out.push(argv[i] as string);
  }
  return out;
}

/** How the user called us: kubectl runs the kubectl-flux_deps executable as `kubectl flux-deps`. */
export function programName(argv0: string): string {
  const base = argv0.split(/[\\/]/).pop() ?? '';
  return base.startsWith('kubectl-') || base.startsWith('kubectl_') ? 'kubectl flux-deps' : 'flux-deps';
}

/** yargs says "Unknown argument: x" for flags and commands alike; say which, as kubectl does. */
export function usageMessage(message: string, argv: string[]): string {
  const unknown = /^Unknown arguments?: (.*)$/.exec(message);
  if (!unknown) return message;
  const names = (unknown[1] ?? '').split(', ');
  // yargs reads --no-x as x=false, so it reports the unknown flag --no-x as "x".
  const flagName = (a: string) => (a.startsWith('-') ? a.replace(/^-+/, '').split('=')[0] : undefined);
  const flag = names.map((n) => argv.find((a) => flagName(a) === n || flagName(a) === `no-${n}`)).find(Boolean);
  if (flag) return `unknown flag: ${flag.split('=')[0]}`;
  return `unknown command "${names[0]}"`;
}

function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, ' ').trim();
}
