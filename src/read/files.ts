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

/** The objects in one file's text. */
export function parseObjects(text: string, source: string): KubeObject[] {
  const objects: KubeObject[] = [];
  // JSON is YAML, but JSON.parse is much faster on the large files a snapshot of a big cluster makes.
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      collect(JSON.parse(text), objects, source, 1);
      return objects;
    } catch (err) {
      if (err instanceof UsageError) throw err;
      // not JSON after all: let the YAML parser say what is wrong
    }
  }
  // js-yaml rather than the `yaml` package here: several times faster to load and to parse, which is most of
  // `tree --from`'s time. The core schema keeps timestamps as strings, as Kubernetes objects have them.
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
  if (Array.isArray(obj.items) && (obj.kind === 'List' || obj.kind?.endsWith('List'))) {
    for (const item of obj.items) collect(item, into, source, doc);
    return;
  }
  if (typeof obj.kind !== 'string' || typeof obj.metadata?.name !== 'string') {
    throw new UsageError(`${source}: document ${doc}: not a Kubernetes object (needs kind and metadata.name)`);
  }
  into.push(obj);
}

/** What `snapshot` read, written into its output so that a replay knows absent from not captured. */
export const SNAPSHOT_INFO = { apiVersion: 'flux-deps.io/v1', kind: 'SnapshotInfo' } as const;

// Kinds whose absence from an input means absence: the Flux objects are what every input is about, and a missing
// event claims nothing.
const alwaysCaptured = new Set(['Kustomization', 'HelmRelease', 'Event']);

/**
 * A reader over the input's objects; objects without a namespace count as the default namespace's. A kind the
 * input holds none of was not captured (`kubectl get ks -o yaml` has no GitRepositories): it reads as unknown,
 * so the answer takes the Flux objects' own word rather than calling their sources missing. A snapshot says
 * what it listed and what it could not read, and is replayed as it was.
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
    return items.length === 0 ? { items, ...this.uncaptured(q) } : { items };
  }

  private ofKind(kind: string): KubeObject[] {
    return this.parts.filter((p) => p.kind === undefined || p.kind === kind).flatMap((p) => p.objects());
  }

  capturedAt(): Date | undefined {
    return this.snapshot()?.capturedAt;
  }

  private snapshot(): SnapshotFacts | null {
    return (this.info ??= snapshotInfo(this.ofKind(SNAPSHOT_INFO.kind)));
  }

  /** Whether an empty answer means "there are none": not for a kind the input never captured. */
  private uncaptured(q: ListQuery): Pick<ListResult, 'unreadable' | 'unknown'> {
    if (alwaysCaptured.has(q.kind)) return {};
    const where = `${q.kind}/${q.namespace ?? '*'}`;
    const info = this.snapshot();
    if (info?.unreadable.includes(where)) return { unreadable: `the snapshot could not read ${q.kind} objects${q.namespace ? ` in ${q.namespace}` : ''}` };
    const captured = info ? info.listed.includes(where) || info.listed.includes(`${q.kind}/*`) : this.ofKind(q.kind).some((o) => o.kind === q.kind);
    return captured ? {} : { unknown: true };
  }

  async namespaces(): Promise<string[]> {
    return [...new Set(this.parts.flatMap((p) => p.objects()).map((o) => o.metadata?.namespace || this.defaultNamespace))].sort();
  }

  close(): void {}
}

interface SnapshotFacts {
  /** `Kind/namespace` (or `Kind/*`) lists it made, and those it could not read. */
  listed: string[];
  unreadable: string[];
  capturedAt?: Date;
}

function snapshotInfo(objects: KubeObject[]): SnapshotFacts | null {
  const info = objects.find((o) => o.kind === SNAPSHOT_INFO.kind && o.apiVersion === SNAPSHOT_INFO.apiVersion);
  if (!info) return null;
  const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  const at = typeof info.capturedAt === 'string' ? new Date(info.capturedAt) : undefined;
  return { listed: strings(info.listed), unreadable: strings(info.unreadable), ...(at && !Number.isNaN(at.getTime()) ? { capturedAt: at } : {}) };
}
