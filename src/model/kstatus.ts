// kstatus: the health of any Kubernetes object, as Flux's kustomize-controller judges it in health checks.
// A port of fluxcd/cli-utils pkg/kstatus/status (status.Compute: generic.go, status.go, util.go) and of
// pkg/kstatus/polling/aggregator; the per-kind rules of core.go live in kstatus-workloads.ts.
// Pure: no I/O, no clock; the caller passes `now`.

import type { KubeObject } from './objects.ts';
import { conditionsOf, groupOf } from './objects.ts';
import { fluxJob, intField, kindRules } from './kstatus-workloads.ts';

export type KStatus = 'InProgress' | 'Failed' | 'Current' | 'Terminating' | 'NotFound' | 'Unknown';
export interface Health { status: KStatus; message: string }

/** kstatus health of one object; `now` is injected (pods: Pending+Unschedulable is Failed only after 15 s). */
export function healthOf(obj: KubeObject, now: Date): Health {
  // Flux judges Jobs with its own reader (fluxcd/pkg runtime/statusreaders/job.go), without the generic checks.
  if (obj.kind === 'Job' && groupOf(obj.apiVersion) === 'batch') return fluxJob(obj);
  const generic = genericHealth(obj);
  if (generic) return generic;
  const group = groupOf(obj.apiVersion);
  const kind = obj.kind ?? '';
  const rule = kindRules.get(group === '' ? kind : `${group}/${kind}`);
  if (rule) return rule(obj, now);
  return readyConditionHealth(obj) ?? { status: 'Current', message: 'Resource is current' };
}

/** Aggregate as cli-utils' AggregateStatus with desired Current: Failed, then Unknown, then all Current, else InProgress. */
export function aggregateHealth(statuses: KStatus[]): KStatus {
  // NotFound and Terminating are neither Failed nor Unknown nor the desired Current: they make the whole InProgress.
  if (statuses.includes('Failed')) return 'Failed';
  if (statuses.includes('Unknown')) return 'Unknown';
  return statuses.every((s) => s === 'Current') ? 'Current' : 'InProgress';
}

// checkGenericProperties: decides for every kind before any kind-specific rule.
function genericHealth(obj: KubeObject): Health | undefined {
  if (typeof obj.metadata?.deletionTimestamp === 'string' && obj.metadata.deletionTimestamp !== '') {
    return { status: 'Terminating', message: 'Resource scheduled for deletion' };
  }
  // Lenient: with either field absent (a bare manifest, a kind without observedGeneration) the check is skipped.
  const generation = intField(obj, 'metadata.generation');
  const observed = intField(obj, 'status.observedGeneration');
  if (generation !== undefined && observed !== undefined && generation !== observed) {
    return {
      status: 'InProgress',
      message: `${obj.kind ?? ''} generation is ${generation}, but latest observed generation is ${observed}`,
    };
  }
  // Whichever of Reconciling=True and Stalled=True comes first in the list wins. Flux keeps Reconciling=True
  // (reason ProgressingWithRetry) next to Ready=False after a failed run, so such an object is InProgress,
  // not Failed, and its message is the Reconciling one.
  for (const c of conditionsOf(obj)) {
    if (c.type === 'Reconciling' && c.status === 'True') return { status: 'InProgress', message: c.message ?? '' };
    if (c.type === 'Stalled' && c.status === 'True') return { status: 'Failed', message: c.message ?? '' };
  }
  return undefined;
}

// checkReadyCondition: the widely used (if non-standard) Ready condition, for kinds without their own rule.
function readyConditionHealth(obj: KubeObject): Health | undefined {
  for (const c of conditionsOf(obj)) {
    if (c.type !== 'Ready') continue;
    if (c.status === 'True') return { status: 'Current', message: 'Resource is Ready' };
    // Ready=False cannot tell a controller still working from one that gave up, so it is InProgress too.
    if (c.status === 'False' || c.status === 'Unknown') return { status: 'InProgress', message: c.message ?? '' };
  }
  return undefined;
}
