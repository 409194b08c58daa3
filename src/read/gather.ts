// What to read for a command, from either source: the Flux objects in scope (following dependsOn into other
// namespaces), then, only when the output needs them, other objects by kind and namespace. Lists run in
// parallel; what cannot be read becomes a warning and the answer is drawn from the rest.
import { dependenciesOf, fluxApis, fluxKindOf, sourceObjectsOf, type FluxKind } from '../model/flux.ts';
import { objectId, type KubeObject } from '../model/objects.ts';
import type { ListQuery, Reader } from './reader.ts';

export interface Scope {
  namespace: string;
  allNamespaces: boolean;
}

export interface Gathered {
  objects: KubeObject[];
  warnings: string[];
  /** `Kind/namespace` pairs that could not be read: what is missing there is unknown, not absent. */
  unreadable?: string[];
}

const fluxKinds = Object.keys(fluxApis) as FluxKind[];
const fluxQuery = (kind: FluxKind, namespace?: string): ListQuery => ({
  apiVersion: `${fluxApis[kind].group}/${fluxApis[kind].version}`,
  kind,
  ...(namespace === undefined ? {} : { namespace }),
});

/** Kustomizations and HelmReleases in scope, and those in other namespaces that they depend on. */
export async function readFluxObjects(reader: Reader, scope: Scope): Promise<Gathered> {
  const out: Gathered = { objects: [], warnings: [] };
  const read = new Set<string>();
  if (scope.allNamespaces) {
    const results = await Promise.all(fluxKinds.map((k) => reader.list(fluxQuery(k))));
    const forbidden = results.some((r) => r.unreadable?.startsWith('forbidden'));
    if (!forbidden) {
      results.forEach((r) => add(out, r));
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
    const wanted = new Set<string>();
    for (const obj of out.objects) {
      const kind = fluxKindOf(obj);
      if (!kind) continue;
      for (const d of dependenciesOf(obj, kind, obj.metadata?.namespace ?? scope.namespace)) {
        if ((fluxKinds as string[]).includes(d.ref.kind) && !read.has(d.ref.namespace)) wanted.add(d.ref.namespace);
      }
    }
    if (wanted.size === 0) return out;
    await readNamespaces(reader, [...wanted].sort(), read, out);
  }
}

async function readNamespaces(reader: Reader, namespaces: string[], read: Set<string>, out: Gathered): Promise<void> {
  namespaces.forEach((ns) => read.add(ns));
  const queries = namespaces.flatMap((ns) => fluxKinds.map((k) => fluxQuery(k, ns)));
  const results = await Promise.all(queries.map((q) => reader.list(q)));
  results.forEach((r, i) => {
    add(out, r);
    if (r.unreadable) (out.unreadable ??= []).push(`${queries[i]?.kind}/${queries[i]?.namespace}`);
  });
}

export interface ObjectRef {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
}

/** The named objects, read with one LIST per kind and namespace (refs may repeat); missing ones are simply absent. */
export async function readObjects(reader: Reader, refs: ObjectRef[]): Promise<Gathered> {
  const out: Gathered = { objects: [], warnings: [] };
  const groups = new Map<string, { query: ListQuery; ids: Set<string> }>();
  for (const r of refs) {
    const key = `${r.apiVersion}|${r.kind}|${r.namespace}`;
    const group = groups.get(key) ?? { query: { apiVersion: r.apiVersion, kind: r.kind, ...(r.namespace ? { namespace: r.namespace } : {}) }, ids: new Set() };
    group.ids.add(objectId(r.kind, r.namespace || undefined, r.name));
    groups.set(key, group);
  }
  const results = await Promise.all([...groups.values()].map(async (g) => ({ g, r: await reader.list(g.query) })));
  for (const { g, r } of results) {
    if (r.unreadable) {
      out.warnings.push(r.unreadable);
      (out.unreadable ??= []).push(`${g.query.kind}/${g.query.namespace ?? ''}`);
    }
    for (const o of r.items) if (g.ids.has(objectId(o.kind ?? '', o.metadata?.namespace, o.metadata?.name ?? ''))) out.objects.push(o);
  }
  return out;
}

function add(out: Gathered, r: { items: KubeObject[]; unreadable?: string }): void {
  out.objects.push(...r.items);
  if (r.unreadable && !out.warnings.includes(r.unreadable)) out.warnings.push(r.unreadable);
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
