// lint --from: objects with the file and line each came from (for SARIF), a directory read as every --from reads
// one (read/files.ts: kustomize's own kustomization.yaml and documents that are no Kubernetes object skipped), and
// what each Kustomization applies, followed from its spec.path through kustomization.yaml `resources:` lists.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { isMap, isSeq, LineCounter, parseAllDocuments } from 'yaml';
import { UsageError } from '../errors.ts';
import { compareStrings, type KubeObject } from '../model/objects.ts';
import { asObject, inputFiles, isKubeList, kustomizeFiles } from './files.ts';

export interface Located {
  objects: KubeObject[];
  /** Where each object was read: the file (relative to the working directory) and its first line. */
  locations: Map<KubeObject, { file: string; line: number }>;
  /** The objects of each file read, by absolute path: what spec.path leads to. */
  byFile: Map<string, KubeObject[]>;
  /** The directory given, if a directory was: a repository tree whose spec.paths can be followed. */
  root?: string;
}

/** Every object under `path` (a file, a directory read recursively, or `-`), with where it was read. */
export function loadLocated(path: string, readStdin: () => string, cwd: string): Located {
  const out: Located = { objects: [], locations: new Map(), byFile: new Map() };
  if (path === '-') {
    out.objects.push(...parseLocated(readStdin(), 'standard input', false).map((l) => l.object));
    return out;
  }
  const { files, directory } = inputFiles(path);
  if (directory) out.root = resolve(path);
  for (const file of files) {
    const located = parseLocated(readFileSync(file, 'utf8'), file, directory);
    const uri = uriOf(file, cwd);
    for (const l of located) out.locations.set(l.object, { file: uri, line: l.line });
    out.objects.push(...located.map((l) => l.object));
    out.byFile.set(resolve(file), located.map((l) => l.object));
  }
  return out;
}

/** A repository path as SARIF wants it: relative, with forward slashes, when it is under the working directory. */
function uriOf(file: string, cwd: string): string {
  const rel = relative(cwd, resolve(file));
  return rel.startsWith('..') || isAbsolute(rel) ? `file://${resolve(file)}` : rel.split(sep).join('/');
}

/**
 * The Kubernetes objects of one file's text, Lists flattened, each with the line it starts on; documents that are
 * no object are skipped when `lenient` (a file in a directory), else an error (read/files.ts's rule).
 */
export function parseLocated(text: string, source: string, lenient: boolean): Array<{ object: KubeObject; line: number }> {
  const lines = new LineCounter();
  const out: Array<{ object: KubeObject; line: number }> = [];
  parseAllDocuments(text, { lineCounter: lines }).forEach((doc, i) => {
    const error = doc.errors[0];
    if (error) throw new UsageError(`${source}: document ${i + 1}: ${error.message.split('\n')[0]} (line ${(error.linePos?.[0]?.line ?? 0)})`);
    const value = doc.toJS({ maxAliasCount: -1 }) as unknown;
    const lineOf = (node: unknown) => lines.linePos((node as { range?: [number] })?.range?.[0] ?? 0).line;
    if (isKubeList(value) && isMap(doc.contents)) {
      const items = doc.contents.get('items', true);
      value.items.forEach((item, j) => {
        const object = asObject(item, source, i + 1, lenient);
        if (object) out.push({ object, line: isSeq(items) ? lineOf(items.items[j]) : lineOf(doc.contents) });
      });
    } else {
      const object = asObject(value, source, i + 1, lenient);
      if (object) out.push({ object, line: lineOf(doc.contents) });
    }
  });
  return out;
}

// Cluster-scoped kinds that a kustomization's or a Kustomization's namespace does not change.
const clusterScoped = new Set(['CustomResourceDefinition', 'Namespace', 'ClusterRole', 'ClusterRoleBinding', 'ClusterIssuer', 'StorageClass', 'PriorityClass',
  'PersistentVolume', 'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'APIService', 'IngressClass', 'RuntimeClass', 'ClusterPolicy']);

export interface Followed {
  objects: KubeObject[];
  /** What could not be followed (a remote base, a path outside the tree, a missing file). */
  problems: string[];
}

/**
 * What a Kustomization with `path` applies, from the tree at `root`: the resources its kustomization.yaml lists
 * (files and directories, recursively), else, as kustomize-controller generates one, every manifest under it.
 * `undefined` when the path is not in the tree.
 */
export function followPath(located: Located, path: string, targetNamespace: string | undefined): Followed | undefined {
  const root = located.root;
  if (!root) return undefined;
  const dir = resolve(root, path.replace(/^(\.\/|\/)+/, '') || '.');
  if (!within(root, dir) || !existsSync(dir) || !statSync(dir).isDirectory()) return undefined;
  const out: Followed = { objects: [], problems: [] };
  followDir(located, root, dir, out, new Set());
  if (targetNamespace) out.objects = out.objects.map((o) => inNamespace(o, targetNamespace));
  return out;
}

function followDir(located: Located, root: string, dir: string, out: Followed, seen: Set<string>): void {
  if (seen.has(dir)) return;
  seen.add(dir);
  const file = kustomizeFiles.map((f) => join(dir, f)).find((f) => existsSync(f));
  if (!file) {
    // kustomize-controller's generated kustomization: every manifest here, and each sub-directory with its own
    // kustomization.yaml as a base.
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => compareStrings(a.name, b.name))) {
      const full = join(dir, e.name);
      if (e.isDirectory() && !e.name.startsWith('.')) followDir(located, root, full, out, seen);
      else if (/\.(ya?ml|json)$/.test(e.name)) out.objects.push(...(located.byFile.get(full) ?? []));
    }
    return;
  }
  let config: { resources?: unknown; components?: unknown; namespace?: unknown };
  try {
    config = (parseAllDocuments(readFileSync(file, 'utf8'))[0]?.toJS() ?? {}) as typeof config;
  } catch {
    out.problems.push(`${rel(root, file)} could not be parsed`);
    return;
  }
  const start = out.objects.length;
  const entries = [...(Array.isArray(config.resources) ? config.resources : []), ...(Array.isArray(config.components) ? config.components : [])];
  for (const entry of entries) {
    if (typeof entry !== 'string') continue;
    if (/^[a-z]+:\/\/|^git@|^github\.com\/|\?ref=/.test(entry)) {
      out.problems.push(`${rel(root, file)}: remote resource ${entry} is not followed`);
      continue;
    }
    const target = resolve(dir, entry);
    if (!within(root, target)) out.problems.push(`${rel(root, file)}: ${entry} is outside the tree`);
    else if (!existsSync(target)) out.problems.push(`${rel(root, file)}: ${entry} does not exist`);
    else if (statSync(target).isDirectory()) followDir(located, root, target, out, seen);
    else out.objects.push(...(located.byFile.get(target) ?? []));
  }
  if (typeof config.namespace === 'string' && config.namespace) {
    const ns = config.namespace;
    out.objects.splice(start, out.objects.length - start, ...out.objects.slice(start).map((o) => inNamespace(o, ns)));
  }
}

function inNamespace(o: KubeObject, namespace: string): KubeObject {
  if (clusterScoped.has(o.kind ?? '') || o.metadata?.namespace === namespace) return o;
  return { ...o, metadata: { ...o.metadata, namespace } };
}

const within = (root: string, p: string) => p === root || p.startsWith(root + sep);
const rel = (root: string, p: string) => relative(root, p).split(sep).join('/') || '.';
