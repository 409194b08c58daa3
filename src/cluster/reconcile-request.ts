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

/** Sets `reconcile.fluxcd.io/requestedAt` to `token`: the controller answers in `status.lastHandledReconcileAt`. */
export async function requestReconciliation(reader: LiveReader, t: Reconcilable, token: string): Promise<void> {
  const path = await reader.path({ apiVersion: t.apiVersion, kind: t.kind, namespace: t.namespace });
  if (!path) throw notServed(t);
  const patch = { metadata: { annotations: { 'reconcile.fluxcd.io/requestedAt': token } } };
  const res = await reader.api.send('PATCH', `${path}/${encodeURIComponent(t.name)}`, patch, 'application/merge-patch+json');
  if (res.status === 404) throw new NotFoundError(`${t.id} not found`);
  if (res.status === 403) throw new ApiError('forbidden', `forbidden to annotate ${t.id}`, { status: 403 });
}
