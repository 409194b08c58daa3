// The one write flux-deps makes to a cluster: Flux's reconcile request, a merge patch of one annotation (as
// flux2's requestReconciliation, which updates the object instead). Nothing else is ever written.
import { NotFoundError } from '../errors.ts';
import { ApiError, notServed } from './api-error.ts';
import type { LiveReader } from './live-reader.ts';

export interface Reconcilable {
  id: string;
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
}

/**
 * helm-controller's one-off requests, as `flux reconcile helmrelease --reset/--force` sends them: an annotation
 * carrying the same token as requestedAt, honoured only then and once (fluxcd/pkg meta.HandleAnnotationRequest).
 */
export type ReleaseRequest = 'reset' | 'force';
const releaseAnnotations: Record<ReleaseRequest, string> = { reset: 'reconcile.fluxcd.io/resetAt', force: 'reconcile.fluxcd.io/forceAt' };

/**
 * Sets `reconcile.fluxcd.io/requestedAt` to `token` (and each release request's annotation to it too, in the same
 * patch): the controller answers in `status.lastHandledReconcileAt`.
 */
export async function requestReconciliation(reader: LiveReader, t: Reconcilable, token: string, also: readonly ReleaseRequest[] = []): Promise<void> {
  const path = await reader.path({ apiVersion: t.apiVersion, kind: t.kind, namespace: t.namespace });
  if (!path) throw notServed(t);
  const annotations = Object.fromEntries([['reconcile.fluxcd.io/requestedAt', token], ...also.map((r) => [releaseAnnotations[r], token])]);
  const patch = { metadata: { annotations } };
  const res = await reader.api.send('PATCH', `${path}/${encodeURIComponent(t.name)}`, patch, 'application/merge-patch+json');
  if (res.status === 404) throw new NotFoundError(`${t.id} not found`);
  if (res.status === 403) throw new ApiError('forbidden', `forbidden to annotate ${t.id}`, { status: 403 });
}
