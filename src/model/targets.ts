// Which objects a waiting command acts on: named REFs, a label selector, or everything in scope; optionally with
// their whole upstream. Pure: from the graph of what was read.
import { NotFoundError, UsageError } from '../errors.ts';
import { fluxApis, fluxKindOf, KUSTOMIZATION, sourceRefOf, type FluxKind, type Ref } from './flux.ts';
import { compareIds, type Graph } from './graph.ts';
import { objectId, type KubeObject } from './objects.ts';
import { parseSelector } from './selector.ts';
import { isNotServed, missingObjectError, notServedMessage, unreadAt } from './unread.ts';
import { closure } from './walk.ts';

export interface TargetChoice {
  refs: Ref[];
  selector?: string;
  all: boolean;
  namespace: string;
  allNamespaces: boolean;
  withUpstream: boolean;
}

export interface Target {
  id: string;
  kind: FluxKind;
  apiVersion: string;
  namespace: string;
  name: string;
  source?: Ref;
}

/** The chosen targets, in id order; throws NotFoundError naming every REF that does not exist (ClusterError: unreadable). */
export function chooseTargets(graph: Graph, choice: TargetChoice): Target[] {
  const ids = new Set<string>();
  const missing: string[] = [];
  const notServed: string[] = [];
  for (const r of choice.refs) {
    const id = objectId(r.kind, r.namespace, r.name);
    if (graph.nodes.get(id)?.found) {
      ids.add(id);
      continue;
    }
    // One that could not be read is an access error (4); one of a kind not served is missing, and says why.
    const u = unreadAt(graph.unread, r.kind, r.namespace);
    if (u && !isNotServed(u)) throw missingObjectError(r, graph.unread);
    if (u) notServed.push(notServedMessage(u, r.namespace, r.name));
    else missing.push(`${r.kind} ${r.namespace}/${r.name}`);
  }
  if (missing.length || notServed.length) throw new NotFoundError([...(missing.length ? [`${missing.join(', ')} not found`] : []), ...notServed].join('; '));
  if (choice.selector || choice.all) {
    const selected = choice.selector ? parseSelector(choice.selector) : () => true;
    for (const n of graph.nodes.values()) {
      const inScope = choice.allNamespaces || n.namespace === choice.namespace;
      if (n.found && n.object && inScope && selected(n.object.metadata?.labels)) ids.add(n.id);
    }
  }
  if (ids.size === 0) {
    if (choice.selector) throw new NotFoundError(`no Kustomizations or HelmReleases match ${choice.selector}`);
    throw new UsageError('name at least one REF, or use -l SELECTOR or --all');
  }
  const chosen = choice.withUpstream ? closure(graph, ids, 'upstream') : ids;
  return [...chosen].sort(compareIds).flatMap((id) => targetOf(graph, id) ?? []);
}

/** The found Kustomization or HelmRelease `id` as a target, if it is one. */
export function targetOf(graph: Graph, id: string): Target | undefined {
  const n = graph.nodes.get(id);
  if (!n?.found || !(n.kind in fluxApis)) return undefined;
  const kind = n.kind as FluxKind;
  const api = fluxApis[kind];
  return { id, kind, apiVersion: `${api.group}/${api.version}`, namespace: n.namespace, name: n.name, ...(n.source ? { source: n.source } : {}) };
}

/** A source `--with-source` reconciles: a GitRepository, OCIRepository, Bucket, HelmRepository or HelmChart. */
export interface SourceTarget {
  id: string;
  kind: string;
  apiVersion: string;
  namespace: string;
  name: string;
}

export interface SourcePlan {
  /** In order: the repositories, then the HelmCharts built from them; each stage's objects in parallel. */
  stages: [SourceTarget[], SourceTarget[]];
  /** Sources left out, each with why (one line). */
  skipped: string[];
  /** Sources to look at (a HelmRepository's type, a HelmChart's own source) that were not read yet. */
  unread: Array<Omit<SourceTarget, 'id'>>;
  /** Sources in the plan that are suspended: flux reconcile refuses them, and so does reconcile. */
  suspended: string[];
}

/** An object as read: undefined when not read yet, null when read and not there. */
export type ReadLookup = (id: string) => KubeObject | null | undefined;

const sourceApiVersion = 'source.toolkit.fluxcd.io/v1';
const repositories = new Set(['GitRepository', 'OCIRepository', 'Bucket', 'HelmRepository']);

/**
 * What `--with-source` reconciles before the given Kustomizations and HelmReleases, as `flux reconcile
 * helmrelease --with-source` does (flux2 reconcile_helmrelease.go): a Kustomization's source; a HelmRelease's chart
 * source (HelmRepository, GitRepository, Bucket) and then the HelmChart helm-controller made from its template
 * (`<namespace>-<name>`, in the source's namespace), or its chartRef: an OCIRepository, or a HelmChart after that
 * chart's own source. A HelmRepository of type oci has no reconciler (flux: "reconciliation not supported").
 */
export function sourcePlan(objects: KubeObject[], lookup: ReadLookup): SourcePlan {
  const plan: SourcePlan = { stages: [[], []], skipped: [], unread: [], suspended: [] };
  const add = (stage: 0 | 1, kind: string, namespace: string, name: string) => {
    const t = { id: objectId(kind, namespace, name), kind, apiVersion: sourceApiVersion, namespace, name };
    const read = lookup(t.id);
    if (read === undefined) return void plan.unread.push({ kind, apiVersion: sourceApiVersion, namespace, name });
    if (read === null) return void plan.skipped.push(`${t.id} not found${kind === 'HelmChart' ? ' (helm-controller creates it when it reconciles the HelmRelease)' : ''}`);
    if (kind === 'HelmRepository' && read.spec?.type === 'oci') return void plan.skipped.push(`${t.id} is of type oci: source-controller does not reconcile it`);
    if (read.spec?.suspend === true && !plan.suspended.includes(t.id)) plan.suspended.push(t.id);
    if (!plan.stages[stage].some((s) => s.id === t.id)) plan.stages[stage].push(t);
    return read;
  };
  const chartSource = (namespace: string, ref: { kind?: unknown; name?: unknown } | undefined) => {
    if (typeof ref?.kind !== 'string' || typeof ref.name !== 'string') return;
    if (repositories.has(ref.kind) && ref.kind !== 'OCIRepository') add(0, ref.kind, namespace, ref.name);
    else plan.skipped.push(`cannot reconcile a chart source of kind ${ref.kind} (${objectId(ref.kind, namespace, ref.name)})`);
  };
  for (const obj of objects) {
    const kind = fluxKindOf(obj);
    const namespace = obj.metadata?.namespace ?? '';
    const source = kind && sourceRefOf(obj, kind, namespace);
    if (!kind || !source) continue;
    if (kind === KUSTOMIZATION || obj.spec?.chartRef) {
      if (source.kind === 'HelmChart') {
        const chart = add(1, 'HelmChart', source.namespace, source.name);
        if (chart) chartSource(source.namespace, chart.spec?.sourceRef);
      } else if (repositories.has(source.kind) && source.kind !== 'HelmRepository') add(0, source.kind, source.namespace, source.name);
      else plan.skipped.push(`cannot reconcile source of kind ${source.kind} (${objectId(source.kind, source.namespace, source.name)})`);
      continue;
    }
    chartSource(source.namespace, obj.spec?.chart?.spec?.sourceRef);
    add(1, 'HelmChart', source.namespace, `${namespace}-${obj.metadata?.name ?? ''}`);
  }
  return plan;
}
