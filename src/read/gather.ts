// What to read for a command, from either source: the Flux objects in scope (following dependsOn into other
// namespaces), then, only when the output needs them, other objects by kind and namespace. Lists run in
// parallel; what cannot be read becomes a warning and the answer is drawn from the rest.
import { dependenciesOf, fluxApis, fluxKindOf, sourceObjectsOf, type FluxKind } from '../model/flux.ts';
import { objectId, type KubeObject } from '../model/objects.ts';
import { sourcePlan, type SourcePlan } from '../model/targets.ts';
import { isNotServed, unreadAt, worthWarning, type Unread } from '../model/unread.ts';
import type { ListQuery, ListResult, Reader } from './reader.ts';

export interface Scope {
  namespace: string;
  allNamespaces: boolean;
}

export interface Gathered {
  objects: KubeObject[];
  warnings: string[];
  /** What could not be read, and why: what is missing there is unknown, not absent (unless not served). */
  unreadable?: Unread[];
  /** The LISTs whose answers these are (cluster-wide, or namespace by namespace): what a watch of them watches. */
  queries?: ListQuery[];
}

const fluxKinds = Object.keys(fluxApis) as FluxKind[];
const fluxQuery = (kind: FluxKind, namespace?: string): ListQuery => ({
  apiVersion: `${fluxApis[kind].group}/${fluxApis[kind].version}`,
  kind,
  ...(namespace === undefined ? {} : { namespace }),
});

/** Kustomizations and HelmReleases in scope, and those in other namespaces that they depend on. */
export async function readFluxObjects(reader: Reader, scope: Scope): Promise<Gathered & { queries: ListQuery[] }> {
  const out: Gathered & { queries: ListQuery[] } = { objects: [], warnings: [], queries: [] };
  const read = new Set<string>();
  if (scope.allNamespaces) {
    const queries = fluxKinds.map((k) => fluxQuery(k));
    const results = await Promise.all(queries.map((q) => reader.list(q)));
    const forbidden = results.some((r) => r.reason === 'forbidden');
    if (!forbidden) {
      results.forEach((r, i) => add(out, r, queries[i] as ListQuery));
      out.queries.push(...queries);
      return out;
    }
    // Cluster-wide LIST refused: read namespace by namespace, as far as RBAC allows.
    const namespaces = await reader.namespaces();
    if (!namespaces) {
      out.warnings.push('forbidden to list across namespaces or to list namespaces: showing nothing; use -n NAMESPACE');
      return out;
    }
    await readNamespaces(reader, namespaces, read, out);
  } else {
    await readNamespaces(reader, [scope.namespace], read, out);
  }
  // Follow dependsOn into namespaces not read yet, until nothing new is needed.
  for (;;) {
    const wanted = namespacesToFollow(out.objects, read, scope.namespace);
    if (wanted.length === 0) return out;
    await readNamespaces(reader, wanted, read, out);
  }
}

/** Namespaces that Flux objects' dependsOn entries lead into, not in `read` yet, sorted. */
export function namespacesToFollow(objects: KubeObject[], read: ReadonlySet<string>, defaultNamespace: string): string[] {
  const wanted = new Set<string>();
  for (const obj of objects) {
    const kind = fluxKindOf(obj);
    if (!kind) continue;
    for (const d of dependenciesOf(obj, kind, obj.metadata?.namespace ?? defaultNamespace)) {
      if ((fluxKinds as string[]).includes(d.ref.kind) && !read.has(d.ref.namespace)) wanted.add(d.ref.namespace);
    }
  }
  return [...wanted].sort();
}

/** The LISTs of every Flux kind in one namespace. */
export function fluxQueries(namespace: string): ListQuery[] {
  return fluxKinds.map((k) => fluxQuery(k, namespace));
}

async function readNamespaces(reader: Reader, namespaces: string[], read: Set<string>, out: Gathered & { queries: ListQuery[] }): Promise<void> {
  namespaces.forEach((ns) => read.add(ns));
  const queries = namespaces.flatMap(fluxQueries);
  out.queries.push(...queries);
  const results = await Promise.all(queries.map((q) => reader.list(q)));
  results.forEach((r, i) => add(out, r, queries[i] as ListQuery));
}

export interface ObjectRef {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
}

/** Every object of a kind in a namespace that `keep` accepts: a Helm release's objects, by what Helm marks them with. */
export interface KindQuery extends ListQuery {
  keep: (obj: KubeObject) => boolean;
}

/**
 * The named objects, and those the kind queries keep, read with one LIST per kind and namespace (refs may repeat,
 * and share LISTs with the kind queries); missing ones are simply absent.
 */
export async function readObjects(reader: Reader, refs: ObjectRef[], kinds: KindQuery[] = []): Promise<Gathered> {
  const out: Gathered = { objects: [], warnings: [], queries: [] };
  const queries = queriesFor(refs);
  for (const k of kinds) {
    if (!queries.some((q) => queryKey(q) === queryKey(k))) queries.push({ apiVersion: k.apiVersion, kind: k.kind, ...(k.namespace ? { namespace: k.namespace } : {}) });
  }
  const results = await Promise.all(queries.map((q) => reader.list(q)));
  results.forEach((r, i) => {
    const q = queries[i] as ListQuery;
    out.queries?.push(q);
    noteUnread(out, r, q);
  });
  const named = new Set(pick(refs, results.flatMap((r) => r.items)));
  const kept = results.flatMap((r, i) => {
    const wanting = kinds.filter((k) => queryKey(k) === queryKey(queries[i] as ListQuery));
    return wanting.length ? r.items.filter((o) => !named.has(o) && wanting.some((k) => k.keep(o))) : [];
  });
  out.objects.push(...named, ...kept);
  return out;
}

/** One LIST per kind and namespace that the refs name, in the order first named. */
export function queriesFor(refs: ObjectRef[]): ListQuery[] {
  const queries = new Map<string, ListQuery>();
  for (const r of refs) {
    const key = queryKey({ apiVersion: r.apiVersion, kind: r.kind, ...(r.namespace ? { namespace: r.namespace } : {}) });
    if (!queries.has(key)) queries.set(key, { apiVersion: r.apiVersion, kind: r.kind, ...(r.namespace ? { namespace: r.namespace } : {}) });
  }
  return [...queries.values()];
}

/** A query's identity, for sets of them. */
export function queryKey(q: ListQuery): string {
  return `${q.apiVersion}|${q.kind}|${q.namespace ?? ''}`;
}

/** The objects among `candidates` that the refs name. */
export function pick(refs: ObjectRef[], candidates: KubeObject[]): KubeObject[] {
  const ids = new Set(refs.map((r) => objectId(r.kind, r.namespace || undefined, r.name)));
  return candidates.filter((o) => ids.has(objectId(o.kind ?? '', o.metadata?.namespace, o.metadata?.name ?? '')));
}

function add(out: Gathered, r: ListResult, q: ListQuery): void {
  out.objects.push(...r.items);
  noteUnread(out, r, q);
}

/**
 * A list that could not be read: its warning (once: the LISTs of one group version share a failed discovery)
 * and what the model is told, with why.
 */
export function noteUnread(out: Pick<Gathered, 'warnings' | 'unreadable'>, r: ListResult, q: ListQuery): void {
  if (!r.unreadable) return;
  if (worthWarning(r.reason) && !out.warnings.includes(r.unreadable)) out.warnings.push(r.unreadable);
  (out.unreadable ??= []).push(unreadOf(q, r));
}

/** What the model is told of a query that could not be read. */
export function unreadOf(q: ListQuery, r: ListResult): Unread {
  return { kind: q.kind, apiVersion: q.apiVersion, namespace: q.namespace ?? '', reason: r.reason ?? 'unrecorded' };
}

/** Non-Flux objects that dependsOn entries name with an explicit kind (Flux's proposed cross-kind dependencies). */
export function crossKindTargets(objects: KubeObject[], defaultNamespace: string): ObjectRef[] {
  return objects.flatMap((obj) => {
    const kind = fluxKindOf(obj);
    if (!kind) return [];
    return dependenciesOf(obj, kind, obj.metadata?.namespace || defaultNamespace)
      .filter((d) => d.explicitKind && !(fluxKinds as string[]).includes(d.ref.kind) && d.ref.apiVersion)
      .map((d) => ({ apiVersion: d.ref.apiVersion as string, kind: d.ref.kind, namespace: d.ref.namespace, name: d.ref.name }));
  });
}

/** The sources (and HelmCharts) the given Flux objects read: tree reads them to judge revisions as why-blocked does. */
export function sourceTargets(objects: KubeObject[], defaultNamespace: string): ObjectRef[] {
  return objects.flatMap((obj) => {
    const kind = fluxKindOf(obj);
    return kind ? sourceObjectsOf(obj, kind, obj.metadata?.namespace || defaultNamespace) : [];
  });
}

/**
 * What `reconcile --with-source` reconciles before each level's objects (model/targets.ts sourcePlan), reading what
 * the plans need to look at: the sources, then a chartRef HelmChart's own source (a second round only for those).
 */
export async function readSourcePlans(reader: Reader, levels: KubeObject[][]): Promise<{ plans: SourcePlan[]; warnings: string[] }> {
  const read = new Map<string, KubeObject | null>();
  const warnings: string[] = [];
  for (;;) {
    const plans = levels.map((objects) => sourcePlan(objects, (id) => read.get(id)));
    const unread = plans.flatMap((p) => p.unread);
    if (unread.length === 0) return { plans, warnings };
    const got = await readObjects(reader, unread);
    warnings.push(...got.warnings);
    // One that could not be read (RBAC) is still asked for: the annotation then says whether that is allowed.
    const unreadable = got.unreadable ?? [];
    for (const r of unread) {
      const u = unreadAt(unreadable, r.kind, r.namespace);
      read.set(objectId(r.kind, r.namespace, r.name), u && !isNotServed(u) ? { kind: r.kind, metadata: { name: r.name, namespace: r.namespace } } : null);
    }
    for (const o of got.objects) read.set(objectId(o.kind ?? '', o.metadata?.namespace, o.metadata?.name ?? ''), o);
  }
}
