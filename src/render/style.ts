// Shared look of text output: Flux's status symbols, optional ANSI colour, durations as kubectl prints them.
import type { ReadyStatus } from '../model/flux.ts';
export { age } from '../model/time.ts';

export interface Style {
  color: boolean;
}

const codes = { red: 31, green: 32, yellow: 33, dim: 2, bold: 1 } as const;
export type Colour = keyof typeof codes;

export function paint(style: Style, colour: Colour, text: string): string {
  return style.color ? `\u001b[${codes[colour]}m${text}\u001b[0m` : text;
}

/** Flux CLI's symbols: ✔ ready, ✗ failed or missing, ◎ in progress or unknown. */
export function stateMark(style: Style, ready: ReadyStatus, found: boolean): string {
  if (!found || ready === 'False') return paint(style, 'red', '✗');
  if (ready === 'True') return paint(style, 'green', '✔');
  return paint(style, 'yellow', '◎');
}

/** The first line of a message, cut to `max` characters. */
export function shorten(message: string, max = 200): string {
  const line = message.split('\n', 1)[0] ?? '';
  return line.length > max ? line.slice(0, max - 1) + '…' : line;
}
