// lint --from: the input as every --from reads it (read/files.ts judges it, with the same messages and lazily by
// kind, so lint accepts and refuses what tree does), with the file and line each object came from (for SARIF),
// and what each Kustomization applies, followed from its spec.path through kustomization.yaml `resources:` lists.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { CORE_SCHEMA, loadAll } from 'js-yaml';
import { compareStrings, type KubeObject } from '../model/objects.ts';
import { kustomizeFiles, loadInput, type InputPart, type Lines } from './files.ts';

export interface Located {
  parts: InputPart[];
  /** Where each object parsed so far starts. */
  lines: Lines;
  /** Whether the input was standard input: then no object has a file. */
  stdin: boolean;
  /** The parts of each file read, by absolute path: what spec.path leads to. */
  byFile: Map<string, InputPart[]>;
  /** The directory given, if a directory was: a repository tree whose spec.paths can be followed. */
  root?: string;
}

/** The input at `path` (a file, a directory read recursively, or `-`), recording where each object is read. */
export function loadLocated(path: string, readStdin: () => string | Uint8Array): Located {
  const lines: Lines = new Map();
  const parts = loadInput(path, readStdin, lines);
  const byFile = new Map<string, InputPart[]>();
  for (const p of parts) byFile.set(resolve(p.source), [...(byFile.get(resolve(p.source)) ?? []), p]);
  const root = path !== '-' && statSync(path).isDirectory() ? { root: resolve(path) } : {};
  return { parts, lines, stdin: path === '-', byFile, ...root };
}

/** Where an object of the input was read: its file as SARIF wants it, and its first line; none for stdin. */
export function locationOf(located: Located, object: KubeObject, cwd: string): { file: string; line: number } | undefined {
  const at = located.lines.get(object);
  return at && !located.stdin ? { file: uriOf(at.source, cwd), line: at.line } : undefined;
}

/** The objects parsed so far, in the input's order (its files as read, then lines), whatever order lint read them in. */
export function parsedObjects(located: Located): KubeObject[] {
  const order = new Map<string, number>();
  located.parts.forEach((p, i) => order.has(p.source) || order.set(p.source, i));
  const rank = (source: string) => order.get(source) ?? 0;
  return [...located.lines].sort(([, a], [, b]) => rank(a.source) - rank(b.source) || a.line - b.line).map(([o]) => o);
}

/** A repository path as SARIF wants it: relative, with forward slashes, when it is under the working directory. */
function uriOf(file: string, cwd: string): string {
  const rel = relative(cwd, resolve(file));
  return rel.startsWith('..') || isAbsolute(rel) ? `file://${resolve(file)}` : rel.split(sep).join('/');
}

const objectsIn = (located: Located, file: string) => (located.byFile.get(file) ?? []).flatMap((p) => p.objects());

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
      else if (/\.(ya?ml|json)$/.test(e.name)) out.objects.push(...objectsIn(located, full));
    }
    return;
  }
  let config: { resources?: unknown; components?: unknown; namespace?: unknown };
  try {
    config = (loadAll(readFileSync(file, 'utf8'), null, { schema: CORE_SCHEMA })[0] ?? {}) as typeof config;
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
    else out.objects.push(...objectsIn(located, target));
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
