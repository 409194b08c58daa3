// lint's rules: ids (part of the contract, CONTRACT.md), severities, and what each checks, for help and SARIF.
export type Severity = 'error' | 'warning' | 'info';

export const severities: readonly Severity[] = ['error', 'warning', 'info'];

export interface Rule {
  id: string;
  severity: Severity;
  /** One line: what the rule finds. */
  summary: string;
  /** Why it matters and what to do, for SARIF's help text. */
  help: string;
}

export const rules = [
  { id: 'dependency-cycle', severity: 'error', summary: 'dependsOn entries form a cycle', help: 'Objects in a dependsOn cycle wait for each other forever: the controllers have no cycle detection. Remove one entry of the cycle.' },
  { id: 'missing-dependency', severity: 'error', summary: 'a dependsOn entry names an object that does not exist', help: 'The controller retries every 30 s and never proceeds. Fix the name (or namespace) of the entry, or create the object.' },
  { id: 'wrong-kind-dependency', severity: 'error', summary: 'a Kustomization depends on a HelmRelease, or a HelmRelease on a Kustomization', help: 'An entry without kind names the dependent\'s own kind, so the controller looks for an object that does not exist. Depend on the Kustomization that applies the HelmRelease (from a Kustomization), or on a HelmRelease (from a HelmRelease).' },
  { id: 'deep-chain', severity: 'warning', summary: 'a dependsOn path is longer than --max-depth levels', help: 'Every level adds a reconciliation and a 30 s dependency requeue to each rollout and recovery. Depend only on what is needed, and merge levels.' },
  { id: 'dependency-not-health-gated', severity: 'warning', summary: 'a Kustomization others depend on is Ready as soon as it applied', help: 'Without wait: true, healthChecks or healthCheckExprs, Ready means "applied", not "healthy", and dependents start before what they need runs. Set wait: true (or healthChecks), or a readyExpr on the dependents\' entries.' },
  { id: 'health-checks-ignored', severity: 'warning', summary: 'healthChecks set beside wait: true', help: 'With wait: true kustomize-controller checks every applied object and ignores spec.healthChecks. Remove one of them.' },
  { id: 'timeout-too-short', severity: 'warning', summary: 'the timeout is shorter than what its health checks can take', help: 'The health check gives up before the workload reports its own failure (a Deployment\'s progressDeadlineSeconds, default 600; a Job\'s activeDeadlineSeconds; a HelmRelease\'s Helm timeout; a health-checked Kustomization\'s or HelmRelease\'s own timeout after those of the dependencies it waits for, and a 30 s requeue each), so the failure says only "timeout". Raise spec.timeout, or lower the deadline.' },
  { id: 'crds-pruned', severity: 'warning', summary: 'a Kustomization applying CustomResourceDefinitions has prune: true', help: 'Removing a CRD from Git (or moving it) deletes it, and with it every custom resource of that kind in the cluster. Apply CRDs from a Kustomization of their own with prune: false.' },
  { id: 'crds-mixed', severity: 'info', summary: 'CustomResourceDefinitions applied together with resources of those CRDs', help: 'The first apply can fail on a resource whose kind is not served yet. Put the CRDs in a Kustomization of their own that this one depends on.' },
  { id: 'prune-disabled', severity: 'info', summary: 'a Kustomization without prune: true that applies no CRDs', help: 'Objects removed from Git stay in the cluster. Set prune: true unless it is meant to.' },
  { id: 'suspended-dependency', severity: 'warning', summary: 'a suspended object others depend on', help: 'Its dependents wait for it unless it is Ready at its current spec and revision; a change to it blocks them until it is resumed. Resume it, or remove the entries.' },
  { id: 'source-missing', severity: 'error', summary: 'a sourceRef names a source that does not exist', help: 'The object never gets an artifact to apply. Fix spec.sourceRef (or chart.spec.sourceRef, chartRef), or create the source.' },
  { id: 'cross-namespace-source', severity: 'info', summary: 'a sourceRef into another namespace', help: 'Controllers started with --no-cross-namespace-refs (multi-tenant setups) refuse it. Keep the source in the object\'s namespace if that flag may be set.' },
  { id: 'cross-namespace-dependency', severity: 'info', summary: 'a dependsOn entry into another namespace', help: 'Controllers started with --no-cross-namespace-refs (multi-tenant setups) refuse it. Keep dependencies in the object\'s namespace if that flag may be set.' },
] as const satisfies readonly Rule[];

export type RuleId = (typeof rules)[number]['id'];

const byId = new Map<string, Rule>(rules.map((r) => [r.id, r]));

export function isRuleId(id: string): id is RuleId {
  return byId.has(id);
}

export function ruleOf(id: RuleId): Rule {
  return byId.get(id) as Rule;
}

/** Where an object was read from: a repository file and the line its document starts on. */
export interface Location {
  file: string;
  line: number;
}

export interface LintFinding {
  rule: RuleId;
  severity: Severity;
  /** The object at fault, `Kind/namespace/name`. */
  object: string;
  /** Why, in one line. */
  message: string;
  /** What to change. */
  fix: string;
  /** The objects the finding runs through, in order: a cycle's or a chain's path. */
  path?: string[];
  location?: Location;
}

/** The annotation that silences rules for one object: a comma-separated list of rule ids, or `all`. */
export const DISABLE_ANNOTATION = 'flux-deps.dev/lint-disable';
