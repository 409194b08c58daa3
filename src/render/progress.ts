// What waiting commands say while they wait: one summary line for a spinner, one line per change otherwise,
// and the JSON event of CONTRACT.md for scripts.
import { shortRevision } from '../model/flux.ts';
import type { WaitState } from '../model/waiting.ts';
import { paint, shorten, type Style } from './style.ts';

export interface WaitEvent {
  time: string;
  id: string;
  event: 'ready' | 'waiting' | 'failed';
  ready: boolean;
  reason: string;
  message: string;
  revision: string;
}

export function waitEvent(time: Date, id: string, s: WaitState): WaitEvent {
  return { time: time.toISOString(), id, event: s.verdict, ready: s.verdict === 'ready', reason: s.reason, message: s.message, revision: s.revision };
}

const marks = { ready: ['green', '✔'], waiting: ['yellow', '◎'], failed: ['red', '✗'] } as const;

/** A timestamped line for a log: `10:15:02 ◎ Kustomization/flux-system/infra Progressing: ...`. */
export function changeLine(time: Date, id: string, s: WaitState, style: Style): string {
  const [colour, mark] = marks[s.verdict];
  const at = s.verdict === 'ready' && s.revision ? ` at ${shortRevision(s.revision)}` : '';
  const why = s.verdict === 'ready' ? '' : `: ${s.reason}${s.message ? `: ${shorten(s.message, 160)}` : ''}`;
  return `${time.toISOString().slice(11, 19)} ${paint(style, colour, mark)} ${id}${at}${why}\n`;
}

/** The spinner's text: `3/5 ready; waiting on Kustomization/flux-system/infra: Progressing: ...`. */
export function summaryLine(states: ReadonlyMap<string, WaitState>): string {
  const all = [...states.entries()];
  const ready = all.filter(([, s]) => s.verdict === 'ready').length;
  // Name the one the others wait on: a target held only by a dependency says little.
  const pending = all.filter(([, s]) => s.verdict !== 'ready');
  const next = pending.find(([, s]) => s.reason !== 'DependencyNotReady') ?? pending[0];
  const waiting = next ? `; waiting on ${next[0]}: ${next[1].reason}${next[1].message ? `: ${shorten(next[1].message, 80)}` : ''}` : '';
  return `${ready}/${all.length} ready${waiting}`;
}
