// Workloads roll out for real on the full profile: the controller manager makes ReplicaSets and pods, the
// scheduler places them on kwok's fake Nodes, and kwok plays the kubelet, with the fault stages of testenv/kwok.
import assert from 'node:assert/strict';
import type { V1Deployment, V1Pod } from '@kubernetes/client-node';
import { clients, eventually, freshNamespace } from '../support/testenv.ts';

const deployment = (name: string, image: string): V1Deployment => ({
  metadata: { name },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image }] } },
  },
});

async function pods(namespace: string, app: string): Promise<V1Pod[]> {
  return (await clients().core.listNamespacedPod({ namespace, labelSelector: `app=${app}` })).items;
}

const waiting = (pod: V1Pod) => pod.status?.containerStatuses?.[0]?.state?.waiting?.reason;

async function available(namespace: string, name: string, image: string): Promise<boolean | undefined> {
  const d = await clients().apps.readNamespacedDeployment({ namespace, name });
  const s = d.status ?? {};
  const done = s.observedGeneration === d.metadata?.generation && s.updatedReplicas === 2 && s.availableReplicas === 2 &&
    s.replicas === 2 && d.spec?.template.spec?.containers[0]?.image === image;
  return done || undefined;
}

describe('workloads on the full test cluster', function () {
  this.timeout(120_000);
  let ns: string;
  before(async () => {
    ns = await freshNamespace('workloads');
  });

  it('a Deployment becomes Available, stalls on an unpullable image, and recovers when fixed', async () => {
    const { apps } = clients();
    await apps.createNamespacedDeployment({ namespace: ns, body: deployment('db', 'postgres:16') });
    await eventually('db to be available', () => available(ns, 'db', 'postgres:16'));

    const setImage = (image: string) =>
      apps.replaceNamespacedDeployment({
        namespace: ns,
        name: 'db',
        body: { ...deployment('db', image), metadata: { name: 'db' } },
      });
    await setImage('postgres:does-not-exist');
    const stuck = await eventually('a new pod in ImagePullBackOff', async () => {
      const all = await pods(ns, 'db');
      return all.find((p) => waiting(p) === 'ImagePullBackOff');
    });
    assert.equal(stuck.status?.phase, 'Pending');
    assert.match(stuck.status?.containerStatuses?.[0]?.state?.waiting?.message ?? '', /Back-off pulling image "postgres:does-not-exist"/);

    // The rollout stays stuck: old pods keep serving, the Deployment never reports the new ReplicaSet available.
    await new Promise((r) => setTimeout(r, 3000));
    const d = await apps.readNamespacedDeployment({ namespace: ns, name: 'db' });
    assert.ok((d.status?.updatedReplicas ?? 0) < 2 || (d.status?.unavailableReplicas ?? 0) > 0, JSON.stringify(d.status));
    const running = (await pods(ns, 'db')).filter((p) => p.status?.phase === 'Running');
    assert.ok(running.every((p) => p.spec?.containers[0]?.image === 'postgres:16'));
    assert.ok(running.length >= 1);

    // kwok records the stage's event beside the status it writes, not necessarily before it.
    await eventually('a Warning Failed event for the pull', async () => {
      const events = await clients().core.listNamespacedEvent({ namespace: ns, fieldSelector: `involvedObject.name=${stuck.metadata?.name}` });
      return events.items.some((e) => e.type === 'Warning' && e.reason === 'Failed') || undefined;
    });

    await setImage('postgres:16.4');
    await eventually('db to recover', () => available(ns, 'db', 'postgres:16.4'));
    await eventually('only healthy pods', async () => {
      const all = await pods(ns, 'db');
      return all.length === 2 && all.every((p) => p.status?.phase === 'Running' && !waiting(p)) ? all : undefined;
    });
  });

  it('a pod whose image names crash-loop waits in CrashLoopBackOff with restarts and an exit code', async () => {
    await clients().apps.createNamespacedDeployment({ namespace: ns, body: deployment('worker', 'busybox:crash-loop') });
    const pod = await eventually('a pod in CrashLoopBackOff', async () => (await pods(ns, 'worker')).find((p) => waiting(p) === 'CrashLoopBackOff'));
    const status = pod.status?.containerStatuses?.[0];
    assert.equal(status?.restartCount, 5);
    assert.equal(status?.lastState?.terminated?.exitCode, 1);
    assert.equal(status?.ready, false);
  });
});
