// Puts objects from a fixture file into the test cluster as the controllers would leave them: created, then
// status written through the status subresource. Namespaces are renamed so each test has its own.
import * as k8s from '@kubernetes/client-node';
import { readFileSync } from 'node:fs';
import { parseObjects } from '../../src/read/files.ts';
import type { KubeObject } from '../../src/model/objects.ts';
import { kubeConfig } from './testenv.ts';

/** The fixture's objects with every namespace (metadata and dependsOn/sourceRef) renamed through `rename`. */
export function renamedFixture(file: string, rename: Record<string, string>): KubeObject[] {
  const text = readFileSync(file, 'utf8');
  return parseObjects(text, file).map((o) => {
    const copy = structuredClone(o);
    copy.metadata = { ...copy.metadata, namespace: rename[copy.metadata?.namespace ?? 'flux-system'] ?? copy.metadata?.namespace };
    for (const d of copy.spec?.dependsOn ?? []) if (d.namespace) d.namespace = rename[d.namespace] ?? d.namespace;
    return copy;
  });
}

/** Into the test cluster, or the cluster `kc` names (a second one: test/support/second-cluster.ts). */
export async function createAll(objects: KubeObject[], kc: k8s.KubeConfig = kubeConfig('admin')): Promise<void> {
  const generic = kc.makeApiClient(k8s.KubernetesObjectApi);
  const custom = kc.makeApiClient(k8s.CustomObjectsApi);
  for (const obj of objects) {
    const { status, ...rest } = obj;
    const created = (await generic.create(rest as k8s.KubernetesObject)) as KubeObject;
    if (!status) continue;
    const [group = '', version = ''] = (obj.apiVersion ?? '').split('/');
    const kind = (obj.kind ?? '').toLowerCase();
    const plural = kind.endsWith('y') ? `${kind.slice(0, -1)}ies` : `${kind}s`;
    await custom.replaceNamespacedCustomObjectStatus({
      group, version, plural, namespace: created.metadata?.namespace ?? '', name: created.metadata?.name ?? '',
      body: { ...created, status },
    });
  }
}
