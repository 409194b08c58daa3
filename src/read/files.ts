// --from: objects from YAML or JSON files (multi-document, `List` objects as `kubectl get -o yaml` and
// `snapshot` write them), directories read recursively, `-` for standard input. The one judge of --from input for
// every command (lint too, read/manifests.ts): what is refused here is refused by all, with the same line.
import { isUtf8 } from 'node:buffer';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CORE_SCHEMA, loadAll, YAMLException, type LoadOptions } from 'js-yaml';
import { UsageError } from '../errors.ts';
import { compareStrings, type KubeObject } from '../model/objects.ts';
import { fileLine, splitKubectlList } from './kubectl-list.ts';

/** Objects of the input, by kind when the text allows it (kind undefined: of any kind); parsed on first use. */
export interface InputPart {
  kind?: string;
  /** The file read, or `standard input`. */
  source: string;
  objects(): KubeObject[];
}

/** The line each object parsed starts on (its document's or List item's first line), for lint's locations. */
export type Lines = Map<KubeObject, { source: string; line: number }>;

/**
 * The input's objects, Lists flattened; parsing throws UsageError naming the file and document that is bad. A
 * directory is read as a repository is laid out (`inputFiles`, `isKubeObject`): what is not an object is skipped.
 * A kubectl List is judged kind by kind, when a kind is first read (read/kubectl-list.ts), so that tree need not
 * parse a snapshot's pods and events; everything else is judged whole, on the first read. With `lines`, each
 * object parsed has its line recorded there.
 */
export function loadInput(path: string, readStdin: () => string | Uint8Array, lines?: Lines): InputPart[] {
  if (path === '-') {
    const input = readStdin();
    return parts(typeof input === 'string' ? input : decodeText(input, 'standard input'), 'standard input', false, lines);
  }
  const { files, directory } = inputFiles(path);
  return files.flatMap((file) => parts(decodeText(readFileSync(file), file), file, directory, lines));
}

/** Every object in the input, parsed now. */
export function loadObjects(path: string, readStdin: () => string | Uint8Array): KubeObject[] {
  return loadInput(path, readStdin).flatMap((p) => p.objects());
}

function parts(text: string, source: string, lenient: boolean, lines?: Lines): InputPart[] {
  const byKind = splitKubectlList(text);
  if (!byKind) return [{ source, objects: memo(() => parseObjects(text, source, lenient, lines)) }];
  return [...byKind].map(([kind, group]) => ({
    kind,
    source,
    // A group's lines are not the file's: on an error, parse the whole file for its first error and its line,
    // the message of every command that reads any bad kind of this file.
    objects: memo(() => {
      const groupLines: Lines | undefined = lines && new Map();
      try {
        const objects = parseObjects(group.text, source, lenient, groupLines);
        for (const [o, at] of groupLines ?? []) lines?.set(o, { source, line: fileLine(group, at.line) });
        return objects;
      } catch (err) {
        parseObjects(text, source, lenient);
        throw err;
      }
    }),
  }));
}

function memo<T>(f: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= f());
}

/**
 * A file's bytes as text: UTF-8 (a BOM dropped), or UTF-16 when a BOM says so (Windows PowerShell's `>` writes
 * that); other bytes are refused rather than read as U+FFFD, which would change names and messages silently.
 */
export function decodeText(bytes: Uint8Array, source: string): string {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const utf16 = buffer[0] === 0xff && buffer[1] === 0xfe ? 'le' : buffer[0] === 0xfe && buffer[1] === 0xff ? 'be' : undefined;
  if (utf16) {
    // UTF-16 is two bytes a unit, and a lone surrogate is no character: both would otherwise become U+FFFD.
    if (buffer.length % 2 !== 0) throw new UsageError(`${source}: not UTF-16 text (an odd number of bytes after its byte order mark)`);
    const units = utf16 === 'le' ? buffer.subarray(2) : Buffer.from(buffer.subarray(2)).swap16();
    const text = units.toString('utf16le');
    const lone = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.exec(text);
    if (lone) throw new UsageError(`${source}: not UTF-16 text (a lone surrogate on line ${text.slice(0, lone.index).split('\n').length})`);
    return text;
  }
  // isUtf8 then toString, not a fatal TextDecoder: that made tree --from examples/production.yaml ~6 ms slower.
  if (isUtf8(buffer)) {
    const text = buffer.toString('utf8');
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  }
  const at = firstBadByte(bytes);
  const line = bytes.subarray(0, at).reduce((n, b) => (b === 0x0a ? n + 1 : n), 1);
  throw new UsageError(`${source}: not UTF-8 text (byte 0x${(bytes[at] ?? 0).toString(16)} on line ${line})`);
}

/** The first byte of the first sequence that is not UTF-8 (the input is known to hold one). */
function firstBadByte(bytes: Uint8Array): number {
  // The longest prefix that decodes, a character left unfinished at its end allowed...
  let ok = 0;
  let bad = bytes.length;
  while (bad - ok > 1) {
    const mid = (ok + bad) >> 1;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, mid), { stream: true });
      ok = mid;
    } catch {
      bad = mid;
    }
  }
  // ...so the culprit is the character unfinished there, if one is, else the byte after it.
  let start = ok;
  while (start > 0 && ok - start < 3 && ((bytes[start - 1] ?? 0) & 0xc0) === 0x80) start--;
  return start > 0 && (bytes[start - 1] ?? 0) >= 0xc0 ? start - 1 : ok;
}

/** kustomize's own configuration, which a repository holds beside its objects: never read as objects. */
export const kustomizeFiles = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/**
 * The files `--from path` reads, and whether path was a directory: then every `*.yaml`, `*.yml` and `*.json`
 * under it, recursively and in name order, but hidden directories, Helm charts and kustomize files. Every command reads a
 * directory so (tree, why-blocked, timeline through FileReader; lint through read/manifests.ts).
 */
export function inputFiles(path: string): { files: string[]; directory: boolean } {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    throw new UsageError(`--from ${path}: no such file or directory`);
  }
  return stat.isDirectory() ? { files: filesUnder(path), directory: true } : { files: [path], directory: false };
}

function filesUnder(dir: string): string[] {
  const entries = readdirSync(dir, { withFileTypes: true });
  // A Helm chart's templates are Go templates, not objects (nor YAML, often): a chart directory is skipped.
  if (entries.some((e) => e.isFile() && e.name === 'Chart.yaml')) return [];
  return entries
    .sort((a, b) => compareStrings(a.name, b.name))
    .flatMap((e) => {
      const full = join(dir, e.name);
      if (e.isDirectory()) return e.name.startsWith('.') ? [] : filesUnder(full);
      return /\.(ya?ml|json)$/.test(e.name) && !kustomizeFiles.includes(e.name) ? [full] : [];
    });
}

/** Whether a parsed document is a Kubernetes object: a map with a kind and a metadata.name. */
export function isKubeObject(value: unknown): value is KubeObject {
  const o = value as KubeObject;
  return typeof o === 'object' && o !== null && !Array.isArray(o) && typeof o.kind === 'string' && typeof o.metadata?.name === 'string';
}

/** Whether a parsed document is a list of objects, as `kubectl get -o yaml` writes one (kind `List`, `…List`). */
export function isKubeList(value: unknown): value is { kind: string; items: unknown[] } {
  const o = value as KubeObject;
  return typeof o === 'object' && o !== null && Array.isArray(o.items) && typeof o.kind === 'string' && o.kind.endsWith('List');
}

/**
 * The objects in one file's text; throws UsageError naming the file for any text that is not objects, but when
 * `lenient` (a file found in a directory: a repository holds Helm values and other configuration beside its
 * objects), where documents that are no object are skipped. With `lines`, records where each object starts.
 */
export function parseObjects(text: string, source: string, lenient = false, lines?: Lines): KubeObject[] {
  try {
    return parseText(text, source, lenient, lines);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    // The parsers recurse: 3 MB of nested flow sequences overflow the stack (a RangeError). Input, not a bug.
    if (err instanceof RangeError) throw new UsageError(`${source}: nested too deeply to read`);
    throw new UsageError(`${source}: cannot read: ${(err as Error).message.split('\n')[0]}`);
  }
}

function parseText(text: string, source: string, lenient: boolean, lines?: Lines): KubeObject[] {
  const objects: KubeObject[] = [];
  // JSON is YAML, but JSON.parse is much faster on the large files a snapshot of a big cluster makes. Its rules
  // are JSON's, as Go's encoding/json reads them too: a repeated key's last value wins (YAML refuses one, below).
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      if (err instanceof RangeError) throw err;
      // not JSON after all: let the YAML parser say what is wrong
    }
    if (value !== undefined) {
      collect(value, objects, source, 1, lenient);
      if (lines) jsonLines(text, objects, source, lenient, lines);
      return objects;
    }
  }
  // js-yaml rather than the `yaml` package here: several times faster to load and to parse, which is most of
  // `tree --from`'s time (issue 13, measured again with `yaml` reading: tree --from examples/production.yaml 88 ->
  // 145 ms, 1.54x -> 2.53x flux --version in the same rounds; why-blocked on it twice as slow). The core schema keeps timestamps as strings, as Kubernetes objects have them.
  let docs: unknown[];
  const starts = lines && new Map<unknown, number>();
  try {
    docs = loadAll(text, null, { schema: CORE_SCHEMA, ...(starts ? { listener: lineListener(starts) } : {}) });
  } catch (err) {
    if (!(err instanceof YAMLException)) throw err;
    const line = err.mark?.line ?? 0;
    const doc = text.split('\n').slice(0, line).filter((l) => /^---(\s|$)/.test(l)).length + (/^---/.test(text.trimStart()) ? 0 : 1);
    throw new UsageError(`${source}: document ${Math.max(1, doc)}: ${err.reason} (line ${line + 1})`);
  }
  docs.forEach((doc, i) => collect(doc, objects, source, i + 1, lenient));
  if (lines && starts) for (const o of objects) lines.set(o, { source, line: starts.get(o) ?? 1 });
  return objects;
}

/**
 * Records the line every mapping the parser builds starts on. js-yaml calls the listener when it opens a node (at
 * its first character: a document's after `---` and comments, a List item's after `- `) and when it closes it (its
 * value built); the nodes nest, so a stack pairs the two. Only lint asks: tree's parse pays nothing for it.
 */
function lineListener(starts: Map<unknown, number>): NonNullable<LoadOptions['listener']> {
  const open: number[] = [];
  return (event, state) => {
    if (event === 'open') return void open.push(state.line);
    const line = open.pop() ?? 0;
    const value = state.result as unknown;
    if (isKubeObject(value) && !starts.has(value)) starts.set(value, line + 1);
  };
}

/** The lines of JSON's objects, from a second reading by js-yaml in JSON's rules; none when it cannot read it. */
function jsonLines(text: string, objects: KubeObject[], source: string, lenient: boolean, lines: Lines): void {
  const starts = new Map<unknown, number>();
  const again: KubeObject[] = [];
  try {
    loadAll(text, null, { schema: CORE_SCHEMA, json: true, listener: lineListener(starts) }).forEach((d) => collect(d, again, source, 1, lenient));
  } catch {
    return; // JSON.parse read it: where its objects are is a nicety, not a verdict
  }
  if (again.length !== objects.length) return;
  again.forEach((o, i) => {
    const line = starts.get(o);
    if (line !== undefined && objects[i]) lines.set(objects[i], { source, line });
  });
}

function collect(value: unknown, into: KubeObject[], source: string, doc: number, lenient: boolean): void {
  if (value === null || value === undefined) return;
  if (Array.isArray(value)) return value.forEach((v) => collect(v, into, source, doc, lenient));
  if (isKubeList(value)) {
    for (const item of value.items) collect(item, into, source, doc, lenient);
    return;
  }
  const object = asObject(value, source, doc, lenient);
  if (object) into.push(object);
}

/**
 * The document as an object; a document that is none is skipped (undefined) when `lenient`, else an error
 * naming the file and document. The one rule of every --from reader.
 */
export function asObject(value: unknown, source: string, doc: number, lenient: boolean): KubeObject | undefined {
  if (isKubeObject(value)) return value;
  if (lenient || value === null || value === undefined) return undefined;
  if (typeof value !== 'object') throw new UsageError(`${source}: document ${doc}: not a Kubernetes object`);
  throw new UsageError(`${source}: document ${doc}: not a Kubernetes object (needs kind and metadata.name)`);
}
