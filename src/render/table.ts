// Aligned columns as kubectl prints them: an upper-case header, no borders, two spaces between columns, no
// trailing spaces. cli-table3 measures the cells (ANSI colour and wide characters count as what a terminal
// shows); only commands that print a table import this module, so the others never load it.
import Table from 'cli-table3';

export interface TableOptions {
  /** A terminal's width: the last column is cut to fit it, with `…`. Without one (a pipe, a file) nothing is cut. */
  width?: number;
}

const none = { top: '', 'top-mid': '', 'top-left': '', 'top-right': '', bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '', left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: '  ' };

/** The rows under the header, one line each: a cell's line breaks become spaces. */
export function renderTable(head: string[], rows: string[][], opts: TableOptions = {}): string {
  const cells = rows.map((r) => r.map((c) => c.replace(/\s*\n\s*/g, ' ')));
  const draw = (colWidths: Array<number | null>) => {
    const table = new Table({ head, chars: none, colWidths, style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0, compact: true } });
    table.push(...cells);
    return table.toString().split('\n').map((l) => l.trimEnd());
  };
  let lines = draw([]);
  const last = head[head.length - 1] ?? '';
  // The header is plain text, so where its last word starts is how wide everything before the last column is.
  const before = (lines[0] ?? '').lastIndexOf(last);
  if (opts.width && before > 0 && lines.some((l) => visibleWidth(l) > (opts.width as number))) {
    lines = draw([...head.slice(0, -1).map(() => null), Math.max(opts.width - before, last.length)]);
  }
  return lines.join('\n') + '\n';
}

// Enough to tell whether a line overflows: colour codes take no room. (Wide characters count once: at worst a line
// of them is left a little too long, as the terminal would show it.)
function visibleWidth(line: string): number {
  return line.replace(/\u001b\[[0-9;]*m/g, '').length;
}
