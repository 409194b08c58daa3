// Which objects a waiting command acts on: named REFs, a label selector, or everything in scope; optionally with
// their whole upstream. Pure: from the graph of what was read.
import { NotFoundError, UsageError } from '../errors.ts';
import { fluxApis, type FluxKind, type Ref } from './flux.ts';
import { compareIds, type Graph } from './graph.ts';
import { objectId } from './objects.ts';
import { parseSelector } from './selector.ts';
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

/** The chosen targets, in id order; throws NotFoundError naming every REF that does not exist. */
export function chooseTargets(graph: Graph, choice: TargetChoice): Target[] {
  const ids = new Set<string>();
  const missing: string[] = [];
  for (const r of choice.refs) {
    const id = objectId(r.kind, r.namespace, r.name);
    if (graph.nodes.get(id)?.found) ids.add(id);
    else missing.push(`${r.kind} ${r.namespace}/${r.name}`);
  }
  if (missing.length) throw new NotFoundError(`${missing.join(', ')} not found`);
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
