// status.inventory of a Kustomization: the objects it applied, each named by a cli-utils ObjMetadata id.
import { objectId } from './objects.ts';

export interface InventoryRef {
  id: string;
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
}

/**
 * Parses `<namespace>_<name>_<group>_<kind>` (namespace empty for cluster-scoped, group empty for core). The first
 * `_` ends the namespace, the last starts the kind, the one before that the group; RBAC names write `:` as `__`.
 */
export function parseInventoryId(id: string, version: string): InventoryRef | undefined {
  const first = id.indexOf('_');
  const last = id.lastIndexOf('_');
  const beforeLast = id.lastIndexOf('_', last - 1);
  if (first < 0 || beforeLast <= first) return undefined;
  const namespace = id.slice(0, first);
  const name = id.slice(first + 1, beforeLast).replaceAll('__', ':');
  const group = id.slice(beforeLast + 1, last);
  const kind = id.slice(last + 1);
  if (!name || !kind) return undefined;
  return { id: objectId(kind, namespace || undefined, name), apiVersion: group ? `${group}/${version}` : version, kind, namespace, name };
}

/** The inventory entries of an object's status, parsed; malformed entries are skipped. */
export function inventoryOf(status: { inventory?: { entries?: Array<{ id?: unknown; v?: unknown }> } } | undefined): InventoryRef[] {
  const entries = status?.inventory?.entries;
  if (!Array.isArray(entries)) return [];
  return entries.flatMap((e) => {
    const ref = typeof e?.id === 'string' && typeof e.v === 'string' ? parseInventoryId(e.id, e.v) : undefined;
    return ref ? [ref] : [];
  });
}
