import assert from 'node:assert/strict';
import { aggregateHealth, healthOf } from '../../src/model/kstatus.ts';
import type { Health, KStatus } from '../../src/model/kstatus.ts';
import type { KubeObject } from '../../src/model/objects.ts';

// Expected results are cli-utils' (pkg/kstatus/status) status and message, to the letter.

const CREATED = '2025-06-01T10:00:00Z';
const NOW = new Date('2025-06-01T10:05:00Z');
const REV = 'main@sha1:3f2a9c1d8b7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a';

/** A fluent builder for one object; every method fills in a part and returns the builder. */
class Obj {
  readonly obj: KubeObject;
  constructor(apiVersion: string, kind: string, name: string) {
    this.obj = { apiVersion, kind, metadata: { name, namespace: 'default', creationTimestamp: CREATED } };
  }
  /** metadata.generation, and status.observedGeneration when given. */
  gen(generation: number, observed?: number): this {
    this.obj.metadata!.generation = generation;
    return observed === undefined ? this : this.status({ observedGeneration: observed });
  }
  spec(fields: Record<string, unknown>): this {
    this.obj.spec = { ...this.obj.spec, ...fields };
    return this;
  }
  status(fields: Record<string, unknown>): this {
    this.obj.status = { ...this.obj.status, ...fields };
    return this;
  }
  cond(type: string, status: string, reason?: string, message?: string): this {
    const conditions = [...(this.obj.status?.conditions ?? []), { type, status, reason, message }];
    return this.status({ conditions });
  }
  deleting(at = '2025-06-01T10:04:00Z'): this {
    this.obj.metadata!.deletionTimestamp = at;
    return this;
  }
  created(at: string): this {
    this.obj.metadata!.creationTimestamp = at;
    return this;
  }
}

const obj = (apiVersion: string, kind: string, name = 'web') => new Obj(apiVersion, kind, name);
const deploy = () => obj('apps/v1', 'Deployment').gen(4, 4).spec({ replicas: 2, progressDeadlineSeconds: 600 });
const sts = () => obj('apps/v1', 'StatefulSet', 'db').gen(2, 2).spec({ replicas: 3 });
const ds = () => obj('apps/v1', 'DaemonSet', 'node-exporter').gen(1, 1);
const rs = () => obj('apps/v1', 'ReplicaSet', 'web-7c9f8d6b5').gen(1, 1).spec({ replicas: 2 });
const pod = () => obj('v1', 'Pod', 'web-7c9f8d6b5-x2x9k');
const job = () => obj('batch/v1', 'Job', 'migrate').gen(1);
const ks = () => obj('kustomize.toolkit.fluxcd.io/v1', 'Kustomization', 'apps').gen(3, 3);
const widget = () => obj('example.com/v1', 'Widget', 'w');

type Case = [name: string, subject: Obj, want: [KStatus, string], now?: Date];

const groups: Array<[string, Case[]]> = [
  ['generic rules', [
    ['deletionTimestamp wins over everything else', deploy().gen(5, 4).cond('Stalled', 'True', 'X', 'stuck').deleting(),
      ['Terminating', 'Resource scheduled for deletion']],
    ['an empty deletionTimestamp is no deletion', obj('v1', 'ConfigMap', 'cfg').deleting(''),
      ['Current', 'Resource is always ready']],
    ['observedGeneration behind generation', deploy().gen(5, 4),
      ['InProgress', 'Deployment generation is 5, but latest observed generation is 4']],
    ['the generation check comes before Stalled', widget().gen(2, 1).cond('Stalled', 'True', 'Broken', 'gave up'),
      ['InProgress', 'Widget generation is 2, but latest observed generation is 1']],
    ['generation without observedGeneration is not checked', widget().gen(7),
      ['Current', 'Resource is current']],
    ['Reconciling=True is InProgress with its message, before the kind rules',
      deploy().cond('Reconciling', 'True', 'Scaling', 'scaling up'), ['InProgress', 'scaling up']],
    ['Stalled=True is Failed with its message', widget().cond('Stalled', 'True', 'Invalid', 'spec.size must be > 0'),
      ['Failed', 'spec.size must be > 0']],
    ['Stalled listed before Reconciling wins', widget().cond('Stalled', 'True', 'A', 'stalled').cond('Reconciling', 'True', 'B', 'working'),
      ['Failed', 'stalled']],
    ['Reconciling listed before Stalled wins', widget().cond('Reconciling', 'True', 'B', 'working').cond('Stalled', 'True', 'A', 'stalled'),
      ['InProgress', 'working']],
    ['Reconciling=False and Stalled=False decide nothing',
      widget().cond('Reconciling', 'False', 'Done').cond('Stalled', 'False', 'Fine').cond('Ready', 'True', 'Ok'),
      ['Current', 'Resource is Ready']],
  ]],
  ['Deployment', [
    ['rolled out', deploy().status({ replicas: 2, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2 })
      .cond('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.')
      .cond('Progressing', 'True', 'NewReplicaSetAvailable', 'ReplicaSet "web-7c9f8d6b5" has successfully progressed.'),
    ['Current', 'Deployment is available. Replicas: 2']],
    ['mid-rollout, new pod stuck on an unpullable image',
      deploy().status({ replicas: 3, updatedReplicas: 1, readyReplicas: 2, availableReplicas: 2, unavailableReplicas: 1 })
        .cond('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.')
        .cond('Progressing', 'True', 'ReplicaSetUpdated', 'ReplicaSet "web-5d4c3b2a1" is progressing.'),
      ['InProgress', 'Updated: 1/2']],
    ['the same rollout past its progress deadline',
      deploy().status({ replicas: 3, updatedReplicas: 1, readyReplicas: 2, availableReplicas: 2, unavailableReplicas: 1 })
        .cond('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.')
        .cond('Progressing', 'False', 'ProgressDeadlineExceeded', 'ReplicaSet "web-5d4c3b2a1" has timed out progressing.'),
      ['Failed', 'Progress deadline exceeded']],
    ['scaling up', deploy().spec({ replicas: 3 }).status({ replicas: 2, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2 }),
      ['InProgress', 'Replicas: 2/3']],
    ['spec.replicas defaults to 1', obj('apps/v1', 'Deployment').gen(1, 1).status({}), ['InProgress', 'Replicas: 0/1']],
    ['old pod still terminating after a rollout', deploy().status({ replicas: 3, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2 }),
      ['InProgress', 'Pending termination: 1']],
    ['new pods not yet available', deploy().status({ replicas: 2, updatedReplicas: 2, readyReplicas: 1, availableReplicas: 1 }),
      ['InProgress', 'Available: 1/2']],
    ['readyReplicas lagging behind', deploy().status({ replicas: 2, updatedReplicas: 2, readyReplicas: 1, availableReplicas: 2 }),
      ['InProgress', 'Ready: 1/2']],
    ['counts done but Progressing not yet NewReplicaSetAvailable',
      deploy().status({ replicas: 2, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2 })
        .cond('Available', 'True', 'MinimumReplicasAvailable').cond('Progressing', 'True', 'ReplicaSetUpdated'),
      ['InProgress', 'ReplicaSet not Available']],
    ['Available=False', deploy().status({ replicas: 2, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2 })
      .cond('Available', 'False', 'MinimumReplicasUnavailable').cond('Progressing', 'True', 'NewReplicaSetAvailable'),
    ['InProgress', 'Deployment not Available']],
    ['no progressDeadlineSeconds: Progressing is not needed',
      obj('extensions/v1beta1', 'Deployment').gen(1, 1).spec({ replicas: 1 })
        .status({ replicas: 1, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1 }).cond('Available', 'True'),
      ['Current', 'Deployment is available. Replicas: 1']],
  ]],
  ['StatefulSet', [
    ['OnDelete update strategy', sts().spec({ updateStrategy: { type: 'OnDelete' } }),
      ['Current', 'StatefulSet is using the ondelete update strategy']],
    ['pods still being created', sts().status({ replicas: 2, readyReplicas: 2 }), ['InProgress', 'Replicas: 2/3']],
    ['a pod not ready', sts().status({ replicas: 3, readyReplicas: 2, currentReplicas: 3 }), ['InProgress', 'Ready: 2/3']],
    ['scaled down, pod still terminating', sts().spec({ replicas: 2 }).status({ replicas: 3, readyReplicas: 3 }),
      ['InProgress', 'Pending termination: 1']],
    ['partitioned rollout under way', sts().spec({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } })
      .status({ replicas: 3, readyReplicas: 3, currentReplicas: 3, updatedReplicas: 0 }), ['InProgress', 'updated: 0/1']],
    ['partitioned rollout done', sts().spec({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } })
      .status({ replicas: 3, readyReplicas: 3, currentReplicas: 2, updatedReplicas: 1, currentRevision: 'db-1', updateRevision: 'db-2' }),
    ['Current', 'Partition rollout complete. updated: 1']],
    ['rolling update replacing pods', sts().status({ replicas: 3, readyReplicas: 3, currentReplicas: 2, updatedReplicas: 1 }),
      ['InProgress', 'current: 2/3']],
    ['revisions differ', sts().status({ replicas: 3, readyReplicas: 3, currentReplicas: 3, currentRevision: 'db-6d5c', updateRevision: 'db-7e6d' }),
      ['InProgress', 'Waiting for updated revision to match current']],
    ['rolled out', sts().status({ replicas: 3, readyReplicas: 3, currentReplicas: 3, updatedReplicas: 3, currentRevision: 'db-7e6d', updateRevision: 'db-7e6d' }),
      ['Current', 'All replicas scheduled as expected. Replicas: 3']],
  ]],
  ['DaemonSet', [
    ['bare manifest without generation', obj('apps/v1', 'DaemonSet', 'node-exporter'),
      ['InProgress', 'DaemonSet metadata.generation not found']],
    ['not yet seen by its controller', obj('apps/v1', 'DaemonSet', 'node-exporter').gen(1),
      ['InProgress', 'DaemonSet status.observedGeneration not found']],
    ['no desiredNumberScheduled', ds(), ['InProgress', 'Missing .status.desiredNumberScheduled']],
    ['pods not all scheduled', ds().status({ desiredNumberScheduled: 3, currentNumberScheduled: 2 }), ['InProgress', 'Current: 2/3']],
    ['rolling update', ds().status({ desiredNumberScheduled: 3, currentNumberScheduled: 3, updatedNumberScheduled: 1 }),
      ['InProgress', 'Updated: 1/3']],
    ['a pod not available', ds().status({ desiredNumberScheduled: 3, currentNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 2, numberReady: 3 }),
      ['InProgress', 'Available: 2/3']],
    ['a pod not ready', ds().status({ desiredNumberScheduled: 3, currentNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 3, numberReady: 2 }),
      ['InProgress', 'Ready: 2/3']],
    ['rolled out', ds().status({ desiredNumberScheduled: 3, currentNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 3, numberReady: 3 }),
      ['Current', 'All replicas scheduled as expected. Replicas: 3']],
  ]],
  ['ReplicaSet', [
    ['quota exceeded', rs().status({ replicas: 1 }).cond('ReplicaFailure', 'True', 'FailedCreate', 'pods "web-7c9f8d6b5-abcde" is forbidden: exceeded quota'),
      ['InProgress', 'Replica Failure condition. Check Pods']],
    ['pods not yet labelled', rs().status({ replicas: 2, fullyLabeledReplicas: 1 }), ['InProgress', 'Labelled: 1/2']],
    ['a pod not available', rs().status({ replicas: 2, fullyLabeledReplicas: 2, readyReplicas: 2, availableReplicas: 1 }),
      ['InProgress', 'Available: 1/2']],
    ['readyReplicas lagging behind', rs().status({ replicas: 2, fullyLabeledReplicas: 2, readyReplicas: 1, availableReplicas: 2 }),
      ['InProgress', 'Ready: 1/2']],
    ['scaled down, pod still terminating', rs().spec({ replicas: 1 }).status({ replicas: 2, fullyLabeledReplicas: 2, readyReplicas: 2, availableReplicas: 2 }),
      ['InProgress', 'Pending termination: 1']],
    ['all available', rs().status({ replicas: 2, fullyLabeledReplicas: 2, readyReplicas: 2, availableReplicas: 2 }),
      ['Current', 'ReplicaSet is available. Replicas: 2']],
  ]],
  ['Pod', [
    ['Succeeded', pod().status({ phase: 'Succeeded' }), ['Current', 'Pod has completed successfully']],
    ['Failed phase is still Current', pod().status({ phase: 'Failed' }), ['Current', 'Pod has completed, but not successfully']],
    ['Running and Ready', pod().status({ phase: 'Running' }).cond('Ready', 'True'), ['Current', 'Pod is Ready']],
    ['two containers crash-looping', pod().status({
      phase: 'Running',
      containerStatuses: [
        { name: 'app', ready: false, restartCount: 5, state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 2m40s' } } },
        { name: 'proxy', ready: true, state: { running: { startedAt: CREATED } } },
        { name: 'sidecar', ready: false, state: { waiting: { reason: 'CrashLoopBackOff' } } },
      ],
    }).cond('Ready', 'False', 'ContainersNotReady'), ['Failed', 'Containers in CrashLoop state: app,sidecar']],
    ['Running, not Ready, not crash-looping', pod().status({
      phase: 'Running', containerStatuses: [{ name: 'app', ready: false, state: { running: { startedAt: CREATED } } }],
    }).cond('Ready', 'False', 'ContainersNotReady'), ['InProgress', 'Pod is running but is not Ready']],
    ['unschedulable for 14 s', pod().created('2025-06-01T10:04:46Z').status({ phase: 'Pending' })
      .cond('PodScheduled', 'False', 'Unschedulable', '0/3 nodes are available: 3 Insufficient cpu.'),
    ['InProgress', 'Pod has not been scheduled']],
    ['unschedulable for 15 s', pod().created('2025-06-01T10:04:45Z').status({ phase: 'Pending' })
      .cond('PodScheduled', 'False', 'Unschedulable', '0/3 nodes are available: 3 Insufficient cpu.'),
    ['Failed', 'Pod could not be scheduled']],
    ['unschedulable, no creationTimestamp (Go zero time: long ago)', pod().created('').status({ phase: 'Pending' })
      .cond('PodScheduled', 'False', 'Unschedulable'), ['Failed', 'Pod could not be scheduled']],
    ['Pending, pulling images', pod().status({ phase: 'Pending' }).cond('PodScheduled', 'True'), ['InProgress', 'Pod is in the Pending phase']],
    ['no phase yet', pod(), ['InProgress', 'Pod phase not available']],
    ['unknown phase', pod().status({ phase: 'Evicted' }), ['Unknown', 'unknown phase Evicted']],
  ]],
  ['Job (Flux: Current only when complete)', [
    ['Complete', job().spec({ completions: 5, parallelism: 2 }).status({ succeeded: 5, startTime: CREATED })
      .cond('SuccessCriteriaMet', 'True').cond('Complete', 'True'), ['Current', 'Job Completed. succeeded: 5/5']],
    ['backoff limit exceeded', job().spec({ backoffLimit: 6 }).status({ failed: 7, startTime: CREATED })
      .cond('FailureTarget', 'True', 'BackoffLimitExceeded').cond('Failed', 'True', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit'),
    ['Failed', 'Job Failed. failed: 7/1']],
    ['running', job().spec({ parallelism: 3 }).status({ active: 3, startTime: CREATED }), ['InProgress', 'Job in progress. success:0, active: 3, failed: 0']],
    ['not started', job(), ['InProgress', 'Job not started. active: 0/1']],
    ['suspended', job().spec({ suspend: true }), ['Current', 'Job is suspended']],
    ['being deleted: its conditions decide, not Terminating', job().status({ startTime: CREATED }).cond('Complete', 'True').deleting(), ['Current', 'Job Completed. succeeded: 0/1']],
  ]],
  ['PersistentVolumeClaim', [
    ['waiting for a volume', obj('v1', 'PersistentVolumeClaim', 'data').status({ phase: 'Pending' }), ['InProgress', 'PVC is not Bound. phase: Pending']],
    ['no status', obj('v1', 'PersistentVolumeClaim', 'data'), ['InProgress', 'PVC is not Bound. phase: unknown']],
    ['Bound', obj('v1', 'PersistentVolumeClaim', 'data').status({ phase: 'Bound' }), ['Current', 'PVC is Bound']],
  ]],
  ['Service', [
    ['LoadBalancer without a cluster IP', obj('v1', 'Service').spec({ type: 'LoadBalancer' }),
      ['InProgress', 'ClusterIP not set. Service type: LoadBalancer']],
    // cli-utils looks at spec.clusterIP only: a LoadBalancer still waiting for its external address is Current.
    ['LoadBalancer with a cluster IP, no ingress yet', obj('v1', 'Service').spec({ type: 'LoadBalancer', clusterIP: '10.96.12.7' })
      .status({ loadBalancer: {} }), ['Current', 'Service is ready']],
    ['ClusterIP', obj('v1', 'Service').spec({ clusterIP: '10.96.12.8' }), ['Current', 'Service is ready']],
    ['a Knative Service is not a core Service', obj('serving.knative.dev/v1', 'Service').gen(1, 1)
      .cond('Ready', 'False', 'RevisionFailed', 'Revision "web-00001" failed with message: Back-off pulling image.'),
    ['InProgress', 'Revision "web-00001" failed with message: Back-off pulling image.']],
  ]],
  ['CustomResourceDefinition', [
    ['established', obj('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'widgets.example.com')
      .cond('NamesAccepted', 'True', 'NoConflicts').cond('Established', 'True', 'InitialNamesAccepted'),
    ['Current', 'CRD is established']],
    ['names conflict', obj('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'widgets.example.com')
      .cond('NamesAccepted', 'False', 'NameConflict', '"widgets" is already in use')
      .cond('Established', 'False', 'NotAccepted', 'not all names are accepted'),
    ['Failed', '"widgets" is already in use']],
    ['Established=False for another reason', obj('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'widgets.example.com')
      .cond('Established', 'False', 'NotAccepted', 'not all names are accepted'), ['Failed', 'not all names are accepted']],
    ['installing', obj('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'widgets.example.com')
      .cond('NamesAccepted', 'True', 'NoConflicts').cond('Established', 'False', 'Installing', 'the initial names have been accepted'),
    ['InProgress', 'Install in progress']],
    ['no conditions yet', obj('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'widgets.example.com'),
      ['InProgress', 'Install in progress']],
  ]],
  ['always-ready kinds and PodDisruptionBudget', [
    ['ConfigMap', obj('v1', 'ConfigMap', 'cfg'), ['Current', 'Resource is always ready']],
    ['Secret', obj('v1', 'Secret', 'creds'), ['Current', 'Resource is always ready']],
    ['CronJob', obj('batch/v1', 'CronJob', 'backup').gen(1), ['Current', 'Resource is always ready']],
    ['PodDisruptionBudget observed', obj('policy/v1', 'PodDisruptionBudget').gen(1, 1).status({ disruptionsAllowed: 1 }),
      ['Current', 'AllowedDisruptions has been computed.']],
    ['PodDisruptionBudget not yet observed', obj('policy/v1', 'PodDisruptionBudget').gen(2, 1),
      ['InProgress', 'PodDisruptionBudget generation is 2, but latest observed generation is 1']],
  ]],
  ['any other kind: the Ready condition', [
    ['Ready=True', obj('cert-manager.io/v1', 'Certificate', 'tls').gen(1, 1).cond('Ready', 'True', 'Ready', 'Certificate is up to date and has not expired'),
      ['Current', 'Resource is Ready']],
    ['Ready=False', obj('cert-manager.io/v1', 'Certificate', 'tls').gen(1, 1).cond('Ready', 'False', 'DoesNotExist', 'Issuing certificate as Secret does not exist'),
      ['InProgress', 'Issuing certificate as Secret does not exist']],
    ['Ready=Unknown', widget().cond('Ready', 'Unknown', 'Progressing', 'Reconciliation in progress'), ['InProgress', 'Reconciliation in progress']],
    ['no Ready condition', widget().cond('Synced', 'True'), ['Current', 'Resource is current']],
    ['a ServiceAccount', obj('v1', 'ServiceAccount', 'default'), ['Current', 'Resource is current']],
  ]],
  ['Flux objects (generic path)', [
    ['Kustomization applied', ks().cond('Ready', 'True', 'ReconciliationSucceeded', `Applied revision: ${REV}`),
      ['Current', 'Resource is Ready']],
    // kustomize-controller keeps Reconciling=True (ProgressingWithRetry) beside Ready=False: kstatus says InProgress.
    ['Kustomization health check failed', ks()
      .cond('Ready', 'False', 'HealthCheckFailed', 'health check failed after 30.01s: timeout waiting for: [Deployment/apps/web status: \'InProgress\']')
      .cond('Healthy', 'False', 'HealthCheckFailed', 'timeout waiting for: [Deployment/apps/web status: \'InProgress\']')
      .cond('Reconciling', 'True', 'ProgressingWithRetry', `Running health checks for revision ${REV} with a timeout of 30s`),
    ['InProgress', `Running health checks for revision ${REV} with a timeout of 30s`]],
    ['Kustomization waiting for a dependency', ks().cond('Ready', 'False', 'DependencyNotReady', "dependency 'flux-system/infra' is not ready"),
      ['InProgress', "dependency 'flux-system/infra' is not ready"]],
    ['Kustomization with an unobserved spec change', ks().gen(4, 3).cond('Ready', 'True', 'ReconciliationSucceeded'),
      ['InProgress', 'Kustomization generation is 4, but latest observed generation is 3']],
    ['Kustomization being deleted', ks().deleting().cond('Ready', 'True', 'ReconciliationSucceeded'),
      ['Terminating', 'Resource scheduled for deletion']],
    ['HelmRelease out of retries', obj('helm.toolkit.fluxcd.io/v2', 'HelmRelease', 'podinfo').gen(1, 1)
      .cond('Stalled', 'True', 'RetriesExceeded', 'Failed to install after 1 attempt(s)')
      .cond('Ready', 'False', 'InstallFailed', 'Helm install failed for release apps/podinfo with chart podinfo@6.7.0: context deadline exceeded'),
    ['Failed', 'Failed to install after 1 attempt(s)']],
    ['GitRepository failing to fetch', obj('source.toolkit.fluxcd.io/v1', 'GitRepository', 'flux-system').gen(1, 1)
      .cond('FetchFailed', 'True', 'GitOperationFailed', 'failed to checkout and determine revision: authentication required')
      .cond('Ready', 'False', 'GitOperationFailed', 'failed to checkout and determine revision: authentication required'),
    ['InProgress', 'failed to checkout and determine revision: authentication required']],
  ]],
];

describe('kstatus healthOf', () => {
  for (const [group, cases] of groups) {
    describe(group, () => {
      for (const [name, subject, [status, message], now] of cases) {
        it(`${name}: ${status}`, () => {
          const want: Health = { status, message };
          assert.deepEqual(healthOf(subject.obj, now ?? NOW), want);
        });
      }
    });
  }

  it('reads its input without changing it', () => {
    const subject = deploy().status({ replicas: 3, updatedReplicas: 1 }).obj;
    const before = structuredClone(subject);
    healthOf(subject, NOW);
    assert.deepEqual(subject, before);
  });
});

describe('kstatus of hand-written input', () => {
  // Renderers call string methods on messages: what is not text in the input reads as text.
  const cases: Array<[string, Obj, Health]> = [
    ['a Ready message that is a number', obj('example.com/v1', 'Widget', 'w').cond('Ready', 'False', 'Waiting', 5 as unknown as string), { status: 'InProgress', message: '5' }],
    ['a Reconciling message that is a map', obj('example.com/v1', 'Widget', 'w').cond('Reconciling', 'True', 'Progressing', { a: 1 } as unknown as string), { status: 'InProgress', message: '{"a":1}' }],
    ['a Stalled message that is null', obj('example.com/v1', 'Widget', 'w').cond('Stalled', 'True', 'Failed', null as unknown as string), { status: 'Failed', message: '' }],
  ];
  for (const [name, subject, want] of cases) it(name, () => assert.deepEqual(healthOf(subject.obj, NOW), want));
});

describe('kstatus aggregateHealth', () => {
  const cases: Array<[KStatus[], KStatus]> = [
    [[], 'Current'],
    [['Current', 'Current'], 'Current'],
    [['Current', 'InProgress'], 'InProgress'],
    [['Unknown', 'InProgress', 'Current'], 'Unknown'],
    [['Unknown', 'Failed', 'Current'], 'Failed'],
    [['Current', 'NotFound'], 'InProgress'],
    [['Current', 'Terminating'], 'InProgress'],
  ];
  for (const [statuses, want] of cases) {
    it(`[${statuses.join(', ')}] -> ${want}`, () => assert.equal(aggregateHealth(statuses), want));
  }
});
