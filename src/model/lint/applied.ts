// What a Kustomization applies: its status.inventory (live, or a snapshot), else the manifests under its
// spec.path in a repository tree; with the objects themselves where they were read.
import { inventoryOf } from '../inventory.ts';
import { groupOf, objectId, type KubeObject } from '../objects.ts';
import type { LintContext } from './context.ts';

export interface AppliedObject {
  id: string;
  kind: string;
  group: string;
  namespace: string;
  name: string;
  object?: KubeObject;
}

export interface Applied {
  objects: AppliedObject[];
  /** Whether we know what it applies: it has an inventory, or its path was found in the tree. */
  known: boolean;
  from: 'inventory' | 'manifests' | 'unknown';
}

/** The objects a Kustomization applies, but itself (flux-system applies its own Kustomization). */
export function appliedBy(ctx: LintContext, id: string, ks: KubeObject): Applied {
  if (Array.isArray(ks.status?.inventory?.entries)) {
    const objects = inventoryOf(ks.status).filter((r) => r.id !== id).map((r) => ({
      id: r.id, kind: r.kind, group: groupOf(r.apiVersion), namespace: r.namespace, name: r.name, ...withObject(ctx.byId.get(r.id)),
    }));
    return { objects, known: true, from: 'inventory' };
  }
  const manifests = ctx.input.manifests?.get(id);
  if (!manifests) return { objects: [], known: false, from: 'unknown' };
  const objects = manifests.flatMap((o) => {
    const name = o.metadata?.name;
    if (!name || !o.kind) return [];
    const ref = { id: objectId(o.kind, o.metadata?.namespace, name), kind: o.kind, group: groupOf(o.apiVersion), namespace: o.metadata?.namespace ?? '', name, object: o };
    return ref.id === id ? [] : [ref];
  });
  return { objects, known: true, from: 'manifests' };
}

function withObject(o: KubeObject | undefined): { object?: KubeObject } {
  return o ? { object: o } : {};
}

export const isCrd = (o: Pick<AppliedObject, 'kind' | 'group'>) => o.kind === 'CustomResourceDefinition' && o.group === 'apiextensions.k8s.io';
