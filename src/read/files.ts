// --from: objects from YAML or JSON files (multi-document, `List` objects as `kubectl get -o yaml` and
// `snapshot` write them), directories read recursively, `-` for standard input.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CORE_SCHEMA, loadAll, YAMLException } from 'js-yaml';
import { UsageError } from '../errors.ts';
import { compareStrings, groupOf, type KubeObject } from '../model/objects.ts';
import { splitKubectlList } from './kubectl-list.ts';
import type { ListQuery, ListResult, Reader } from './reader.ts';

/** Objects of the input, by kind when the text allows it (kind undefined: of any kind); parsed on first use. */
export interface InputPart {
  kind?: string;
  objects(): KubeObject[];
}

/** The input's objects, Lists flattened; parsing throws UsageError naming the file and document that is bad. */
export function loadInput(path: string, readStdin: () => string): InputPart[] {
  if (path === '-') return parts(readStdin(), 'standard input');
  return inputFiles(path).flatMap((file) => parts(readFileSync(file, 'utf8'), file));
}

/** Every object in the input, parsed now. */
export function loadObjects(path: string, readStdin: () => string): KubeObject[] {
  return loadInput(path, readStdin).flatMap((p) => p.objects());
}

function parts(text: string, source: string): InputPart[] {
  const byKind = splitKubectlList(text);
  if (!byKind) return [{ objects: memo(() => parseObjects(text, source)) }];
  return [...byKind].map(([kind, items]) => ({
    kind,
    // A group's lines are not the file's: on an error, parse the whole file for a message with the right line.
    objects: memo(() => {
      try {
        return parseObjects(items, source);
      } catch (err) {
        parseObjects(text, source);
        throw err;
      }
    }),
  }));
}

function memo<T>(f: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= f());
}

function inputFiles(path: string): string[] {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    throw new UsageError(`--from ${path}: no such file or directory`);
  }
  if (!stat.isDirectory()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .sort((a, b) => compareStrings(a.name, b.name))
    .flatMap((e) => {
      const full = join(path, e.name);
      if (e.isDirectory()) return e.name.startsWith('.') ? [] : inputFiles(full);
      return /\.(ya?ml|json)$/.test(e.name) ? [full] : [];
    });
}

/** The objects in one file's text; throws UsageError naming the file for any text that is not objects. */
export function parseObjects(text: string, source: string): KubeObject[] {
  try {
    return parseText(text, source);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    // The parsers recurse: 3 MB of nested flow sequences overflow the stack (a RangeError). Input, not a bug.
    if (err instanceof RangeError) throw new UsageError(`${source}: nested too deeply to read`);
    throw new UsageError(`${source}: cannot read: ${(err as Error).message.split('\n')[0]}`);
  }
}

function parseText(text: string, source: string): KubeObject[] {
  const objects: KubeObject[] = [];
  // JSON is YAML, but JSON.parse is much faster on the large files a snapshot of a big cluster makes.
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      collect(JSON.parse(text), objects, source, 1);
      return objects;
    } catch (err) {
      if (err instanceof UsageError || err instanceof RangeError) throw err;
      // not JSON after all: let the YAML parser say what is wrong
    }
  }
  // js-yaml rather than the `yaml` package here: several times faster to load and to parse, which is most of
  // `tree --from`'s time (issue 13, measured again with `yaml` reading: tree --from examples/production.yaml 88 ->
  // 145 ms, 1.54x -> 2.53x flux --version in the same rounds; why-blocked on it twice as slow). The core schema keeps timestamps as strings, as Kubernetes objects have them.
  let docs: unknown[];
  try {
    docs = loadAll(text, null, { schema: CORE_SCHEMA });
  } catch (err) {
    if (!(err instanceof YAMLException)) throw err;
    const line = err.mark?.line ?? 0;
    const doc = text.split('\n').slice(0, line).filter((l) => /^---(\s|$)/.test(l)).length + (/^---/.test(text.trimStart()) ? 0 : 1);
    throw new UsageError(`${source}: document ${Math.max(1, doc)}: ${err.reason} (line ${line + 1})`);
  }
  docs.forEach((doc, i) => collect(doc, objects, source, i + 1));
  return objects;
}

function collect(value: unknown, into: KubeObject[], source: string, doc: number): void {
  if (value === null || value === undefined) return;
  if (Array.isArray(value)) return value.forEach((v) => collect(v, into, source, doc));
  if (typeof value !== 'object') throw new UsageError(`${source}: document ${doc}: not a Kubernetes object`);
  const obj = value as KubeObject;
  if (Array.isArray(obj.items) && typeof obj.kind === 'string' && obj.kind.endsWith('List')) {
    for (const item of obj.items) collect(item, into, source, doc);
    return;
  }
  if (typeof obj.kind !== 'string' || typeof obj.metadata?.name !== 'string') {
    throw new UsageError(`${source}: document ${doc}: not a Kubernetes object (needs kind and metadata.name)`);
  }
  into.push(obj);
}

/** What `snapshot` could not read and when it read the rest, written into its output for a faithful replay. */
export const SNAPSHOT_INFO = { apiVersion: 'flux-deps.io/v1', kind: 'SnapshotInfo' } as const;

/**
 * A reader over the input's objects; objects without a namespace count as the default namespace's, and objects
 * missing from the input are not found (CONTRACT.md). A snapshot's replay is the live run it was taken from: what
 * it could not read is unreadable again (with the same warning), and ages are told from its time.
 */
export class FileReader implements Reader {
  private readonly parts: InputPart[];
  private readonly defaultNamespace: string;
  private info?: SnapshotFacts | null;

  constructor(parts: InputPart[], defaultNamespace: string) {
    this.parts = parts;
    this.defaultNamespace = defaultNamespace;
  }

  async list(q: ListQuery): Promise<ListResult> {
    const group = groupOf(q.apiVersion);
    const items = this.ofKind(q.kind).filter(
      (o) => o.kind === q.kind && groupOf(o.apiVersion) === group &&
        (q.namespace === undefined || (o.metadata?.namespace || this.defaultNamespace) === q.namespace),
    );
    const where = q.namespace ? ` in ${q.namespace}` : '';
    const unreadable = this.snapshot()?.unreadable.includes(`${q.kind}/${q.namespace ?? '*'}`);
    return unreadable ? { items, unreadable: `the snapshot could not read ${q.kind} objects${where}` } : { items };
  }

  capturedAt(): Date | undefined {
    return this.snapshot()?.capturedAt;
  }

  private ofKind(kind: string): KubeObject[] {
    return this.parts.filter((p) => p.kind === undefined || p.kind === kind).flatMap((p) => p.objects());
  }

  private snapshot(): SnapshotFacts | null {
    return (this.info ??= snapshotInfo(this.ofKind(SNAPSHOT_INFO.kind)));
  }

  async namespaces(): Promise<string[]> {
    return [...new Set(this.parts.flatMap((p) => p.objects()).map((o) => o.metadata?.namespace || this.defaultNamespace))].sort();
  }

  close(): void {}
}

interface SnapshotFacts {
  /** `Kind/namespace` (or `Kind/*`) lists it could not make. */
  unreadable: string[];
  capturedAt?: Date;
}

function snapshotInfo(objects: KubeObject[]): SnapshotFacts | null {
  const info = objects.find((o) => o.kind === SNAPSHOT_INFO.kind && o.apiVersion === SNAPSHOT_INFO.apiVersion);
  if (!info) return null;
  const unreadable = Array.isArray(info.unreadable) ? info.unreadable.filter((x): x is string => typeof x === 'string') : [];
  const at = typeof info.capturedAt === 'string' ? new Date(info.capturedAt) : undefined;
  return { unreadable, ...(at && !Number.isNaN(at.getTime()) ? { capturedAt: at } : {}) };
}
