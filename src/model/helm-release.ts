// A HelmRelease's own objects: its status.inventory, else what Helm and helm-controller write on every object of a
// release. When Helm's failure message names none ("context deadline exceeded" from the legacy waiter, or the
// client's rate limiter ending the kstatus wait), these are still what the release waits on.
import { inventoryOf, type InventoryRef } from './inventory.ts';
import { compareStrings, type KubeObject } from './objects.ts';
import { unreadWhy } from './unread.ts';
import { unreadIn, type World } from './world.ts';

// The workloads Helm waits on that have pods to explain; what the read plan lists in the release's namespace.
export const releaseWorkloadKinds = ['Deployment', 'StatefulSet', 'DaemonSet'] as const;
export const releaseWorkloadApiVersion = 'apps/v1';

export interface Release {
  /** The HelmRelease's namespace and name: helm-controller's origin labels name it. */
  owner: { namespace: string; name: string };
  /** Helm's release name and namespace (the meta.helm.sh annotations); the namespace holds its objects. */
  name: string;
  namespace: string;
}

/**
 * The Helm release a HelmRelease makes (helm-controller's GetReleaseName and GetReleaseNamespace): the latest
 * snapshot in status.history names it as the controller recorded it (names over 53 characters are shortened
 * there); else spec.releaseName, else `<targetNamespace>-<name>` or `<name>`; the namespace is spec.targetNamespace
 * or the HelmRelease's.
 */
export function releaseOf(hr: KubeObject, namespace: string): Release {
  const name = hr.metadata?.name ?? '';
  const target = typeof hr.spec?.targetNamespace === 'string' && hr.spec.targetNamespace ? hr.spec.targetNamespace : '';
  const latest = Array.isArray(hr.status?.history) ? hr.status.history[0] : undefined;
  const recorded = typeof latest?.name === 'string' && typeof latest?.namespace === 'string' && latest.name && latest.namespace;
  if (recorded) return { owner: { namespace, name }, name: latest.name, namespace: latest.namespace };
  const releaseName = typeof hr.spec?.releaseName === 'string' && hr.spec.releaseName ? hr.spec.releaseName : target ? `${target}-${name}` : name;
  return { owner: { namespace, name }, name: releaseName, namespace: target || namespace };
}

/**
 * Whether an object belongs to the release: Helm's `meta.helm.sh/release-name` and `-namespace` annotations, or
 * helm-controller's origin labels (`helm.toolkit.fluxcd.io/name` and `/namespace`, on everything it renders).
 */
export function belongsTo(obj: KubeObject, release: Release): boolean {
  const a = obj.metadata?.annotations ?? {};
  const l = obj.metadata?.labels ?? {};
  if (a['meta.helm.sh/release-name'] === release.name && a['meta.helm.sh/release-namespace'] === release.namespace) return true;
  return l['helm.toolkit.fluxcd.io/name'] === release.owner.name && l['helm.toolkit.fluxcd.io/namespace'] === release.owner.namespace;
}

/**
 * The release's objects: its status.inventory where helm-controller records one (v1.5 on: every object of the
 * release), else the workloads the input holds in its namespace that carry its marks; with the kinds there that
 * could not be read.
 */
export function releaseObjects(world: World, hr: KubeObject, namespace: string): { targets: Array<{ id: string; kind: string; namespace: string }>; unreadable: string[] } {
  const inventory = releaseInventory(hr);
  if (inventory.length) return { targets: inventory.map((r) => ({ id: r.id, kind: r.kind, namespace: r.namespace })), unreadable: [] };
  const release = releaseOf(hr, namespace);
  const targets: Array<{ id: string; kind: string; namespace: string }> = [];
  for (const [id, o] of world.byId) {
    if (o.metadata?.namespace === release.namespace && (releaseWorkloadKinds as readonly string[]).includes(o.kind ?? '') && belongsTo(o, release)) {
      targets.push({ id, kind: o.kind ?? '', namespace: release.namespace });
    }
  }
  targets.sort((a, b) => compareStrings(a.id, b.id));
  const unreadable = releaseWorkloadKinds.flatMap((k) => {
    const u = unreadIn(world, k, release.namespace);
    return u ? [`${k}s in ${release.namespace} (${unreadWhy(u)})`] : [];
  });
  return { targets, unreadable };
}

// Kinds without a status of their own: nothing to wait on, and listing Secrets takes a right a reader may lack.
const statusless = new Set(['v1/Secret', 'v1/ConfigMap', 'v1/ServiceAccount', ...['Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding'].map((k) => `rbac.authorization.k8s.io/v1/${k}`)]);

/** The objects of a HelmRelease's status.inventory worth a look (what snapshot.ts reads and the model judges). */
export function releaseInventory(hr: KubeObject): InventoryRef[] {
  return inventoryOf(hr.status).filter((r) => !statusless.has(`${r.apiVersion}/${r.kind}`));
}
