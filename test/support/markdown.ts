// Reading a Markdown page by its structure (sections, bullets, tables), for tests that hold a document to the code
// (contract.test.ts). Only what CONTRACT.md's plain layout needs: ATX headings, `- ` bullets, pipe tables.
import assert from 'node:assert/strict';

/** The text under a heading, up to the next heading of its level or higher. */
export function section(text: string, heading: string): string {
  const lines = text.split('\n');
  const at = lines.findIndex((l) => l.startsWith(heading));
  assert.ok(at >= 0, `no heading "${heading}"`);
  const level = /^#+/.exec(heading)?.[0].length ?? 2;
  const end = lines.findIndex((l, i) => i > at && /^#+ /.test(l) && (/^#+/.exec(l)?.[0].length ?? 0) <= level);
  return lines.slice(at, end === -1 ? undefined : end).join('\n');
}

/** The bullets (with their continuation lines) that start with `- ${start}`. */
export function bullets(text: string, start: string): string[] {
  const out: string[] = [];
  let open = false;
  for (const line of text.split('\n')) {
    if (line.startsWith('- ')) {
      open = line.startsWith(`- ${start}`);
      if (open) out.push(line);
    } else if (open && line.startsWith('  ')) out[out.length - 1] += `\n${line}`;
    else open = false;
  }
  return out;
}

/** The rows (cells, trimmed) of the table whose header row is `header`. */
export function tableRows(text: string, header: string): string[][] {
  const lines = text.split('\n').map((l) => l.trim());
  const at = lines.indexOf(header);
  assert.ok(at >= 0, `no table "${header}"`);
  const rows: string[][] = [];
  for (const line of lines.slice(at + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(line.slice(1, -1).split('|').map((c) => c.trim()));
  }
  return rows;
}
