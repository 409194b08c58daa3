// The per-kind rules of kstatus: a port of fluxcd/cli-utils pkg/kstatus/status/core.go (legacyTypes), with
// Flux's own Job rule (fluxcd/pkg runtime/statusreaders/job.go). Messages are cli-utils' to the letter.
// Helpers mirror util.go's GetIntField/GetStringField. Only reached when the generic rules did not decide.

import type { Health } from './kstatus.ts';
import type { KubeObject } from './objects.ts';
import { conditionOf, conditionsOf } from './objects.ts';

type KindRule = (obj: KubeObject, now: Date) => Health;

const MAX_INT32 = 2147483647;
/** How long a Pod may stay unschedulable before it counts as Failed (cli-utils ScheduleWindow). */
const SCHEDULE_WINDOW_MS = 15_000;

/** A whole-number field at a dotted path (as Go's GetIntField/NestedInt64: anything else is absent). */
export function intField(obj: KubeObject, path: string): number | undefined {
  const value = fieldAt(obj, path);
  return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
}

function stringField(obj: KubeObject, path: string): string | undefined {
  const value = fieldAt(obj, path);
  return typeof value === 'string' ? value : undefined;
}

function fieldAt(obj: KubeObject, path: string): unknown {
  let node: unknown = obj;
  for (const key of path.split('.')) {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

const current = (message: string): Health => ({ status: 'Current', message });
const inProgress = (message: string): Health => ({ status: 'InProgress', message });
const failed = (message: string): Health => ({ status: 'Failed', message });
const isTrue = (obj: KubeObject, type: string): boolean => conditionOf(obj, type)?.status === 'True';

function deployment(obj: KubeObject): Health {
  // Without progressDeadlineSeconds the controller never sets Progressing, so the rollout counts as progressing.
  let progressing = (intField(obj, 'spec.progressDeadlineSeconds') ?? MAX_INT32) === MAX_INT32;
  const progress = conditionOf(obj, 'Progressing');
  // The controller sets this reason with status False; cli-utils looks at the reason alone.
  if (progress?.reason === 'ProgressDeadlineExceeded') return failed('Progress deadline exceeded');
  if (progress?.status === 'True' && progress.reason === 'NewReplicaSetAvailable') progressing = true;

  const spec = intField(obj, 'spec.replicas') ?? 1;
  const replicas = intField(obj, 'status.replicas') ?? 0;
  const updated = intField(obj, 'status.updatedReplicas') ?? 0;
  const ready = intField(obj, 'status.readyReplicas') ?? 0;
  const available = intField(obj, 'status.availableReplicas') ?? 0;
  if (spec > replicas) return inProgress(`Replicas: ${replicas}/${spec}`);
  if (spec > updated) return inProgress(`Updated: ${updated}/${spec}`);
  if (replicas > spec) return inProgress(`Pending termination: ${replicas - spec}`);
  if (updated > available) return inProgress(`Available: ${available}/${updated}`);
  if (spec > ready) return inProgress(`Ready: ${ready}/${spec}`);
  if (!progressing) return inProgress('ReplicaSet not Available');
  if (!isTrue(obj, 'Available')) return inProgress('Deployment not Available');
  return current(`Deployment is available. Replicas: ${replicas}`);
}

function statefulSet(obj: KubeObject): Health {
  // OnDelete: the user replaces pods by hand, so there is no rollout to wait for.
  if (stringField(obj, 'spec.updateStrategy.type') === 'OnDelete') {
    return current('StatefulSet is using the ondelete update strategy');
  }
  const spec = intField(obj, 'spec.replicas') ?? 1;
  const ready = intField(obj, 'status.readyReplicas') ?? 0;
  const currentReplicas = intField(obj, 'status.currentReplicas') ?? 0;
  const updated = intField(obj, 'status.updatedReplicas') ?? 0;
  const replicas = intField(obj, 'status.replicas') ?? 0;
  const partition = intField(obj, 'spec.updateStrategy.rollingUpdate.partition') ?? -1;
  if (spec > replicas) return inProgress(`Replicas: ${replicas}/${spec}`);
  if (spec > ready) return inProgress(`Ready: ${ready}/${spec}`);
  if (replicas > spec) return inProgress(`Pending termination: ${replicas - spec}`);
  if (partition !== -1) {
    // Lower-case "updated:" and the revision check skipped: both exactly as cli-utils.
    if (updated < spec - partition) return inProgress(`updated: ${updated}/${spec - partition}`);
    return current(`Partition rollout complete. updated: ${updated}`);
  }
  if (spec > currentReplicas) return inProgress(`current: ${currentReplicas}/${spec}`);
  if ((stringField(obj, 'status.currentRevision') ?? '') !== (stringField(obj, 'status.updateRevision') ?? '')) {
    return inProgress('Waiting for updated revision to match current');
  }
  return current(`All replicas scheduled as expected. Replicas: ${replicas}`);
}

function daemonSet(obj: KubeObject): Health {
  // Unlike the lenient generic check, a DaemonSet must show both generation fields: its controller always sets them.
  if (intField(obj, 'metadata.generation') === undefined) return inProgress(`${obj.kind} metadata.generation not found`);
  if (intField(obj, 'status.observedGeneration') === undefined) {
    return inProgress(`${obj.kind} status.observedGeneration not found`);
  }
  const desired = intField(obj, 'status.desiredNumberScheduled') ?? -1;
  const scheduled = intField(obj, 'status.currentNumberScheduled') ?? 0;
  const updated = intField(obj, 'status.updatedNumberScheduled') ?? 0;
  const available = intField(obj, 'status.numberAvailable') ?? 0;
  const ready = intField(obj, 'status.numberReady') ?? 0;
  if (desired === -1) return inProgress('Missing .status.desiredNumberScheduled');
  if (desired > scheduled) return inProgress(`Current: ${scheduled}/${desired}`);
  if (desired > updated) return inProgress(`Updated: ${updated}/${desired}`);
  if (desired > available) return inProgress(`Available: ${available}/${desired}`);
  if (desired > ready) return inProgress(`Ready: ${ready}/${desired}`);
  return current(`All replicas scheduled as expected. Replicas: ${desired}`);
}

function replicaSet(obj: KubeObject): Health {
  // ReplicaFailure (quota, admission...) is InProgress, not Failed, in cli-utils.
  if (isTrue(obj, 'ReplicaFailure')) return inProgress('Replica Failure condition. Check Pods');
  const spec = intField(obj, 'spec.replicas') ?? 1;
  const replicas = intField(obj, 'status.replicas') ?? 0;
  const ready = intField(obj, 'status.readyReplicas') ?? 0;
  const available = intField(obj, 'status.availableReplicas') ?? 0;
  const labelled = intField(obj, 'status.fullyLabeledReplicas') ?? 0;
  if (spec > labelled) return inProgress(`Labelled: ${labelled}/${spec}`);
  if (spec > available) return inProgress(`Available: ${available}/${spec}`);
  if (spec > ready) return inProgress(`Ready: ${ready}/${spec}`);
  if (replicas > spec) return inProgress(`Pending termination: ${replicas - spec}`);
  return current(`ReplicaSet is available. Replicas: ${replicas}`);
}

function pod(obj: KubeObject, now: Date): Health {
  const phase = stringField(obj, 'status.phase') ?? '';
  switch (phase) {
    case 'Succeeded':
      return current('Pod has completed successfully');
    case 'Failed':
      // A finished pod is done reconciling, whatever its exit code: Current, not Failed.
      return current('Pod has completed, but not successfully');
    case 'Running': {
      if (isTrue(obj, 'Ready')) return current('Pod is Ready');
      const crashLooping = crashLoopingContainers(obj);
      if (crashLooping.length > 0) return failed(`Containers in CrashLoop state: ${crashLooping.join(',')}`);
      return inProgress('Pod is running but is not Ready');
    }
    case 'Pending': {
      const scheduled = conditionOf(obj, 'PodScheduled');
      if (scheduled?.status === 'False' && scheduled.reason === 'Unschedulable') {
        // A missing or unreadable creationTimestamp is Go's zero time: long past, so Failed at once.
        const created = Date.parse(obj.metadata?.creationTimestamp ?? '');
        if (!Number.isNaN(created) && now.getTime() - SCHEDULE_WINDOW_MS < created) {
          return inProgress('Pod has not been scheduled');
        }
        return failed('Pod could not be scheduled');
      }
      return inProgress('Pod is in the Pending phase');
    }
    case '':
      return inProgress('Pod phase not available');
    default:
      // cli-utils returns an error here, which its status readers report as Unknown with the error's text.
      return { status: 'Unknown', message: `unknown phase ${phase}` };
  }
}

function crashLoopingContainers(obj: KubeObject): string[] {
  const statuses: unknown = obj.status?.containerStatuses;
  if (!Array.isArray(statuses)) return [];
  return statuses
    .filter((cs) => typeof cs?.name === 'string' && cs.state?.waiting?.reason === 'CrashLoopBackOff')
    .map((cs) => cs.name as string);
}

// Flux's Job rule, not cli-utils': a running Job is InProgress (cli-utils says Current once started),
// so a health check waits for the Job to finish.
/** Flux's Job reader: a suspended Job is Current; Current only once complete; its messages. */
export function fluxJob(obj: KubeObject): Health {
  if (obj.spec?.suspend === true) return current('Job is suspended');
  const parallelism = intField(obj, 'spec.parallelism') ?? 1;
  const completions = intField(obj, 'spec.completions') ?? parallelism;
  const [succeeded, active, failedPods] = ['succeeded', 'active', 'failed'].map((f) => intField(obj, `status.${f}`) ?? 0);
  for (const c of conditionsOf(obj)) {
    if (c.status !== 'True') continue;
    if (c.type === 'Complete') return current(`Job Completed. succeeded: ${succeeded}/${completions}`);
    if (c.type === 'Failed') return failed(`Job Failed. failed: ${failedPods}/${completions}`);
  }
  if (!stringField(obj, 'status.startTime')) return inProgress(`Job not started. active: 0/${parallelism}`);
  return inProgress(`Job in progress. success:${succeeded}, active: ${active}, failed: ${failedPods}`);
}

function persistentVolumeClaim(obj: KubeObject): Health {
  const phase = stringField(obj, 'status.phase') ?? 'unknown';
  return phase === 'Bound' ? current('PVC is Bound') : inProgress(`PVC is not Bound. phase: ${phase}`);
}

function service(obj: KubeObject): Health {
  // cli-utils checks spec.clusterIP, not status.loadBalancer.ingress: a LoadBalancer still waiting for its
  // external address is Current as soon as the API server has assigned a cluster IP.
  if ((stringField(obj, 'spec.type') ?? 'ClusterIP') === 'LoadBalancer' && !stringField(obj, 'spec.clusterIP')) {
    return inProgress('ClusterIP not set. Service type: LoadBalancer');
  }
  return current('Service is ready');
}

function customResourceDefinition(obj: KubeObject): Health {
  for (const c of conditionsOf(obj)) {
    if (c.type === 'NamesAccepted' && c.status === 'False') return failed(c.message ?? '');
    if (c.type === 'Established') {
      if (c.status === 'False' && c.reason !== 'Installing') return failed(c.message ?? '');
      if (c.status === 'True') return current('CRD is established');
    }
  }
  return inProgress('Install in progress');
}

const alwaysReady: KindRule = () => current('Resource is always ready');

/** Rules by "group/Kind", or bare "Kind" for the core group (cli-utils legacyTypes). */
export const kindRules: ReadonlyMap<string, KindRule> = new Map<string, KindRule>([
  ['Service', service],
  ['Pod', pod],
  ['Secret', alwaysReady],
  ['ConfigMap', alwaysReady],
  ['PersistentVolumeClaim', persistentVolumeClaim],
  ['apps/StatefulSet', statefulSet],
  ['apps/DaemonSet', daemonSet],
  ['extensions/DaemonSet', daemonSet],
  ['apps/Deployment', deployment],
  ['extensions/Deployment', deployment],
  ['apps/ReplicaSet', replicaSet],
  ['extensions/ReplicaSet', replicaSet],
  // The disruption controller sets observedGeneration; once the generic check passed there is nothing more to see.
  ['policy/PodDisruptionBudget', () => current('AllowedDisruptions has been computed.')],
  ['batch/CronJob', alwaysReady],
  ['apiextensions.k8s.io/CustomResourceDefinition', customResourceDefinition],
]);
