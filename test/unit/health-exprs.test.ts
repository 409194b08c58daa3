// spec.healthCheckExprs judged as kustomize-controller judges them (fluxcd/pkg runtime/cel status_evaluator.go).
import assert from 'node:assert/strict';
import { evaluate } from 'cel-js';
import { findUnhealthy } from '../../src/model/health-checks.ts';
import { exprFor, exprHealth, healthExprsOf, type HealthExpr } from '../../src/model/health-exprs.ts';
import type { KubeObject } from '../../src/model/objects.ts';
import { buildWorld, type World } from '../../src/model/world.ts';

const cel = (e: string, ctx: Record<string, unknown>) => evaluate(e, ctx);
const cluster = (phase: string, extra: Partial<KubeObject> = {}): KubeObject => ({
  apiVersion: 'cluster.x-k8s.io/v1beta1', kind: 'Cluster', metadata: { name: 'prod', namespace: 'infra', generation: 1 }, status: { phase, observedGeneration: 1 }, ...extra,
});
const rules: HealthExpr = {
  group: 'cluster.x-k8s.io', kind: 'Cluster',
  current: "status.phase == 'Provisioned'", failed: "status.phase == 'Failed'", inProgress: "status.phase == 'Provisioned' && has(status.upgrading)",
};

describe('healthCheckExprs', () => {
  it('reads the entries with a current expression, by group and kind', () => {
    const ks: KubeObject = { spec: { healthCheckExprs: [
      { apiVersion: 'cluster.x-k8s.io/v1beta1', kind: 'Cluster', current: 'true' },
      { apiVersion: 'example.com/v1', current: 'true', failed: '' },
      { apiVersion: 'x/v1', kind: 'NoCurrent' },
    ] } };
    assert.deepEqual(healthExprsOf(ks), [
      { group: 'cluster.x-k8s.io', kind: 'Cluster', current: 'true' },
      { group: 'example.com', kind: '', current: 'true' },
    ]);
  });

  it("the exact kind's entry wins over its group's kind-less one; other groups have none", () => {
    const exprs: HealthExpr[] = [{ group: 'cluster.x-k8s.io', kind: '', current: 'false' }, { group: 'cluster.x-k8s.io', kind: 'Cluster', current: 'true' }];
    assert.equal(exprFor(exprs, cluster('x'))?.current, 'true');
    assert.equal(exprFor(exprs, { ...cluster('x'), kind: 'Machine' })?.current, 'false');
    assert.equal(exprFor(exprs, { apiVersion: 'apps/v1', kind: 'Deployment' }), undefined);
  });

  it("never judges a batch Job: kustomize-controller's own Job reader comes first", () => {
    const exprs: HealthExpr[] = [{ group: 'batch', kind: 'Job', current: 'true' }, { group: 'batch', kind: '', current: 'true' }];
    assert.equal(exprFor(exprs, { apiVersion: 'batch/v1', kind: 'Job' }), undefined);
    assert.equal(exprFor(exprs, { apiVersion: 'batch/v1', kind: 'CronJob' })?.kind, '');
  });

  const table: Array<[string, KubeObject, string, RegExp]> = [
    ['current true', cluster('Provisioned'), 'Current', /current \(status.phase == 'Provisioned'\) is true/],
    ['none true: in progress', cluster('Provisioning'), 'InProgress', /current \(status.phase == 'Provisioned'\) is false/],
    ['failed true', cluster('Failed'), 'Failed', /failed \(status.phase == 'Failed'\) is true/],
    ['inProgress is asked first', cluster('Provisioned', { status: { phase: 'Provisioned', upgrading: true, observedGeneration: 1 } }), 'InProgress', /inProgress .* is true/],
    // The controller's CEL reader has no Terminating: a deleting object is judged by the expressions alone.
    ['being deleted', cluster('Provisioned', { metadata: { name: 'prod', generation: 1, deletionTimestamp: '2026-11-22T10:00:00Z' } }), 'Current', /current .* is true/],
    ['an observed generation behind comes before any expression', cluster('Provisioned', { metadata: { name: 'prod', generation: 2 } }), 'InProgress', /generation is 2, but latest observed generation is 1/],
  ];
  for (const [name, obj, status, message] of table) {
    it(name, () => {
      const health = exprHealth(rules, obj, cel);
      assert.equal(health.status, status);
      assert.match(health.message, message);
    });
  }

  it('an expression that cannot be evaluated makes the status Unknown, with why', () => {
    const health = exprHealth({ ...rules, inProgress: 'status.nosuch.field == 1' }, cluster('Provisioned'), cel);
    assert.equal(health.status, 'Unknown');
    assert.match(health.message, /healthCheckExprs: inProgress \(status.nosuch.field == 1\) failed: /);
    assert.doesNotMatch(health.message, /\{/, 'the object is not in the message');
  });

  it('a result that is not a boolean makes the status Unknown', () => {
    const health = exprHealth({ ...rules, current: 'status.phase' }, cluster('Provisioned'), cel);
    assert.deepEqual(health, { status: 'Unknown', message: 'healthCheckExprs: current (status.phase) is not a boolean' });
  });
});

describe('health checks of a Kustomization with healthCheckExprs', () => {
  const infra: KubeObject = {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: 'infra', namespace: 'flux-system' },
    spec: { wait: true, healthCheckExprs: [{ apiVersion: 'cluster.x-k8s.io/v1beta1', kind: 'Cluster', current: "status.phase == 'Provisioned'" }] },
    status: { inventory: { entries: [{ id: 'infra_prod_cluster.x-k8s.io_Cluster', v: 'v1beta1' }, { id: 'infra_web_apps_Deployment', v: 'v1' }] } },
  };
  const said = "health check failed after 5m0s: timeout waiting for: [Cluster/infra/prod status: 'InProgress', Deployment/infra/web status: 'InProgress']";
  const web: KubeObject = {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'infra', generation: 1 },
    spec: { replicas: 1 }, status: { observedGeneration: 1, replicas: 1, updatedReplicas: 1, readyReplicas: 0, availableReplicas: 0 },
  };
  const checked = (objects: KubeObject[], evaluateCel?: World['evaluateCel']) => {
    const world = buildWorld(objects, { defaultNamespace: 'flux-system', now: new Date('2026-11-22T10:15:00Z'), ...(evaluateCel ? { evaluateCel } : {}) });
    return findUnhealthy(world, infra, 'flux-system', said).objects.map((o) => [o.id, o.status, o.message]);
  };
  const webLine = ['Deployment/infra/web', 'InProgress', 'Available: 0/1'];

  const table: Array<[string, KubeObject[], World['evaluateCel'] | undefined, string[][]]> = [
    // Generic kstatus calls a custom resource without conditions Current: the expression decides instead.
    ['judges the custom resource by its expression', [cluster('Provisioning'), web], cel,
      [['Cluster/infra/prod', 'InProgress', "healthCheckExprs: current (status.phase == 'Provisioned') is false"], webLine]],
    ["keeps an object the controller named that the expression calls Current, with the controller's status, last", [cluster('Provisioned'), web], cel,
      [webLine, ['Cluster/infra/prod', 'InProgress', "at the controller's last check; Current here now (healthCheckExprs: current (status.phase == 'Provisioned') is true)"]]],
    ["without CEL, takes the controller's word", [cluster('Provisioned'), web], undefined,
      [['Cluster/infra/prod', 'InProgress', "status 'InProgress' according to the controller (its healthCheckExprs)"], webLine]],
  ];
  for (const [name, objects, evaluateCel, expected] of table) it(name, () => assert.deepEqual(checked(objects, evaluateCel), expected));
});
