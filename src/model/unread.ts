// What could not be read, by kind and namespace, and why: RBAC refused it, the cluster does not serve the kind,
// or its API did not answer (an aggregated API that is down). Every message about it says the true reason, and
// only a kind the cluster does not serve is known to hold nothing.
import { ClusterError, NotFoundError } from '../errors.ts';
import { fluxApis, type FluxKind } from './flux.ts';

export type UnreadReason =
  | 'forbidden' // RBAC refused the LIST (403)
  | 'notServed' // no such resource type at this apiVersion: no object of it can exist
  | 'notInstalled' // nor any version of its group (a Flux controller not installed): as notServed, and said only when asked for
  | 'unavailable' // its API did not answer (discovery or LIST: 503 from an aggregated API that is down, a 500)
  | 'unrecorded' // a snapshot that could not read it, taken before snapshots said why
  | 'listing'; // a watch has not listed it yet (tree --watch)

export interface Unread {
  kind: string;
  apiVersion: string;
  /** '' for a LIST across namespaces (or of a cluster-scoped kind): it stands for every namespace. */
  namespace: string;
  reason: UnreadReason;
}

/** What was not read about this kind in this namespace, if anything (a LIST across namespaces covers it too). */
export function unreadAt(unread: readonly Unread[], kind: string, namespace: string | undefined): Unread | undefined {
  return unread.find((u) => u.kind === kind && (u.namespace === (namespace ?? '') || u.namespace === ''));
}

/**
 * Whether a list that could not be read is worth a warning: not for a kind whose whole API group is absent (a
 * cluster run without helm-controller; flux itself says nothing of it), as long as nobody names such an object.
 */
export function worthWarning(reason: UnreadReason | undefined): boolean {
  return reason !== 'notInstalled';
}

/** Whether nothing of that kind can exist there: the cluster does not serve it. */
export function isNotServed(u: Unread | undefined): boolean {
  return u?.reason === 'notServed' || u?.reason === 'notInstalled';
}

/**
 * kubectl's words for a kind not served, naming the apiVersion: `the server doesn't have a resource type
 * "helmreleases"` where the resource name is known (Flux kinds), else `no matches for kind ... in version ...`.
 */
export function notServedWords(u: Pick<Unread, 'kind' | 'apiVersion'>): string {
  const flux = fluxApis[u.kind as FluxKind] as (typeof fluxApis)[FluxKind] | undefined;
  if (flux && u.apiVersion === `${flux.group}/${flux.version}`) {
    return `the server doesn't have a resource type "${flux.plural}" (${u.apiVersion} is not served by this cluster)`;
  }
  return `no matches for kind "${u.kind}" in version "${u.apiVersion}" (not served by this cluster)`;
}

/** Why the objects there are not known, in a few words: `forbidden`, `example.com/v1 is unavailable`... */
export function unreadWhy(u: Unread): string {
  switch (u.reason) {
    case 'forbidden':
      return 'forbidden';
    case 'notServed':
    case 'notInstalled':
      return `${u.apiVersion} is not served by this cluster`;
    case 'unavailable':
      return `${u.apiVersion} is unavailable`;
    case 'unrecorded':
      return 'the snapshot could not read them';
    case 'listing':
      return 'not listed yet';
  }
}

/** `cannot read HelmReleases in namespace apps (forbidden)`: one line for a node, a note, an error. */
export function cannotRead(u: Unread): string {
  return `cannot read ${u.kind}s ${u.namespace ? `in namespace ${u.namespace}` : 'in any namespace'} (${unreadWhy(u)})`;
}

/** The message for an object of a kind not served: `HelmRelease apps/web not found: the server doesn't have...`. */
export function notServedMessage(u: Pick<Unread, 'kind' | 'apiVersion'>, namespace: string, name: string): string {
  return `${u.kind} ${namespace ? `${namespace}/` : ''}${name} not found: ${notServedWords(u)}`;
}

/**
 * The error for an object the user named that is not among what was read (CONTRACT.md's exit codes): 3 when it
 * does not exist, a kind the cluster does not serve included (no object of it can exist, and kubectl and flux
 * say so in the same words); 4 when it could not be read (forbidden, a snapshot that could not read it).
 */
export function missingObjectError(ref: { kind: string; namespace: string; name: string }, unread: readonly Unread[]): NotFoundError | ClusterError {
  const u = unreadAt(unread, ref.kind, ref.namespace);
  if (!u) return new NotFoundError(`${ref.kind} ${ref.namespace}/${ref.name} not found`);
  if (isNotServed(u)) return new NotFoundError(notServedMessage(u, ref.namespace, ref.name));
  return new ClusterError(cannotRead(u));
}

/** Parses `Kind/namespace` (`Kind/` or `Kind/*`: across namespaces), as tree --watch and snapshots write them. */
export function unreadFromKey(key: string, reason: UnreadReason, apiVersion = ''): Unread {
  const slash = key.indexOf('/');
  const namespace = slash < 0 ? '' : key.slice(slash + 1);
  return { kind: slash < 0 ? key : key.slice(0, slash), apiVersion, namespace: namespace === '*' ? '' : namespace, reason };
}

/** `Kind/namespace` (`Kind/` across namespaces): the key a watch's pending lists and older code use. */
export function unreadKey(u: Pick<Unread, 'kind' | 'namespace'>): string {
  return `${u.kind}/${u.namespace}`;
}
