// Shared look of text output: Flux's status symbols, optional ANSI colour, durations as kubectl prints them.
import type { ReadyStatus } from '../model/flux.ts';

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

/** How long ago, as kubectl's AGE column: 45s, 12m, 3h5m, 4d. Empty when unknown. */
export function age(since: string | undefined, now: Date): string {
  if (!since) return '';
  const seconds = Math.max(0, Math.floor((now.getTime() - Date.parse(since)) / 1000));
  if (Number.isNaN(seconds)) return '';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return `${minutes}m${seconds % 60 ? `${seconds % 60}s` : ''}`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return `${hours}h${minutes % 60 ? `${minutes % 60}m` : ''}`;
  if (hours < 48) return `${hours}h`;
  return `${Math.floor(hours / 24)}d`;
}

/** The first line of a message, cut to `max` characters. */
export function shorten(message: string, max = 200): string {
  const line = message.split('\n', 1)[0] ?? '';
  return line.length > max ? line.slice(0, max - 1) + '…' : line;
}
