// lint's findings as an aligned table (severity, rule, object, why, fix) and a summary line; colour only when asked.
import type { LintFinding, Severity } from '../model/lint/rules.ts';
import { paint, type Colour, type Style } from './style.ts';

const colours: Record<Severity, Colour> = { error: 'red', warning: 'yellow', info: 'dim' };
const header = ['SEVERITY', 'RULE', 'OBJECT', 'WHY', 'FIX'];

/** The table, then one summary line; with no findings, only the summary. */
export function renderLintText(findings: LintFinding[], checked: number, failOn: Severity, style: Style): string {
  const rows = findings.map((f) => [f.severity, f.rule, f.object, f.message, f.fix]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: string[], paintFirst?: Colour) =>
    cells.map((c, i) => {
      const padded = i === cells.length - 1 ? c : c.padEnd(widths[i] as number);
      return i === 0 && paintFirst ? paint(style, paintFirst, padded) : padded;
    }).join('  ') + '\n';
  const table = rows.length ? line(header) + rows.map((r) => line(r, colours[r[0] as Severity])).join('') : '';
  return table + summary(findings, checked, failOn, style) + '\n';
}

/** `✗ 2 errors, 1 warning, 3 info in 9 objects (fails on error)`. */
export function summary(findings: LintFinding[], checked: number, failOn: Severity, style: Style): string {
  if (findings.length === 0) return `${paint(style, 'green', '✔')} ${counts(findings, checked, failOn)}`;
  return `${fails(findings, failOn) ? paint(style, 'red', '✗') : paint(style, 'yellow', '◎')} ${counts(findings, checked, failOn)}`;
}

/** The summary without its mark: `2 errors, 1 warning, 3 info in 9 objects (fails on error)`, `no findings in 9 objects`. */
export function counts(findings: LintFinding[], checked: number, failOn: Severity): string {
  const count = (s: Severity) => findings.filter((f) => f.severity === s).length;
  const objects = `${checked} object${checked === 1 ? '' : 's'}`;
  if (findings.length === 0) return `no findings in ${objects}`;
  const e = count('error');
  const w = count('warning');
  const parts = [`${e} error${e === 1 ? '' : 's'}`, `${w} warning${w === 1 ? '' : 's'}`, `${count('info')} info`];
  return `${parts.join(', ')} in ${objects} (fails on ${failOn})`;
}

/** Whether a finding at or above `failOn` remains. */
export function fails(findings: LintFinding[], failOn: Severity): boolean {
  return findings.some((f) => f.severity === 'error' || (failOn === 'warning' && f.severity === 'warning'));
}
