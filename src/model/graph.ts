// The dependsOn graph: Flux objects as nodes, typed dependency edges, missing dependencies as NotFound nodes.
// Pure: built from plain objects, so live clusters and --from files give the same graph.
import {
  dependenciesOf, fluxKindOf, isSuspended, readinessOf, revisionOf, sourceRefOf,
  type ReadyStatus, type Ref,
} from './flux.ts';
import { compareStrings, objectId, type KubeObject } from './objects.ts';
import { cannotRead, isNotServed, notServedMessage, unreadAt, type Unread, type UnreadReason } from './unread.ts';

export interface GraphNode {
  id: string;
  kind: string;
  namespace: string;
  name: string;
  found: boolean;
  ready: ReadyStatus;
  reason: string;
  message: string;
  /** When the Ready condition last changed. */
  since?: string;
  suspended: boolean;
  revision: string;
  source?: Ref;
  object?: KubeObject;
  /** Not listed yet by its watch (tree --watch): neither found nor missing, so never claimed either. */
  pending?: true;
  /** Its kind could not be read there, and why: its existence and state are unknown. */
  unread?: UnreadReason;
}

/** `from` depends on `to`. */
export interface Edge {
  from: string;
  to: string;
  readyExpr?: string;
}

export interface Graph {
  nodes: Map<string, GraphNode>;
  edges: Edge[];
  /** Edges out of each node (what it depends on), in spec order. */
  dependencies: Map<string, Edge[]>;
  /** Edges into each node (what depends on it), sorted by dependent id. */
  dependents: Map<string, Edge[]>;
  /** What could not be read: absence there proves nothing (but a kind not served holds nothing). */
  unread: readonly Unread[];
}

/**
 * Builds the graph of every Kustomization and HelmRelease among `objects`; others serve as dependency targets.
 * `unread` is what could not be read (and why); `pending` are `Kind/namespace` keys not listed yet.
 */
export function buildGraph(objects: KubeObject[], defaultNamespace: string, unread: readonly Unread[] = [], pending: string[] = []): Graph {
  const nodes = new Map<string, GraphNode>();
  const edges: Edge[] = [];
  const others = new Map<string, KubeObject>();

  for (const obj of objects) {
    const name = obj.metadata?.name;
    if (!name || !obj.kind) continue;
    const namespace = obj.metadata?.namespace || defaultNamespace;
    const kind = fluxKindOf(obj);
    if (!kind) {
      others.set(objectId(obj.kind, obj.metadata?.namespace, name), obj);
      continue;
    }
    const id = objectId(kind, namespace, name);
    const r = readinessOf(obj);
    nodes.set(id, {
      id, kind, namespace, name, found: true,
      ready: r.ready, reason: r.reason, message: r.message, ...(r.since ? { since: r.since } : {}),
      suspended: isSuspended(obj),
      revision: revisionOf(obj, kind),
      ...optional('source', sourceRefOf(obj, kind, namespace)),
      object: obj,
    });
    for (const dep of dependenciesOf(obj, kind, namespace)) {
      edges.push({ from: id, to: objectId(dep.ref.kind, dep.ref.namespace, dep.ref.name), ...optional('readyExpr', dep.readyExpr) });
    }
  }

  for (const edge of edges) {
    if (nodes.has(edge.to)) continue;
    const [kind = '', namespace = '', name = ''] = edge.to.split('/');
    const other = others.get(edge.to);
    const u = other ? undefined : unreadAt(unread, kind, namespace);
    if (other) nodes.set(edge.to, nonFluxNode(edge.to, kind, namespace, name, other));
    else if (u && isNotServed(u)) nodes.set(edge.to, { ...missingNode(edge.to, kind, namespace, name, nodes), message: notServedMessage(u, namespace, name) });
    else if (u) nodes.set(edge.to, unreadableNode(edge.to, kind, namespace, name, u));
    else if (namesKind(pending, kind, namespace)) nodes.set(edge.to, pendingNode(edge.to, kind, namespace, name));
    else nodes.set(edge.to, missingNode(edge.to, kind, namespace, name, nodes));
  }

  const dependencies = new Map<string, Edge[]>();
  const dependents = new Map<string, Edge[]>();
  for (const id of nodes.keys()) {
    dependencies.set(id, []);
    dependents.set(id, []);
  }
  for (const e of edges) {
    dependencies.get(e.from)?.push(e);
    dependents.get(e.to)?.push(e);
  }
  for (const list of dependents.values()) list.sort((a, b) => compareIds(a.from, b.from));
  return { nodes, edges, dependencies, dependents, unread };
}

function missingNode(id: string, kind: string, namespace: string, name: string, nodes: Map<string, GraphNode>): GraphNode {
  // A dependsOn entry without kind names the dependent's own kind; say so when the name exists as the other kind.
  const twin = [...nodes.values()].find((n) => n.found && n.kind !== kind && n.namespace === namespace && n.name === name);
  const message = twin
    ? `${kind} ${namespace}/${name} not found; ${twin.kind} ${namespace}/${name} exists, but an entry without kind names a ${kind} (depending on another kind is not in released Flux yet)`
    : `${kind} ${namespace}/${name} not found`;
  return { id, kind, namespace, name, found: false, ready: 'Unknown', reason: 'NotFound', message, suspended: false, revision: '' };
}

// A node's reason for each way of not knowing: JSON readers tell refused from unanswered. A snapshot that did not
// record why (taken before snapshots said) says Forbidden, as it did then.
const unreadReasons: Record<UnreadReason, string> = { forbidden: 'Forbidden', notServed: 'NotFound', notInstalled: 'NotFound', unavailable: 'Unavailable', unrecorded: 'Forbidden', listing: 'Listing' };

/** A dependency whose kind could not be read there (forbidden, its API down): its existence and state are unknown. */
function unreadableNode(id: string, kind: string, namespace: string, name: string, u: Unread): GraphNode {
  return { id, kind, namespace, name, found: false, ready: 'Unknown', reason: unreadReasons[u.reason], message: cannotRead(u), suspended: false, revision: '', unread: u.reason };
}

/** A dependency whose kind and namespace a watch has not listed yet: shown as such until it has. */
function pendingNode(id: string, kind: string, namespace: string, name: string): GraphNode {
  const message = `${kind}s in namespace ${namespace} not listed yet`;
  return { id, kind, namespace, name, found: false, ready: 'Unknown', reason: 'Listing', message, suspended: false, revision: '', pending: true };
}

/** Whether `Kind/namespace` keys name this kind here; `Kind/` (a list across namespaces) names it everywhere. */
export function namesKind(keys: readonly string[], kind: string, namespace: string): boolean {
  return keys.length > 0 && (keys.includes(`${kind}/${namespace}`) || keys.includes(`${kind}/`));
}

/** A cross-kind dependency on something that is not a Flux object (a Deployment, say): its Ready condition counts. */
function nonFluxNode(id: string, kind: string, namespace: string, name: string, obj: KubeObject): GraphNode {
  const r = readinessOf(obj);
  return { id, kind, namespace, name, found: true, ready: r.ready, reason: r.reason, message: r.message, suspended: false, revision: '', object: obj };
}

/** Ids in a stable, readable order: by namespace, then kind, then name. */
export function compareIds(a: string, b: string): number {
  return compareStrings(sortKey(a), sortKey(b));
}

// Sorting a large graph compares the same ids many times: split each one once.
const sortKeys = new Map<string, string>();
function sortKey(id: string): string {
  let key = sortKeys.get(id);
  if (key === undefined) {
    const [kind = '', a = '', b] = id.split('/');
    key = b === undefined ? `\u0000${kind}\u0000${a}` : `${a}\u0000${kind}\u0000${b}`;
    sortKeys.set(id, key);
  }
  return key;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
