// yargs' failure messages in kubectl's words (`unknown flag: --dept; did you mean --depth?`): the wording only,
// apart from args.ts's declaring and parsing of the command line.
import type { Command, Flag } from './args.ts';
import { editDistance } from './model/edit-distance.ts';

/** yargs' failures as kubectl says them, with a suggestion for a mistyped flag. */
export function inKubectlWords(message: string, input: string[], command: Command | undefined, flags: readonly Flag[], commandNames: string[]): string {
  const first = message.split('\n')[0] ?? message;
  const meant = /^Did you mean (.+)\?$/.exec(first);
  if (meant) return `unknown command "${input.find((a) => !a.startsWith('-'))}"; did you mean "${meant[1]}"?`;
  const unknown = /^Unknown arguments?: (.+)$/.exec(first);
  if (unknown) {
    const word = (unknown[1] ?? '').split(', ')[0] ?? '';
    const token = input.find((a) => new RegExp(`^--?(no-)?${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(=|$)`).test(a));
    if (token) {
      const flag = token.split('=')[0] as string;
      const near = closest(flag.replace(/^-+/, ''), flags.map((f) => f.name));
      return `unknown flag: ${flag}${near ? `; did you mean --${near}?` : ''}`;
    }
    if (command) return `unexpected argument "${word}"`;
    const near = closest(word, commandNames);
    return `unknown command "${word}"${near ? `; did you mean "${near}"?` : ''}`;
  }
  const invalid = /Argument: (\S+), Given: "([^"]*)"/.exec(message);
  if (invalid) return `--${invalid[1]} must be one of ${flags.find((f) => f.name === invalid[1])?.choices?.join(', ')}, not "${invalid[2]}"`;
  const missing = /^Not enough arguments following: (.+)$/.exec(first);
  if (missing) return `flag needs an argument: --${flags.find((f) => f.name === missing[1] || f.short === missing[1])?.name ?? missing[1]}`;
  if (/^Not enough non-option arguments/.test(first) && command) return `${command.name} needs ${command.positionals.find((p) => p.required)?.name.toUpperCase()}`;
  if (/^Too many non-option arguments/.test(first) && command) return `unexpected argument`;
  return first;
}

/** The nearest name by edit distance, when close enough to be a typo (at most 2 edits, or a prefix). */
function closest(word: string, names: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const n of names) {
    const d = n.startsWith(word) && word.length >= 3 ? 1 : editDistance(word, n);
    if (d < bestDistance) [best, bestDistance] = [n, d];
  }
  return best;
}
