// The command line, declared once (commands, positionals, typed flags with kubectl's names, short names, defaults,
// choices, groups, examples) and parsed by yargs; the same declarations drive completion (completion.ts) and the
// typed options each command makes (FlagValues). The bundle gives yargs a platform of its own that loads only what
// parsing needs (scripts/shims/yargs-platform.mjs): start-up is a feature of a kubectl plugin.
import yargs, { type Argv } from 'yargs';
import { inKubectlWords } from './args-words.ts';
import { UsageError } from './errors.ts';
import type { FleetSpec } from './fleet/spec.ts';

export interface Flag {
  name: string;
  short?: string;
  type: 'string' | 'boolean' | 'number' | 'strings';
  describe: string;
  default?: string | boolean | number;
  choices?: readonly string[];
  /** Shown under this heading in help; flags without one are the command's own. */
  group?: string;
}

export interface Positional {
  name: string;
  describe: string;
  required: boolean;
}

/** A command: its flags and help, the typed value its arguments make (`options`), and what runs on it. */
export interface Command<O = unknown> {
  name: string;
  describe: string;
  positionals: Positional[];
  /** The last positional takes every remaining argument, as a list. */
  variadic?: boolean;
  flags: readonly Flag[];
  examples: Array<[string, string]>;
  /** The command's one typed value; throws UsageError for values that are wrong together or beyond their type. */
  options(args: Args): O;
  run(options: O): Promise<number>;
  /** Set when the command runs across kubeconfig contexts (--context a,b,c, --all-contexts): fleet/run.ts. */
  fleet?: FleetSpec;
}

/** Parsed values by flag name (long form), plus positionals by name. */
export type Args = Record<string, string | boolean | number | string[] | undefined>;

// A flag's value type, from its definition: what the parser guarantees (types, choices, defaults).
type FlagValue<F> = F extends { type: 'boolean' } ? boolean
  : F extends { type: 'number' } ? number
  : F extends { type: 'strings' } ? string[] | undefined
  : F extends { choices: readonly (infer C)[] } ? C
  : string;
type Always<F> = F extends { default: unknown } | { type: 'boolean' } ? true : false;

/** The values of a list of flags, typed by their definitions (`as const`): a default or a boolean is always set. */
export type FlagValues<Fs extends readonly Flag[]> = {
  [F in Fs[number] as F['name']]: Always<F> extends true ? FlagValue<F> : FlagValue<F> | undefined;
};

/** The parsed values of these flags, typed: the one place their types are asserted, after the parser checked them. */
export function flagValues<const Fs extends readonly Flag[]>(flags: Fs, args: Args): FlagValues<Fs> {
  return Object.fromEntries(flags.map((f) => [f.name, f.type === 'boolean' ? args[f.name] === true : args[f.name]])) as FlagValues<Fs>;
}

/** A positional argument's value (undefined when optional and absent). */
export function positional(args: Args, name: string): string | undefined {
  const v = args[name];
  return typeof v === 'string' ? v : undefined;
}

/** The variadic positional's values. */
export function positionalList(args: Args, name: string): string[] {
  const v = args[name];
  return Array.isArray(v) ? v : [];
}

export type Parsed = { kind: 'help'; text: string } | { kind: 'version' } | { kind: 'run'; command: Command; args: Args };

/**
 * What argv asks for; throws UsageError for anything a user could have mistyped. yargs parses, validates (strict:
 * unknown flags and commands, choices, required arguments, with "did you mean") and renders help, only on --help;
 * its messages are put in kubectl's words here. Commands are registered without handlers: the caller runs them.
 */
export function parseCommandLine(argv: string[], program: string, globals: Flag[], commands: Command[], about: string, width?: number): Parsed {
  if (argv.length === 1 && argv[0] === '--version') return { kind: 'version' };
  if (argv.length === 0) return parseCommandLine(['--help'], program, globals, commands, about, width);
  const input = negativeValues(argv, [...globals, ...commands.flatMap((c) => c.flags)]);
  let help = '';
  const y = yargs(input)
    .scriptName(program)
    .usage(`${program}: ${about}\n\nUsage: $0 <command> [flags]`)
    .parserConfiguration({ 'camel-case-expansion': false, 'dot-notation': false, 'parse-numbers': false, 'parse-positional-numbers': false, 'duplicate-arguments-array': true, 'greedy-arrays': false, 'strip-aliased': true })
    .exitProcess(false)
    .version(false)
    .help('help', 'Help for this command')
    .alias('help', 'h')
    .strict()
    .recommendCommands()
    .wrap(Math.min(120, width ?? 100))
    .epilogue(exitCodes);
  addFlags(y, globals);
  y.group(['help'], 'Flags:');
  for (const c of commands) {
    y.command(commandSpec(c), c.describe, (b) => {
      b.usage(`${c.describe}\n\nUsage: $0 ${usageWords(c)} [flags]`);
      addFlags(b, c.flags, 'Flags');
      b.group(['help'], 'Flags:');
      for (const p of c.positionals) b.positional(p.name, { describe: p.describe, type: 'string' });
      for (const [cmd, what] of c.examples) b.example(cmd, what);
      return b.epilogue(exitCodes);
    });
  }
  let failure: Error | undefined;
  const values = y.parse(input, {}, (err, _argv, output) => {
    failure = err ?? undefined;
    help = output;
  }) as Record<string, unknown> & { _: Array<string | number> };
  const name = String(values._[0] ?? '');
  const command = commands.find((c) => c.name === name);
  if (failure) throw new UsageError(inKubectlWords(failure.message, input, command, [...(command?.flags ?? []), ...globals], commands.map((c) => c.name)));
  if (help || !command) return { kind: 'help', text: help ? help + '\n' : '' };

  const args: Args = {};
  for (const f of [...command.flags, ...globals]) {
    const value = values[f.name];
    args[f.name] = value === undefined ? f.default : convert(f, value as string | boolean | string[]);
  }
  for (const p of command.positionals) {
    const v = values[p.name];
    args[p.name] = command.variadic && p === command.positionals[command.positionals.length - 1] ? (Array.isArray(v) ? v.map(String) : []) : v === undefined ? undefined : String(v);
  }
  return { kind: 'run', command, args };
}

function usageWords(c: Command): string {
  const word = (p: Positional, last: boolean) => `${p.name.toUpperCase()}${c.variadic && last ? '...' : ''}`;
  return [c.name, ...c.positionals.map((p, i) => (p.required ? word(p, i === c.positionals.length - 1) : `[${word(p, i === c.positionals.length - 1)}]`))].join(' ');
}

function commandSpec(c: Command): string {
  const word = (p: Positional, last: boolean) => `${p.name}${c.variadic && last ? '..' : ''}`;
  return [c.name, ...c.positionals.map((p, i) => (p.required ? `<${word(p, i === c.positionals.length - 1)}>` : `[${word(p, i === c.positionals.length - 1)}]`))].join(' ');
}

// Numbers reach us as text (yargs would make "deep" NaN, losing what was typed): convert() checks them.
function addFlags(y: Argv, flags: readonly Flag[], heading?: string): void {
  for (const f of flags) {
    y.option(f.name, {
      describe: f.describe,
      type: f.type === 'boolean' ? 'boolean' : 'string',
      ...(f.short ? { alias: f.short } : {}),
      ...(f.choices ? { choices: [...f.choices] } : {}),
      ...(f.default !== undefined && f.type !== 'boolean' ? { default: f.default } : {}),
      ...(f.type !== 'boolean' ? { requiresArg: true } : {}),
    });
  }
  const groups = new Map<string, string[]>();
  for (const f of flags) {
    const g = f.group ?? heading;
    if (g) groups.set(g, [...(groups.get(g) ?? []), f.name]);
  }
  for (const [g, names] of groups) y.group(names, `${g}:`);
}

/**
 * `--timeout -5s` as `--timeout=-5s`: yargs reads a value that starts with a dash for flags (-5 -s, leaving
 * --timeout empty), so the value's own check could not say what is wrong with it. Only values that start like a
 * number (-1, -5s).
 */
function negativeValues(argv: string[], flags: Flag[]): string[] {
  const takesValue = new Set(flags.filter((f) => f.type !== 'boolean').flatMap((f) => [`--${f.name}`, ...(f.short ? [`-${f.short}`] : [])]));
  const negatives = new Set(flags.filter((f) => f.type === 'boolean' && f.name.startsWith('no-')).map((f) => `--${f.name}`));
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const next = argv[i + 1];
    if (a === '--') return [...out, ...argv.slice(i)];
    // `--no-wait` names the flag `no-wait`: said as a value, so that the parser does not read it as "wait: false".
    if (negatives.has(a)) {
      out.push(`${a}=true`);
      continue;
    }
    if (takesValue.has(a) && next !== undefined && /^-\.?\d/.test(next)) {
      out.push(`${a.startsWith('--') ? a : `--${flags.find((f) => `-${f.short}` === a)?.name}`}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
}

function convert(f: Flag, given: string | boolean | string[]): Args[string] {
  // A list flag is a list even when given once; any other flag given twice keeps the last, as kubectl's do.
  if (f.type === 'strings') return (Array.isArray(given) ? given : [given]).map(String);
  const value = Array.isArray(given) ? (given[given.length - 1] ?? '') : given;
  if (f.type === 'number') {
    const n = Number(value);
    if (value === '' || !Number.isFinite(n)) throw new UsageError(`--${f.name} needs a number, not "${value}"`);
    return n;
  }
  if (f.choices && typeof value === 'string' && !f.choices.includes(value)) {
    throw new UsageError(`--${f.name} must be one of ${f.choices.join(', ')}, not "${value}"`);
  }
  return value;
}

const exitCodes = `Exit codes: 0 success, 1 the answer is no (blocked, not ready, failed), 2 usage error,
3 not found, 4 cluster access error, 5 timed out, 70 internal error (a bug: please report it), 130 interrupted.`;

