// The source a Flux object reads, by its controller's rules: whether it stops the controller (missing, no
// artifact; for helm-controller also unobserved or Stalled), and a note when it fails but still serves one.
import { finding, type Finding } from './finding.ts';
import { artifactRevisionOf, KUSTOMIZATION, shortRevision } from './flux.ts';
import type { GraphNode } from './graph.ts';
import { conditionOf, objectId, type KubeObject } from './objects.ts';
import { isNotServed, notServedMessage } from './unread.ts';
import { unreadIn, type World } from './world.ts';

/**
 * A source that stops the controller: missing, or (kustomize-controller) without an artifact; for a HelmRelease,
 * helm-controller's isReady: its generation observed, not Stalled, with an artifact. A source that failed its last
 * fetch but still serves an artifact stops neither.
 */
export function sourceProblem(node: GraphNode, world: World): Finding | undefined {
  const ref = sourceOf(node);
  if (!ref) return undefined;
  const id = objectId(ref.kind, ref.namespace, ref.name);
  const source = world.byId.get(id);
  if (!source) {
    // Not readable there: the object's own message says whether its source is the trouble. A kind not served
    // holds nothing: the source is missing, and kubectl's words say why.
    const u = unreadIn(world, ref.kind, ref.namespace);
    if (u && !isNotServed(u)) return undefined;
    return finding(id, 'NotFound', `${u ? notServedMessage(u, ref.namespace, ref.name) : `${ref.kind} ${ref.namespace}/${ref.name} not found`} (the source of ${node.id})`);
  }
  const ready = conditionOf(source, 'Ready');
  const said = ready ? `${ready.reason}: ${ready.message ?? ''}` : 'no Ready condition yet';
  const notes = [...credentialsNote(source, ref.namespace, said), ...chartSourceNote(source, ref.namespace, world)];
  if (node.kind !== KUSTOMIZATION && ref.kind !== 'ExternalArtifact') {
    if ((source.metadata?.generation ?? 0) !== source.status?.observedGeneration) {
      return finding(id, 'SourceNotReady', ready?.status === 'False' ? said : 'the latest generation of the source has not been reconciled', { notes });
    }
    const stalled = conditionOf(source, 'Stalled');
    if (stalled?.status === 'True') return finding(id, 'SourceNotReady', `Stalled (${stalled.reason}): ${stalled.message ?? ''}`, { notes });
  }
  if (!artifactRevisionOf(source)) return finding(id, 'SourceNotReady', ready?.status === 'True' ? 'the source has no artifact yet' : said, { notes });
  return undefined;
}

/** A note on a source that is not Ready but still serves an artifact, for the object's own finding. */
export function sourceAside(node: GraphNode, world: World): string | undefined {
  const ref = sourceOf(node);
  const source = ref && world.byId.get(objectId(ref.kind, ref.namespace, ref.name));
  const ready = conditionOf(source, 'Ready');
  if (!ref || !source || !ready || ready.status === 'True') return undefined;
  const serves = artifactRevisionOf(source);
  return `its source ${ref.kind} ${ref.namespace}/${ref.name} is not Ready (${ready.reason}: ${ready.message ?? ''})${serves ? `; it still serves ${shortRevision(serves)}` : ''}`;
}

// A HelmChart is built from the source it names (a HelmRepository, say): when that fails too, it is likely why.
function chartSourceNote(source: KubeObject, namespace: string, world: World): string[] {
  const ref = source.kind === 'HelmChart' ? source.spec?.sourceRef : undefined;
  if (typeof ref?.kind !== 'string' || typeof ref?.name !== 'string') return [];
  const ready = conditionOf(world.byId.get(objectId(ref.kind, namespace, ref.name)), 'Ready');
  return ready && ready.status !== 'True' ? [`its source ${ref.kind} ${namespace}/${ref.name} is not Ready (${ready.reason}: ${ready.message ?? ''})`] : [];
}

// Authentication failures are about the credentials the source names.
function credentialsNote(source: KubeObject, namespace: string, said: string): string[] {
  const secret = typeof source.spec?.secretRef?.name === 'string' ? source.spec.secretRef.name : undefined;
  return secret && /auth|credential|permission|denied|403|401/i.test(said) ? [`its credentials: Secret ${namespace}/${secret} (spec.secretRef)`] : [];
}

/** The source the controller reads: a Kustomization's sourceRef; a HelmRelease's chartRef, else its HelmChart. */
function sourceOf(node: GraphNode): { kind: string; namespace: string; name: string } | undefined {
  const obj = node.object as KubeObject;
  if (node.kind === KUSTOMIZATION || obj.spec?.chartRef) return node.source;
  const [namespace, name] = typeof obj.status?.helmChart === 'string' ? obj.status.helmChart.split('/') : [];
  return namespace && name ? { kind: 'HelmChart', namespace, name } : undefined;
}
