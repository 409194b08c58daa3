// why-blocked's verdicts, one table row per reason, on objects shaped as the controllers write them.
import assert from 'node:assert/strict';
import { evaluate } from 'cel-js';
import { explain, type Explanation } from '../../src/model/blockers.ts';
import { buildGraph } from '../../src/model/graph.ts';
import { parseHealthMessage, podProblems } from '../../src/model/health-checks.ts';
import type { KubeObject } from '../../src/model/objects.ts';
import { nextSteps } from '../../src/model/next-steps.ts';
import { unreadFromKey, type Unread } from '../../src/model/unread.ts';
import { buildWorld } from '../../src/model/world.ts';
import { artifact, git, ks, REV, type FluxBuilder } from '../support/fixtures.ts';

const OLD = 'main@sha1:6e23072f91245f47eb6c49fab6093566dd28063e';
const now = new Date('2026-11-22T10:15:00Z');
const K = (name: string) => `Kustomization/flux-system/${name}`;
const fleet = () => artifact(git('flux-system'));

function why(target: string, builders: Array<FluxBuilder | KubeObject>, unread: Unread[] = []): Explanation {
  const objects = builders.map((b) => ('build' in b && typeof b.build === 'function' ? (b as FluxBuilder).build() : (b as KubeObject)));
  const graph = buildGraph(objects, 'flux-system', unread);
  const world = buildWorld(objects, { defaultNamespace: 'flux-system', now, unread, evaluateCel: (e, ctx) => evaluate(e, ctx) });
  return explain(graph, world, target);
}

const causes = (e: Explanation) => e.rootCauses.map((c) => `${c.object} ${c.reason} via ${c.path.map((p) => p.split('/').pop()).join('>')}`);
const waiting = (name: string, on: string) => ks(name).source('GitRepository', 'flux-system').dependsOn(on).notReady('DependencyNotReady', `dependency 'flux-system/${on}' is not ready`);
const readyKs = (name: string) => ks(name).source('GitRepository', 'flux-system').ready();

const deployment = (name: string, updated: number): KubeObject => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'demo', generation: 2 },
  spec: { replicas: 2, selector: { matchLabels: { app: name } } },
  status: { observedGeneration: 2, replicas: 3, updatedReplicas: updated, readyReplicas: 2, availableReplicas: 2, unavailableReplicas: 1 },
});
const pod = (name: string, app: string, containerStatus: object, phase = 'Pending'): KubeObject => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'demo', labels: { app } },
  status: { phase, conditions: [{ type: 'Ready', status: phase === 'Running' ? 'True' : 'False' }], containerStatuses: [containerStatus] },
});
const pullBackOff = { name: 'db', ready: false, restartCount: 0, state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "db:bad"' } } };
const healthFailed = () =>
  ks('infra').source('GitRepository', 'flux-system').set('spec.wait', true)
    .notReady('HealthCheckFailed', "health check failed after 1m0.021654796s: timeout waiting for: [Deployment/demo/db status: 'InProgress']")
    .inventory('demo_db_apps_Deployment');

describe('why-blocked verdicts', () => {
  it('is not blocked when Ready at the source’s revision', () => {
    const e = why(K('apps'), [fleet(), readyKs('infra'), readyKs('apps').dependsOn('infra')]);
    assert.deepEqual([e.ready, e.blocked, e.rootCauses.length], [true, false, 0]);
    assert.equal(e.summary, 'Kustomization/flux-system/apps is Ready at main@sha1:1818d77d: not blocked');
  });

  const table: Array<[string, string, Array<FluxBuilder | KubeObject>, string[]]> = [
    ['a typo in dependsOn', 'apps', [fleet(), readyKs('infrastructure'), waiting('apps', 'infrastucture')], [`${K('infrastucture')} NotFound via apps>infrastucture`]],
    ['a suspended upstream that is not Ready', 'apps', [fleet(), readyKs('base'), waiting('infra', 'base').suspended(), waiting('apps', 'infra')], [`${K('infra')} Suspended via apps>infra`]],
    ['a failing GitRepository', 'apps', [artifact(git('flux-system')).notReady('GitOperationFailed', 'authentication required'), waiting('apps', 'infra'), readyKs('infra')], ['GitRepository/flux-system/flux-system SourceNotReady via apps>flux-system']],
    ['a missing source', 'apps', [readyKs('apps').notReady('ArtifactFailed', 'Source artifact not found, retrying in 30s')], ['GitRepository/flux-system/flux-system NotFound via apps>flux-system']],
    ['a dependency cycle', 'a', [fleet(), waiting('a', 'b'), waiting('b', 'c'), waiting('c', 'a')], [`${K('a')} DependencyCycle via a`]],
    ['a same-source revision lag', 'apps', [fleet(), readyKs('infra').set('status.lastAppliedRevision', OLD), waiting('apps', 'infra')], [`${K('infra')} RevisionNotUpToDate via apps>infra`]],
    ['a dependency never reconciled', 'apps', [fleet(), ks('infra').source('GitRepository', 'flux-system').set('status', { observedGeneration: -1 }), waiting('apps', 'infra')], [`${K('infra')} NotReconciled via apps>infra`]],
    ['a build failure', 'apps', [fleet(), ks('infra').source('GitRepository', 'flux-system').notReady('BuildFailed', 'kustomization path not found: stat /tmp/x/infra: no such file or directory'), waiting('apps', 'infra')], [`${K('infra')} ReconciliationFailed via apps>infra`]],
    ['a health check that failed', 'apps', [fleet(), healthFailed(), waiting('apps', 'infra'), deployment('db', 1), pod('db-new', 'db', pullBackOff)], [`${K('infra')} HealthCheckFailed via apps>infra`]],
    ['two failing branches, both reported', 'apps', [fleet(), waiting('apps', 'x').dependsOn('x', 'y'), waiting('x', 'gone'), readyKs('base'), waiting('y', 'base').suspended()], [`${K('gone')} NotFound via apps>x>gone`, `${K('y')} Suspended via apps>y`]],
    ['a shared root cause, once', 'apps', [fleet(), waiting('apps', 'x').dependsOn('x', 'y'), waiting('x', 'gone'), waiting('y', 'gone')], [`${K('gone')} NotFound via apps>x>gone`]],
  ];
  for (const [what, target, objects, expected] of table) {
    it(`finds ${what}`, () => {
      const e = why(K(target), objects);
      assert.equal(e.blocked, true);
      assert.deepEqual(causes(e), expected);
    });
  }

  it('does not count a suspended dependency that is Ready as a blocker', () => {
    const e = why(K('apps'), [fleet(), readyKs('infra').suspended(), waiting('apps', 'infra')]);
    assert.deepEqual(causes(e), [`${K('apps')} Progressing via apps`]);
    assert.match(e.rootCauses[0]?.message ?? '', /^its dependencies are ready now; kustomize-controller checks them again within 30s/);
    assert.deepEqual(e.rootCauses[0]?.next, ['flux reconcile kustomization apps -n flux-system   # check now rather than within 30s']);
  });

  it('knows a dependency-requeue wait by what the walk found, not by its message, on every path up', () => {
    // mid waits on x (its dependencies ready now: a requeue wait) and on gone (NotFound): apps sees both through mid.
    const e = why(K('apps'), [fleet(), readyKs('base'), waiting('x', 'base'), waiting('mid', 'x').dependsOn('x', 'gone'), waiting('apps', 'mid')]);
    assert.deepEqual(causes(e), [`${K('gone')} NotFound via apps>mid>gone`, `${K('x')} Progressing via apps>mid>x`]);
    const requeue = e.rootCauses[1];
    assert.deepEqual(requeue?.next, ['flux reconcile kustomization x -n flux-system   # check now rather than within 30s']);
    // The same words on a root cause the walk did not find waiting are no reason for that step.
    assert.ok(requeue);
    assert.ok(!nextSteps(requeue).some((n) => n.includes('check now')), nextSteps(requeue).join('\n'));
  });

  it('evaluates readyExpr with CEL and shows the values it read', () => {
    const expr = "dep.metadata.annotations['fleet.example.com/ready'] == 'true'";
    const infra = readyKs('infra').set('metadata.annotations', { 'fleet.example.com/ready': 'false' });
    const apps = ks('apps').source('GitRepository', 'flux-system').dependsOn({ name: 'infra', readyExpr: expr } as unknown as Record<string, string>)
      .notReady('DependencyNotReady', "dependency 'flux-system/infra' is not ready according to readyExpr eval");
    const e = why(K('apps'), [fleet(), infra, apps]);
    assert.deepEqual(causes(e), [`${K('infra')} ReadyExprFalse via apps>infra`]);
    assert.equal(e.rootCauses[0]?.message, `readyExpr of ${K('apps')} is false: ${expr}`);
    assert.deepEqual(e.rootCauses[0]?.notes, [`dep.metadata.annotations['fleet.example.com/ready'] = "false"`]);
  });

  it('says how long health checks have run against the timeout', () => {
    const infra = ks('infra').source('GitRepository', 'flux-system').set('spec.timeout', '5m').set('spec.wait', true)
      .condition2('Ready', 'Unknown', 'Progressing', 'Reconciliation in progress', '2026-11-22T10:13:48Z')
      .condition2('Reconciling', 'True', 'Progressing', `Running health checks for revision ${REV} with a timeout of 5m0s`, '2026-11-22T10:13:48Z')
      .set('status.observedGeneration', 1).set('status.lastAppliedRevision', OLD);
    const e = why(K('infra'), [fleet(), infra]);
    assert.deepEqual(causes(e), [`${K('infra')} Progressing via infra`]);
    assert.equal(e.rootCauses[0]?.message, `Running health checks for revision ${REV} with a timeout of 5m0s; running for 1m12s of its 5m timeout`);
  });

  it('names the unhealthy object, its pod and container, and what to run next', () => {
    const e = why(K('infra'), [fleet(), healthFailed(), deployment('db', 1), pod('db-new', 'db', pullBackOff), pod('db-old', 'db', { name: 'db', ready: true }, 'Running')]);
    const c = e.rootCauses[0];
    assert.equal(c?.source, 'live');
    assert.deepEqual(c?.objects.map((o) => [o.id, o.status, o.message]), [['Deployment/demo/db', 'InProgress', 'Updated: 1/2']]);
    assert.deepEqual(c?.objects[0]?.details, ['pod db-new: container db: ImagePullBackOff: Back-off pulling image "db:bad"']);
    assert.deepEqual(c?.next, ['kubectl describe pod db-new -n demo', 'flux reconcile kustomization infra -n flux-system --with-source   # once fixed in Git']);
  });

  it('carries the refused ServiceAccount as a field, and the next steps look into it from that field', () => {
    const message = 'ConfigMap/flux-system/apps dry-run failed (Forbidden): configmaps "apps" is forbidden: User "system:serviceaccount:flux-system:deployer" cannot patch resource "configmaps" in API group "" in the namespace "flux-system"\n';
    const apps = ks('apps').source('GitRepository', 'flux-system').set('spec.serviceAccountName', 'deployer').notReady('ReconciliationFailed', message);
    const c = why(K('apps'), [fleet(), apps]).rootCauses[0];
    assert.deepEqual(c?.serviceAccount, { namespace: 'flux-system', name: 'deployer' });
    const steps = ['kubectl get serviceaccount deployer -n flux-system', 'kubectl auth can-i --list -n flux-system --as system:serviceaccount:flux-system:deployer', 'kubectl get rolebindings,clusterrolebindings -A -o wide | grep deployer'];
    assert.deepEqual(c?.next, steps);
    // The steps follow the field, not the note's words: reworded or gone, the same steps.
    assert.ok(c);
    assert.deepEqual(nextSteps({ ...c, notes: [] }), steps);
    // A refusal of some other user names no account (its steps are the generic ones).
    const other = ks('apps').source('GitRepository', 'flux-system').set('spec.serviceAccountName', 'deployer').notReady('ReconciliationFailed', message.replace(':deployer"', ':someone-else"'));
    const o = why(K('apps'), [fleet(), other]).rootCauses[0];
    assert.equal(o?.serviceAccount, undefined);
    assert.ok(!o?.next.some((n) => n.includes('serviceaccount')), o?.next.join('\n'));
  });

  it('falls back to the controller’s message when the objects cannot be read, and says so', () => {
    const e = why(K('infra'), [fleet(), healthFailed()], [unreadFromKey('Deployment/demo', 'forbidden', 'apps/v1')]);
    const c = e.rootCauses[0];
    assert.equal(c?.source, 'controller message');
    assert.deepEqual(c?.objects.map((o) => [o.id, o.status]), [['Deployment/demo/db', 'InProgress']]);
    assert.deepEqual(c?.notes, ["could not read Deployments in demo (forbidden): statuses are the controller's, details are not available"]);
  });
});

describe('health-check messages', () => {
  it('parses the current form, the apiVersion form and undeterminable objects', () => {
    assert.deepEqual(
      parseHealthMessage("health check failed after 30.0123s: timeout waiting for: [Deployment/production/backend status: 'InProgress', apps/v1/StatefulSet/data/pg status: 'Failed': Progress deadline exceeded, can't determine status for v1/Namespace/demo]").map((i) => [i.id, i.status, i.message]),
      [
        ['Deployment/production/backend', 'InProgress', ''],
        ['StatefulSet/data/pg', 'Failed', 'Progress deadline exceeded'],
        ['Namespace/demo', 'Unknown', "the controller can't determine its status"],
      ],
    );
  });
});

describe('pod problems', () => {
  const p = (status: object, conditions: object[] = []): KubeObject => ({ kind: 'Pod', metadata: { name: 'p' }, status: { phase: 'Running', conditions, ...status } });
  const cases: Array<[string, KubeObject, string[]]> = [
    ['a crash loop', p({ containerStatuses: [{ name: 'c', ready: false, restartCount: 7, state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 5m0s' } }, lastState: { terminated: { exitCode: 1, reason: 'Error' } } }] }), ['pod p: container c: CrashLoopBackOff (restarts 7, last exit code 1 (Error))']],
    ['an OOM kill', p({ containerStatuses: [{ name: 'c', ready: false, restartCount: 1, state: { running: {} }, lastState: { terminated: { exitCode: 137, reason: 'OOMKilled' } } }] }), ['pod p: container c: not ready, last exit code 137 (OOMKilled)']],
    ['no node to run on', p({ phase: 'Pending' }, [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/2 nodes are available: 2 Insufficient memory.' }]), ['pod p: Unschedulable: 0/2 nodes are available: 2 Insufficient memory.']],
    ['container statuses that are not a list', p({ containerStatuses: 'oops' }, [{ type: 'PodScheduled', status: 'True', message: 5 }]), ['pod p: Running, not ready']],
  ];
  for (const [what, pod, expected] of cases) it(what, () => assert.deepEqual(podProblems(pod), expected));
});
