// why-blocked as text: the verdict, then each root cause with the path to it, what is wrong, and what to run.
import type { Explanation, RootCause } from '../model/blockers.ts';
import { paint, type Style } from './style.ts';

export type ExplanationOptions = Style;

/** Objects are named by their full id (Kind/namespace/name), as CONTRACT.md asks of every output. */
export function renderExplanation(e: Explanation, opts: ExplanationOptions): string {
  const name = (id: string) => id;
  if (!e.blocked) return `${paint(opts, 'green', '✔')} ${e.summary}\n`;
  const count = e.rootCauses.length === 1 ? 'one root cause' : `${e.rootCauses.length} root causes`;
  const lines = [`${paint(opts, 'red', '✗')} ${name(e.target)} is blocked by ${count}`];
  e.rootCauses.forEach((c, i) => lines.push('', ...causeLines(c, i + 1, name, opts)));
  return lines.join('\n') + '\n';
}

function causeLines(c: RootCause, n: number, name: (id: string) => string, opts: ExplanationOptions): string[] {
  const lines = [`${n}. ${paint(opts, 'bold', name(c.object))}  ${paint(opts, 'red', c.reason)}`];
  if (c.path.length > 1) lines.push(`   via: ${c.path.map(name).join(' → ')}`);
  lines.push(`   ${c.message}`);
  for (const o of c.objects) {
    const mark = o.status === 'InProgress' ? paint(opts, 'yellow', '◎') : paint(opts, 'red', '✗');
    lines.push(`   ${mark} ${o.id}  ${o.status}${o.message ? `: ${o.message}` : ''}`);
    for (const d of o.details) lines.push(`       ${d}`);
  }
  for (const note of c.notes) lines.push(`   ${paint(opts, 'dim', note)}`);
  if (c.next.length) lines.push('   next:', ...c.next.map((cmd) => `     ${cmd}`));
  return lines;
}
