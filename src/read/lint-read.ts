// lint's read plan: the Flux objects in scope (with a REF, its upstream decides the rest), then in one round of
// parallel LISTs their sources, cross-kind targets, the workloads, HelmReleases and Kustomizations their health
// checks can wait on (the inventory's with wait: true, else spec.healthChecks), and the Deployments and Jobs in HelmReleases'
// target namespaces (Helm's own wait). The same plan serves the live cluster and --from files.
import { fluxKindOf, healthChecksOf, HELMRELEASE, KUSTOMIZATION } from '../model/flux.ts';
import { buildGraph } from '../model/graph.ts';
import { inventoryOf } from '../model/inventory.ts';
import { objectId, type KubeObject } from '../model/objects.ts';
import { isNotServed, unreadAt, type Unread } from '../model/unread.ts';
import { closure } from '../model/walk.ts';
import * as gather from './gather.ts';
import type { ListQuery, Reader } from './reader.ts';

export interface LintRead {
  objects: KubeObject[];
  warnings: string[];
  unreadable: Unread[];
  /** Source kinds listed without error, as `Kind/namespace`. */
  sourcesRead: string[];
  /** The Flux objects linted: REF and its upstream, or all. */
  focus: KubeObject[];
}

const timed = new Set(['Deployment', 'Job', HELMRELEASE, KUSTOMIZATION]);
const apiVersions: Record<string, string> = { Deployment: 'apps/v1', Job: 'batch/v1' };

/** Reads what lint checks, in two rounds of parallel LISTs. */
export async function readLint(reader: Reader, scope: gather.Scope, ref?: string): Promise<LintRead> {
  const flux = await gather.readFluxObjects(reader, scope);
  const unreadable = [...(flux.unreadable ?? [])];
  let focus = flux.objects;
  if (ref) {
    const ids = closure(buildGraph(flux.objects, scope.namespace, unreadable), [ref], 'upstream');
    focus = flux.objects.filter((o) => ids.has(idOf(o, scope.namespace)));
  }
  const sources = gather.sourceTargets(focus, scope.namespace).filter((r) => r.kind !== 'HelmChart');
  // A health-checked Kustomization or HelmRelease read already (with its dependencies) is not read again.
  const checked = focus.flatMap((o) => healthObjects(o, scope.namespace)).filter((r) => !((r.kind === HELMRELEASE || r.kind === KUSTOMIZATION) && flux.objects.some((f) => idOf(f, scope.namespace) === objectId(r.kind, r.namespace, r.name))));
  const [more, charts] = await Promise.all([
    gather.readObjects(reader, [...sources, ...gather.crossKindTargets(focus, scope.namespace), ...checked]),
    helmWorkloads(reader, focus, scope.namespace),
  ]);
  const sourceQueries = gather.queriesFor(sources);
  const failed = more.unreadable ?? [];
  return {
    objects: [...flux.objects, ...more.objects, ...charts.objects],
    focus,
    warnings: [...flux.warnings, ...more.warnings, ...charts.warnings],
    unreadable: [...unreadable, ...(more.unreadable ?? []), ...charts.unreadable],
    // A source kind not served was read as well as can be: nothing of it exists.
    sourcesRead: sourceQueries.filter((q) => { const u = unreadAt(failed, q.kind, q.namespace); return !u || isNotServed(u); }).map((q) => `${q.kind}/${q.namespace ?? ''}`),
  };
}

function idOf(o: KubeObject, defaultNamespace: string): string {
  return objectId(o.kind ?? '', o.metadata?.namespace || defaultNamespace, o.metadata?.name ?? '');
}

/** The objects a Kustomization's health checks wait on whose deadlines lint compares with its timeout. */
function healthObjects(o: KubeObject, defaultNamespace: string): gather.ObjectRef[] {
  if (fluxKindOf(o) !== KUSTOMIZATION) return [];
  const namespace = o.metadata?.namespace || defaultNamespace;
  const refs = o.spec?.wait === true
    ? inventoryOf(o.status).map((r) => ({ apiVersion: r.apiVersion, kind: r.kind, namespace: r.namespace, name: r.name }))
    : healthChecksOf(o, namespace);
  return refs.filter((r) => timed.has(r.kind));
}

/** Deployments and Jobs that Helm installed, in the target namespaces of HelmReleases that wait. */
async function helmWorkloads(reader: Reader, focus: KubeObject[], defaultNamespace: string): Promise<{ objects: KubeObject[]; warnings: string[]; unreadable: Unread[] }> {
  const namespaces = new Set<string>();
  for (const o of focus) {
    if (fluxKindOf(o) !== HELMRELEASE || (o.spec?.install?.disableWait === true && o.spec?.upgrade?.disableWait === true)) continue;
    namespaces.add(typeof o.spec?.targetNamespace === 'string' && o.spec.targetNamespace ? o.spec.targetNamespace : o.metadata?.namespace || defaultNamespace);
  }
  const queries: ListQuery[] = [...namespaces].sort().flatMap((namespace) => Object.entries(apiVersions).map(([kind, apiVersion]) => ({ apiVersion, kind, namespace })));
  const results = await Promise.all(queries.map((q) => reader.list(q)));
  const out: { objects: KubeObject[]; warnings: string[]; unreadable?: Unread[] } = { objects: [], warnings: [] };
  results.forEach((r, i) => {
    out.objects.push(...r.items.filter((o) => typeof o.metadata?.annotations?.['meta.helm.sh/release-name'] === 'string'));
    gather.noteUnread(out, r, queries[i] as ListQuery);
  });
  return { ...out, unreadable: out.unreadable ?? [] };
}
