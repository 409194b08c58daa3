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

/**
 * The input's objects, Lists flattened; parsing throws UsageError naming the file and document that is bad. A
 * directory is read as a repository is laid out (`inputFiles`, `isKubeObject`): what is not an object is skipped.
 */
export function loadInput(path: string, readStdin: () => string): InputPart[] {
  if (path === '-') return parts(readStdin(), 'standard input', false);
  const { files, directory } = inputFiles(path);
  return files.flatMap((file) => parts(readFileSync(file, 'utf8'), file, directory));
}

/** Every object in the input, parsed now. */
export function loadObjects(path: string, readStdin: () => string): KubeObject[] {
  return loadInput(path, readStdin).flatMap((p) => p.objects());
}

function parts(text: string, source: string, lenient: boolean): InputPart[] {
  const byKind = splitKubectlList(text);
  if (!byKind) return [{ objects: memo(() => parseObjects(text, source, lenient)) }];
  return [...byKind].map(([kind, items]) => ({
    kind,
    // A group's lines are not the file's: on an error, parse the whole file for a message with the right line.
    objects: memo(() => {
      try {
        return parseObjects(items, source, lenient);
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
 * objects), where documents that are no object are skipped.
 */
export function parseObjects(text: string, source: string, lenient = false): KubeObject[] {
  try {
    return parseText(text, source, lenient);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    // The parsers recurse: 3 MB of nested flow sequences overflow the stack (a RangeError). Input, not a bug.
    if (err instanceof RangeError) throw new UsageError(`${source}: nested too deeply to read`);
    throw new UsageError(`${source}: cannot read: ${(err as Error).message.split('\n')[0]}`);
  }
}

function parseText(text: string, source: string, lenient: boolean): KubeObject[] {
  const objects: KubeObject[] = [];
  // JSON is YAML, but JSON.parse is much faster on the large files a snapshot of a big cluster makes.
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      collect(JSON.parse(text), objects, source, 1, lenient);
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
  docs.forEach((doc, i) => collect(doc, objects, source, i + 1, lenient));
  return objects;
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
 * naming the file and document. The one rule of every --from reader (read/manifests.ts too).
 */
export function asObject(value: unknown, source: string, doc: number, lenient: boolean): KubeObject | undefined {
  if (isKubeObject(value)) return value;
  if (lenient || value === null || value === undefined) return undefined;
  if (typeof value !== 'object') throw new UsageError(`${source}: document ${doc}: not a Kubernetes object`);
  throw new UsageError(`${source}: document ${doc}: not a Kubernetes object (needs kind and metadata.name)`);
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
    const key = `${q.kind}/${q.namespace ?? '*'}`;
    const info = this.snapshot();
    if (!info?.unreadable.includes(key)) return { items };
    // Why, where the snapshot says (since it does): its answer is the live one's.
    const reason = info.reasons[key];
    return { items, unreadable: `the snapshot could not read ${q.kind} objects${where}${reason ? ` (${snapshotWhy[reason]})` : ''}`, reason: reason ?? 'unrecorded' };
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
  /** Why, by the same keys (snapshots written before they said have none). */
  reasons: Record<string, SnapshotReason>;
  capturedAt?: Date;
}

/** The reasons a snapshot records for a list it could not make. */
export type SnapshotReason = 'forbidden' | 'notServed' | 'unavailable';
const snapshotWhy: Record<SnapshotReason, string> = { forbidden: 'forbidden', notServed: 'not served by the cluster', unavailable: 'its API was unavailable' };

function snapshotInfo(objects: KubeObject[]): SnapshotFacts | null {
  const info = objects.find((o) => o.kind === SNAPSHOT_INFO.kind && o.apiVersion === SNAPSHOT_INFO.apiVersion);
  if (!info) return null;
  const unreadable = Array.isArray(info.unreadable) ? info.unreadable.filter((x): x is string => typeof x === 'string') : [];
  const reasons: Record<string, SnapshotReason> = {};
  const recorded = typeof info.reasons === 'object' && info.reasons !== null ? (info.reasons as Record<string, unknown>) : {};
  for (const [key, reason] of Object.entries(recorded)) if (typeof reason === 'string' && reason in snapshotWhy) reasons[key] = reason as SnapshotReason;
  const at = typeof info.capturedAt === 'string' ? new Date(info.capturedAt) : undefined;
  return { unreadable, reasons, ...(at && !Number.isNaN(at.getTime()) ? { capturedAt: at } : {}) };
}
