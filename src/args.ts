// A small declarative command line on Node's own util.parseArgs: commands, positionals, typed flags with
// short names, defaults and choices, kubectl-style help. It replaced yargs, whose loading and help rendering
// alone cost 2.5x `flux --version` (make bench); start-up is a feature of a kubectl plugin.
import { parseArgs } from 'node:util';
import { UsageError } from './errors.ts';

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

/** What argv asks for; throws UsageError for anything a user could have mistyped. */
export function parseCommandLine(argv: string[], program: string, globals: Flag[], commands: Command[], about: string): Parsed {
  const first = commandIndex(argv, globals);
  const command = first >= 0 ? commands.find((c) => c.name === argv[first]) : undefined;
  const rest = command ? [...argv.slice(0, first), ...argv.slice(first + 1)] : argv;
  if (!command) {
    if (argv.includes('--version') && argv.length === 1) return { kind: 'version' };
    if (argv.length === 0 || argv.some((a) => a === '-h' || a === '--help')) return { kind: 'help', text: rootHelp(program, about, globals, commands) };
    if (first >= 0) {
      const near = closest(argv[first] as string, commands.map((c) => c.name));
      throw new UsageError(`unknown command "${argv[first]}"${near ? `; did you mean "${near}"?` : ''}`);
    }
  }
  const flags = [...(command?.flags ?? []), ...globals, { name: 'help', short: 'h', type: 'boolean' as const, describe: 'Help for this command' }];
  let parsed;
  try {
    parsed = parseArgs({
      args: negativeValues(rest, flags),
      strict: true,
      allowPositionals: true,
      allowNegative: true,
      options: Object.fromEntries(flags.map((f) => [f.name, {
        type: f.type === 'boolean' ? ('boolean' as const) : ('string' as const),
        multiple: f.type === 'strings',
        ...(f.short ? { short: f.short } : {}),
      }])),
    });
  } catch (err) {
    throw new UsageError(parseError(err as Error & { code?: string }, flags.map((f) => f.name)));
  }
  if (parsed.values.help || !command) return { kind: 'help', text: command ? commandHelp(program, command, globals) : rootHelp(program, about, globals, commands) };

  const args: Args = {};
  for (const f of flags) {
    // parseArgs reads `--no-wait` as the negation of a `wait` it does not have: it is the flag `no-wait` itself.
    const negated = f.name.startsWith('no-') && f.type === 'boolean' && (parsed.values as Record<string, unknown>)[f.name.slice(3)] === false;
    const value = negated ? true : parsed.values[f.name];
    args[f.name] = value === undefined ? f.default : convert(f, value as string | boolean | string[]);
  }
  const positionals = parsed.positionals;
  if (positionals.length > command.positionals.length && !command.variadic) throw new UsageError(`unexpected argument "${positionals[command.positionals.length]}"`);
  command.positionals.forEach((p, i) => {
    if (positionals[i] === undefined && p.required) throw new UsageError(`${command.name} needs ${p.name.toUpperCase()}`);
    const last = i === command.positionals.length - 1;
    args[p.name] = command.variadic && last ? positionals.slice(i) : positionals[i];
  });
  return { kind: 'run', command, args };
}

/**
 * `--depth -1` as `--depth=-1`: parseArgs takes a value that starts with a dash for a flag ("ambiguous"), so the
 * value's own check could not say what is wrong with it. Only values that start like a number (-1, -5s).
 */
function negativeValues(argv: string[], flags: Flag[]): string[] {
  const takesValue = new Set(flags.filter((f) => f.type !== 'boolean').flatMap((f) => [`--${f.name}`, ...(f.short ? [`-${f.short}`] : [])]));
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const next = argv[i + 1];
    if (a === '--') return [...out, ...argv.slice(i)];
    if (takesValue.has(a) && next !== undefined && /^-\.?\d/.test(next)) {
      out.push(`${a.startsWith('--') ? a : `--${flags.find((f) => `-${f.short}` === a)?.name}`}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
}

/** Where the command name is: the first word that is neither a flag nor a global flag's value (-n ns tree). */
function commandIndex(argv: string[], globals: Flag[]): number {
  const takesValue = new Set(globals.filter((f) => f.type !== 'boolean').flatMap((f) => [`--${f.name}`, ...(f.short ? [`-${f.short}`] : [])]));
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--') return -1;
    if (!a.startsWith('-') || a === '-') return i;
    if (takesValue.has(a)) i++;
  }
  return -1;
}

function convert(f: Flag, value: string | boolean | string[]): Args[string] {
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

/** parseArgs' messages, in kubectl's words. */
function parseError(err: Error & { code?: string }, names: string[]): string {
  const option = /'(-{1,2}[^' ]+)/.exec(err.message)?.[1];
  if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const near = option?.startsWith('--') ? closest(option.slice(2).split('=')[0] as string, names) : undefined;
    return `unknown flag: ${option ?? err.message}${near ? `; did you mean --${near}?` : ''}`;
  }
  if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const name = /--([\w-]+)/.exec(err.message)?.[1];
    return /argument missing/.test(err.message) ? `flag needs an argument: --${name}` : `invalid value for --${name}: ${err.message.split('\n')[0]}`;
  }
  return err.message.split('\n')[0] ?? 'invalid arguments';
}

/** The nearest name by edit distance, when close enough to be a typo (at most 2 edits, or a prefix of 3+). */
export function closest(word: string, names: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const n of names) {
    const d = n.startsWith(word) && word.length >= 3 ? 1 : distance(word, n);
    if (d < bestDistance) [best, bestDistance] = [n, d];
  }
  return best;
}

function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min((row[j] ?? 0) + 1, (next[j - 1] ?? 0) + 1, (row[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length] ?? 0;
}

const exitCodes = `Exit codes: 0 success, 1 the answer is no (blocked, not ready, failed), 2 usage error,
3 not found, 4 cluster access error, 5 timed out, 70 internal error (a bug: please report it), 130 interrupted.`;

function rootHelp(program: string, about: string, globals: Flag[], commands: Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length)) + 2;
  return [
    `${program}: ${about}`,
    '',
    `Usage: ${program} <command> [flags]`,
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}${c.describe}`),
    '',
    ...flagSections(globals),
    `Run '${program} <command> --help' for a command's flags and examples; '${program} --version' for the version.`,
    '',
    exitCodes,
    '',
  ].join('\n');
}

function commandHelp(program: string, c: Command, globals: Flag[]): string {
  const word = (p: Positional) => `${p.name.toUpperCase()}${c.variadic && p === c.positionals[c.positionals.length - 1] ? '...' : ''}`;
  const usage = [program, c.name, ...c.positionals.map((p) => (p.required ? word(p) : `[${word(p)}]`)), '[flags]'].join(' ');
  return [
    c.describe,
    '',
    `Usage: ${usage}`,
    '',
    ...(c.positionals.length ? ['Arguments:', ...c.positionals.map((p) => `  ${p.name.toUpperCase().padEnd(26)}${p.describe}`), ''] : []),
    ...flagSections([...c.flags.map((f) => ({ ...f, group: f.group ?? 'Flags' })), ...globals]),
    'Examples:',
    ...c.examples.flatMap(([cmd, what]) => [`  # ${what}`, `  ${cmd.replaceAll('$0', program)}`, '']),
    exitCodes,
    '',
  ].join('\n');
}

function flagSections(flags: Flag[]): string[] {
  const groups = new Map<string, Flag[]>();
  for (const f of flags) groups.set(f.group ?? 'Flags', [...(groups.get(f.group ?? 'Flags') ?? []), f]);
  return [...groups].flatMap(([group, list]) => [`${group}:`, ...list.map(flagLine), '']);
}

function flagLine(f: Flag): string {
  const value = f.type === 'boolean' ? '' : f.choices ? ` ${f.choices.join('|')}` : f.type === 'number' ? ' N' : ' string';
  const names = `${f.short ? `-${f.short}, ` : '    '}--${f.name}${value}`;
  const def = f.default !== undefined && f.default !== false && f.type !== 'boolean' ? ` (default ${f.default})` : '';
  return `  ${names.length < 34 ? names.padEnd(34) : `${names}  `}${f.describe}${def}`;
}
