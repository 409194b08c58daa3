// lint's rules on plain objects: for every rule a case where it fires and one where it must not.
import assert from 'node:assert/strict';
import { lint, type LintInput } from '../../src/model/lint/lint.ts';
import { rules, type LintFinding, type RuleId } from '../../src/model/lint/rules.ts';
import type { KubeObject } from '../../src/model/objects.ts';
import { unreadFromKey } from '../../src/model/unread.ts';
import { git, hr, ks, objects } from '../support/fixtures.ts';

const repo = () => git('flux-system');
const crd = (name: string, group: string, kind: string): KubeObject => ({
  apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name }, spec: { group, names: { kind } },
});
const deployment = (name: string, spec: Record<string, unknown> = {}): KubeObject => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'apps' }, spec });

function run(objs: KubeObject[], extra: Partial<LintInput> = {}, options: { ref?: string; maxDepth?: number; disabled?: RuleId[] } = {}): LintFinding[] {
  const input: LintInput = { objects: objs, defaultNamespace: 'flux-system', sourcesRead: ['GitRepository/*', 'HelmRepository/*'], ...extra };
  return lint(input, { maxDepth: 4, disabled: [], ...options }).findings;
}
const of = (rule: RuleId, findings: LintFinding[]) => findings.filter((f) => f.rule === rule).map((f) => `${f.object}: ${f.message}`);

interface Case {
  rule: RuleId;
  name: string;
  objects: () => KubeObject[];
  extra?: Partial<LintInput>;
  options?: { ref?: string; maxDepth?: number };
  /** Lines `object: message` expected, or a pattern each must match, or [] when the rule must not fire. */
  expect: Array<string | RegExp>;
}

const gated = (b: ReturnType<typeof ks>) => b.set('spec.wait', true);
const cases: Case[] = [
  { rule: 'dependency-cycle', name: 'a cycle of three', objects: () => [repo().build(), ...objects(gated(ks('a').dependsOn('c')), gated(ks('b').dependsOn('a')), gated(ks('c').dependsOn('b')))],
    expect: ['Kustomization/flux-system/a: dependsOn cycle a → c → b → a: none of them can ever become Ready'] },
  { rule: 'dependency-cycle', name: 'a diamond is no cycle', objects: () => objects(ks('a'), ks('b').dependsOn('a'), ks('c').dependsOn('a'), ks('d').dependsOn('b', 'c')), expect: [] },
  { rule: 'missing-dependency', name: 'a typo, with the name meant', objects: () => objects(ks('infra-controllers'), ks('apps').dependsOn('infra-controlers')),
    expect: [/^Kustomization\/flux-system\/apps: dependsOn names Kustomization\/flux-system\/infra-controlers, which does not exist/] },
  { rule: 'missing-dependency', name: 'an entry into a namespace that could not be read is not claimed missing', objects: () => objects(ks('apps').dependsOn('team/infra')),
    extra: { unreadable: [unreadFromKey('Kustomization/team', 'forbidden', 'kustomize.toolkit.fluxcd.io/v1')] }, expect: [] },
  { rule: 'missing-dependency', name: 'an entry of a kind the cluster does not serve says so, not a typo', objects: () => objects(ks('apps').dependsOn({ apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', name: 'redis' })),
    extra: { unreadable: [unreadFromKey('HelmRelease/flux-system', 'notServed', 'helm.toolkit.fluxcd.io/v2')] },
    expect: ['Kustomization/flux-system/apps: dependsOn names HelmRelease/flux-system/redis, which cannot exist here: the server doesn\'t have a resource type "helmreleases" (helm.toolkit.fluxcd.io/v2 is not served by this cluster)'] },
  { rule: 'wrong-kind-dependency', name: 'a Kustomization naming a HelmRelease', objects: () => objects(hr('redis'), ks('apps').dependsOn('redis')),
    expect: [/^Kustomization\/flux-system\/apps: dependsOn names redis, which is a HelmRelease/] },
  { rule: 'wrong-kind-dependency', name: 'a HelmRelease naming a Kustomization', objects: () => objects(ks('infra'), hr('web').dependsOn('infra')),
    expect: [/^HelmRelease\/flux-system\/web: dependsOn names infra, which is a Kustomization/] },
  { rule: 'wrong-kind-dependency', name: 'an entry naming the kind explicitly points at that kind', objects: () => objects(hr('redis'), ks('apps').dependsOn({ kind: 'HelmRelease', name: 'redis' })), expect: [] },
  { rule: 'deep-chain', name: 'five levels', objects: () => objects(ks('a'), ks('b').dependsOn('a'), ks('c').dependsOn('b'), ks('d').dependsOn('c'), ks('e').dependsOn('d')),
    expect: ['Kustomization/flux-system/e: a dependsOn chain of 5 levels, more than 4: a → b → c → d → e'] },
  { rule: 'deep-chain', name: 'four levels are fine', objects: () => objects(ks('a'), ks('b').dependsOn('a'), ks('c').dependsOn('b'), ks('d').dependsOn('c')), expect: [] },
  { rule: 'deep-chain', name: '--max-depth 2', objects: () => objects(ks('a'), ks('b').dependsOn('a'), ks('c').dependsOn('b')), options: { maxDepth: 2 },
    expect: ['Kustomization/flux-system/c: a dependsOn chain of 3 levels, more than 2: a → b → c'] },
  { rule: 'dependency-not-health-gated', name: 'no wait, no health checks, no readyExpr', objects: () => objects(ks('infra'), ks('apps').dependsOn('infra')),
    expect: [/^Kustomization\/flux-system\/infra: apps depends on it, but it has no wait, healthChecks or healthCheckExprs/] },
  { rule: 'dependency-not-health-gated', name: 'wait: true', objects: () => objects(gated(ks('infra')), ks('apps').dependsOn('infra')), expect: [] },
  { rule: 'dependency-not-health-gated', name: 'healthChecks', objects: () => objects(ks('infra').set('spec.healthChecks', [{ kind: 'Deployment', name: 'x', namespace: 'a' }]), ks('apps').dependsOn('infra')), expect: [] },
  { rule: 'dependency-not-health-gated', name: 'the dependent has a readyExpr', objects: () => objects(ks('infra'), ks('apps').dependsOn({ name: 'infra', readyExpr: 'dep.status.x == 1' })), expect: [] },
  { rule: 'health-checks-ignored', name: 'healthChecks beside wait', objects: () => objects(gated(ks('infra')).set('spec.healthChecks', [{ kind: 'Deployment', name: 'x', namespace: 'a' }])),
    expect: [/^Kustomization\/flux-system\/infra: spec.healthChecks is set beside wait: true/] },
  { rule: 'health-checks-ignored', name: 'healthChecks alone', objects: () => objects(ks('infra').set('spec.healthChecks', [{ kind: 'Deployment', name: 'x', namespace: 'a' }])), expect: [] },
  { rule: 'timeout-too-short', name: 'wait on a Deployment with the default deadline, timeout from a 5m interval', objects: () => [gated(ks('apps')).set('spec.interval', '5m').inventory('apps_api_apps_Deployment').build(), deployment('api')],
    expect: ["Kustomization/flux-system/apps: its timeout 4m30s (from its interval) is shorter than Deployment/apps/api's progressDeadlineSeconds 600 (the default): the health check fails with a bare timeout first"] },
  { rule: 'timeout-too-short', name: 'a healthCheck on a Job with a long deadline', objects: () => [ks('apps').set('spec.timeout', '2m').set('spec.healthChecks', [{ apiVersion: 'batch/v1', kind: 'Job', name: 'migrate', namespace: 'apps' }]).build(),
    { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'migrate', namespace: 'apps' }, spec: { activeDeadlineSeconds: 300 } }],
  expect: [/its timeout 2m is shorter than Job\/apps\/migrate's activeDeadlineSeconds 300/] },
  { rule: 'timeout-too-short', name: 'from the manifests of a repository', objects: () => objects(gated(ks('apps')).set('spec.timeout', '1m')),
    extra: { manifests: new Map([['Kustomization/flux-system/apps', [deployment('api', { progressDeadlineSeconds: 120 })]]]) }, expect: [/its timeout 1m is shorter than Deployment\/apps\/api's progressDeadlineSeconds 120/] },
  { rule: 'timeout-too-short', name: 'a HelmRelease whose chart has a slow Deployment', objects: () => [hr('web').build(),
    { ...deployment('web', { progressDeadlineSeconds: 900 }), metadata: { name: 'web', namespace: 'flux-system', annotations: { 'meta.helm.sh/release-name': 'web', 'meta.helm.sh/release-namespace': 'flux-system' } } }],
  expect: [/^HelmRelease\/flux-system\/web: its Helm timeout 5m is shorter than Deployment\/flux-system\/web's progressDeadlineSeconds 900/] },
  { rule: 'timeout-too-short', name: 'a timeout long enough', objects: () => [gated(ks('apps')).set('spec.timeout', '10m').inventory('apps_api_apps_Deployment').build(), deployment('api')], expect: [] },
  { rule: 'timeout-too-short', name: 'a health-checked Kustomization after the dependency it waits for', objects: () => objects(
    gated(ks('root')).set('spec.timeout', '5m').inventory('flux-system_apps_kustomize.toolkit.fluxcd.io_Kustomization'),
    gated(ks('infra')).set('spec.timeout', '3m'), gated(ks('apps').dependsOn('infra')).set('spec.timeout', '3m')),
    expect: ['Kustomization/flux-system/root: its timeout 5m is shorter than the 6m30s Kustomization/flux-system/apps can take to be Ready (3m for infra, a 30s requeue, its own 3m): the health check fails with a bare timeout first'] },
  { rule: 'timeout-too-short', name: 'a dependency without health checks adds only its requeue', objects: () => objects(
    gated(ks('root')).set('spec.timeout', '3m15s').inventory('flux-system_apps_kustomize.toolkit.fluxcd.io_Kustomization'),
    ks('infra').set('spec.timeout', '3m'), gated(ks('apps').dependsOn('infra')).set('spec.timeout', '3m')),
    expect: ['Kustomization/flux-system/root: its timeout 3m15s is shorter than the 3m30s Kustomization/flux-system/apps can take to be Ready (a 30s requeue, its own 3m): the health check fails with a bare timeout first'] },
  { rule: 'timeout-too-short', name: 'a health-checked HelmRelease that does not wait has nothing to outlast', objects: () => [
    ks('platform').set('spec.timeout', '1m').set('spec.healthChecks', [{ apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', name: 'db', namespace: 'flux-system' }]).build(),
    hr('db').set('spec.install.disableWait', true).set('spec.upgrade.disableWait', true).build()], expect: [] },
  { rule: 'timeout-too-short', name: 'no health checks, nothing to outlast', objects: () => [ks('apps').set('spec.timeout', '1m').inventory('apps_api_apps_Deployment').build(), deployment('api')], expect: [] },
  { rule: 'crds-pruned', name: 'CRDs in the inventory with prune: true', objects: () => [ks('crds').inventory('_certificates.cert-manager.io_apiextensions.k8s.io_CustomResourceDefinition').build()],
    expect: [/^Kustomization\/flux-system\/crds: applies 1 CustomResourceDefinition \(certificates.cert-manager.io, from its inventory\) with prune: true/] },
  { rule: 'crds-pruned', name: 'CRDs with prune: false', objects: () => [ks('crds').set('spec.prune', false).inventory('_certificates.cert-manager.io_apiextensions.k8s.io_CustomResourceDefinition').build()], expect: [] },
  { rule: 'crds-mixed', name: 'CRDs and their resources from the manifests', objects: () => objects(ks('infra').set('spec.prune', false)),
    extra: { manifests: new Map([['Kustomization/flux-system/infra', [crd('clusterissuers.cert-manager.io', 'cert-manager.io', 'ClusterIssuer'), { apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', metadata: { name: 'le' } }]]]) },
    expect: ['Kustomization/flux-system/infra: applies CustomResourceDefinitions together with 1 resource of them (ClusterIssuer/le)'] },
  { rule: 'crds-mixed', name: 'CRDs alone', objects: () => objects(ks('crds').set('spec.prune', false)),
    extra: { manifests: new Map([['Kustomization/flux-system/crds', [crd('clusterissuers.cert-manager.io', 'cert-manager.io', 'ClusterIssuer')]]]) }, expect: [] },
  { rule: 'prune-disabled', name: 'prune: false, no CRDs', objects: () => objects(ks('apps').set('spec.prune', false)), expect: [/^Kustomization\/flux-system\/apps: prune is not true/] },
  { rule: 'prune-disabled', name: 'prune: true', objects: () => objects(ks('apps')), expect: [] },
  { rule: 'suspended-dependency', name: 'a suspended dependency', objects: () => objects(gated(ks('infra')).suspended(), ks('apps').dependsOn('infra')),
    expect: [/^Kustomization\/flux-system\/infra: suspended, and apps depends on it/] },
  { rule: 'suspended-dependency', name: 'suspended, but nothing depends on it', objects: () => objects(ks('infra').suspended()), expect: [] },
  { rule: 'source-missing', name: 'a GitRepository that is not there', objects: () => objects(ks('apps').source('GitRepository', 'fleet')),
    expect: ['Kustomization/flux-system/apps: its source GitRepository/flux-system/fleet does not exist: it never gets an artifact to apply'] },
  { rule: 'source-missing', name: 'a HelmRelease chart source', objects: () => objects(hr('web')), expect: [/^HelmRelease\/flux-system\/web: its source HelmRepository\/flux-system\/charts does not exist/] },
  { rule: 'source-missing', name: 'a source kind not read is not claimed missing', objects: () => objects(ks('apps').source('OCIRepository', 'fleet')), expect: [] },
  { rule: 'source-missing', name: 'the source exists', objects: () => [repo().build(), ks('apps').build()], expect: [] },
  { rule: 'cross-namespace-source', name: 'a source in flux-system for a tenant', objects: () => [repo().build(), ks('apps').ns('team').set('spec.sourceRef.namespace', 'flux-system').build()],
    expect: [/^Kustomization\/team\/apps: reads GitRepository\/flux-system\/flux-system from namespace flux-system/] },
  { rule: 'cross-namespace-source', name: 'the same namespace', objects: () => [repo().build(), ks('apps').build()], expect: [] },
  { rule: 'cross-namespace-dependency', name: 'an entry into flux-system', objects: () => objects(gated(ks('infra')), ks('apps').ns('team').dependsOn('flux-system/infra')),
    expect: [/^Kustomization\/team\/apps: dependsOn Kustomization\/flux-system\/infra in namespace flux-system/] },
  { rule: 'cross-namespace-dependency', name: 'the same namespace', objects: () => objects(gated(ks('infra')), ks('apps').dependsOn('infra')), expect: [] },
];

describe('lint rules', () => {
  it('every rule has a case where it fires and one where it does not', () => {
    for (const r of rules) {
      assert.ok(cases.some((c) => c.rule === r.id && c.expect.length > 0), `${r.id} fires`);
      assert.ok(cases.some((c) => c.rule === r.id && c.expect.length === 0), `${r.id} silent`);
    }
  });

  for (const c of cases) {
    it(`${c.rule}: ${c.name}`, () => {
      const got = of(c.rule, run(c.objects(), c.extra, c.options));
      assert.equal(got.length, c.expect.length, got.join('\n'));
      c.expect.forEach((e, i) => (typeof e === 'string' ? assert.equal(got[i], e) : assert.match(got[i] ?? '', e)));
    });
  }
});

describe('lint', () => {
  const chain = () => [repo().build(), ...objects(ks('a'), ks('b').dependsOn('a'), ks('c').dependsOn('b').suspended(), ks('d').dependsOn('c'), ks('x').dependsOn('nope'))];

  it('with a REF, only REF and its upstream', () => {
    const findings = run(chain(), {}, { ref: 'Kustomization/flux-system/c' });
    assert.deepEqual([...new Set(findings.map((f) => f.object))], ['Kustomization/flux-system/a', 'Kustomization/flux-system/b']);
    assert.ok(!findings.some((f) => f.rule === 'suspended-dependency'), 'c has no dependents in that scope');
  });

  it('a wide fan-in (9 levels of 8, each on all 8 above) is checked once per object, not once per path', function () {
    this.timeout(10_000); // 8^8 paths, ~20 s, before each object's chain was remembered
    const width = 8;
    const name = (level: number, i: number) => `l${level}-${i}`;
    const levels = Array.from({ length: 9 }, (_, level) => Array.from({ length: width }, (_, i) => {
      const k = gated(ks(name(level, i))).set('spec.timeout', '1m');
      for (let j = 0; level > 0 && j < width; j++) k.dependsOn(name(level - 1, j));
      return k;
    })).flat();
    const checker = ks('checker').set('spec.timeout', '2m').set('spec.healthChecks', [{ apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', name: name(8, 0), namespace: 'flux-system' }]);
    const found = of('timeout-too-short', run([repo().build(), ...objects(...levels, checker)]));
    // l8-0 waits for eight levels' 1m health checks and eight requeues, then its own: 8m + 8 x 30s + 1m = 13m.
    assert.ok(found.some((f) => f.startsWith('Kustomization/flux-system/checker: its timeout 2m is shorter than the 13m Kustomization/flux-system/l8-0 can take')), found.join('\n'));
  });

  it('--disable drops a rule; the annotation silences rules for one object, and names unknown rules as a warning', () => {
    assert.ok(!run(chain(), {}, { disabled: ['missing-dependency'] }).some((f) => f.rule === 'missing-dependency'));
    const objs = chain();
    (objs[5]?.metadata ?? {}).annotations = { 'flux-deps.dev/lint-disable': 'missing-dependency, no-such-rule' };
    (objs[1]?.metadata ?? {}).annotations = { 'flux-deps.dev/lint-disable': 'all' };
    const result = lint({ objects: objs, defaultNamespace: 'flux-system', sourcesRead: [] }, { maxDepth: 4, disabled: [] });
    assert.ok(!result.findings.some((f) => f.object.endsWith('/x') && f.rule === 'missing-dependency'));
    assert.ok(!result.findings.some((f) => f.object.endsWith('/a')));
    assert.deepEqual(result.warnings, ['Kustomization/flux-system/x: annotation flux-deps.dev/lint-disable names unknown rule "no-such-rule"']);
  });

  it('sorts errors first, then by object and rule, and adds where an object was read', () => {
    const findings = run(chain(), { locations: new Map([['Kustomization/flux-system/x', { file: 'clusters/x.yaml', line: 3 }]]) });
    const ranks = findings.map((f) => ['error', 'warning', 'info'].indexOf(f.severity));
    assert.deepEqual(ranks, [...ranks].sort((p, q) => p - q));
    assert.deepEqual(findings[0], {
      rule: 'missing-dependency', severity: 'error', object: 'Kustomization/flux-system/x',
      message: 'dependsOn names Kustomization/flux-system/nope, which does not exist: the controller retries every 30s and never proceeds',
      fix: 'fix the entry\'s name or namespace, or create Kustomization/flux-system/nope', path: ['Kustomization/flux-system/x', 'Kustomization/flux-system/nope'],
      location: { file: 'clusters/x.yaml', line: 3 },
    });
  });
});
