// The items of a List as `kubectl get -o yaml` and `flux-deps snapshot` write it, grouped by kind without
// parsing them. A snapshot is mostly pods and events; `tree` reads only Flux objects, and parsing YAML is most of
// an offline run's time (a cold parser runs at ~4 ms per 10 kB), so each kind is parsed when first asked for.
//
// Only that exact shape is split: `apiVersion: v1` then `items:` at column 0, each item a block mapping starting
// with `- ` at column 0 and naming its kind on a line of its own. In YAML nothing inside an item can start at
// column 0 (block scalars and multi-line strings are indented under their key), so the column-0 `- ` lines are
// exactly the item boundaries. Anything else (several documents, flow style, anchors, aliases or tags, which
// could tie items together), or a List without the `kind: List` kubectl writes after its items (a file cut short),
// returns undefined, and the caller parses the whole text as before.

const head = /^(?:[ \t]*(?:#.*)?\r?\n)*apiVersion: v1\r?\nitems:\r?\n/;
const kindLine = /^(?:- |  )kind: (['"]?)([A-Za-z][A-Za-z0-9]*)\1\s*$/;
// `&a`, `*a`, `!t` after a space or at a line's start, or a document marker: leave such text to the parser.
const unsplittable = /(?:^|[\s[{,])[&*!][^\s]|^(?:---|\.\.\.)(?:\s|$)|^- [[{]/m;

/** One kind's items: their text, itself a YAML sequence, and where each item starts in it and in the file. */
export interface KindGroup {
  text: string;
  /** Per item, in order: [its first line in `text`, the same line in the file], both counted from 1. */
  starts: Array<[number, number]>;
}

/** Item texts per kind; undefined when the text is not a plain kubectl List. */
export function splitKubectlList(text: string): Map<string, KindGroup> | undefined {
  const start = head.exec(text);
  if (!start || unsplittable.test(text)) return undefined;
  const groups = new Map<string, { items: string[]; starts: Array<[number, number]>; lines: number }>();
  const headLines = start[0].split('\n').length - 1;
  const lines = text.slice(start[0].length).split('\n');
  let i = 0;
  while (i < lines.length && /^\s*(#.*)?$/.test(lines[i] ?? '')) i++; // blank lines and comments before the first item
  while (i < lines.length && isItemStart(lines[i] ?? '')) {
    const first = i;
    let kind: string | undefined;
    do {
      kind ??= kindLine.exec(lines[i] ?? '')?.[2];
      i++;
    } while (i < lines.length && !atColumnZero(lines[i] ?? ''));
    if (kind === undefined) return undefined;
    const group = groups.get(kind) ?? { items: [], starts: [], lines: 0 };
    group.starts.push([group.lines + 1, headLines + first + 1]);
    group.items.push(lines.slice(first, i).join('\n'));
    group.lines += i - first;
    groups.set(kind, group);
  }
  // After the items (which end at a column-0 line), only the List's own keys: kubectl writes `kind` and `metadata`.
  const rest = lines.slice(i);
  if (groups.size === 0 || rest.some((l) => atColumnZero(l) && !/^(kind|metadata):/.test(l)) || !rest.some((l) => /^kind: List\r?$/.test(l))) return undefined;
  return new Map([...groups].map(([kind, g]) => [kind, { text: g.items.join('\n') + '\n', starts: g.starts }]));
}

/** The file's line for a line of a group's text. */
export function fileLine(group: KindGroup, line: number): number {
  let at = group.starts[0] ?? [1, 1];
  for (const s of group.starts) {
    if (s[0] > line) break;
    at = s;
  }
  return at[1] + line - at[0];
}

function isItemStart(line: string): boolean {
  return line.startsWith('- ') || line.trimEnd() === '-';
}

/** A line that ends the item above it: anything but indentation, blank lines and comments at column 0. */
function atColumnZero(line: string): boolean {
  return line !== '' && line !== '\r' && !/^[ \t#]/.test(line);
}
