// The golden cases: each runs one command on a --from input; test/golden/<command>/<name>.golden holds its
// stdout, then its stderr after a marker if any. Shared by golden.test.ts and tree-watch-frames.test.ts.

export interface Case {
  name: string;
  args: string[];
  exit?: number;
  /** Run as on a terminal this wide (colour still off: NO_COLOR); otherwise stdout is a pipe. */
  columns?: number;
}

// Each case: golden file test/golden/<command>/<name>.golden holds stdout, then stderr after a marker if any.
export const cases: Record<string, Case[]> = {
  tree: [
    { name: 'production', args: ['tree', '--from', 'examples/production.yaml'] },
    { name: 'production-levels-inventory', args: ['tree', '--from', 'examples/production.yaml', '--levels', '--inventory'] },
    // on an 80-column terminal the messages are cut to fit; in a pipe (every other case) they are whole
    { name: 'production-levels-inventory-tty', args: ['tree', '--from', 'examples/production.yaml', '--levels', '--inventory'], columns: 80 },
    { name: 'cycle-tty', args: ['tree', '--from', 'test/golden/tree/cycle.yaml', '--levels'], columns: 100 },
    { name: 'production-json', args: ['tree', '--from', 'examples/production.yaml', '-o', 'json'] },
    { name: 'production-yaml', args: ['tree', '--from', 'examples/production.yaml', '-o', 'yaml'] },
    { name: 'production-dot', args: ['tree', '--from', 'examples/production.yaml', '-o', 'dot'] },
    { name: 'production-mermaid', args: ['tree', '--from', 'examples/production.yaml', '-o', 'mermaid'] },
    // each Kustomization's managed objects drawn below it with their health, as --inventory lists them in text
    { name: 'production-dot-inventory', args: ['tree', '--from', 'examples/production.yaml', '-o', 'dot', '--inventory'] },
    { name: 'production-mermaid-inventory', args: ['tree', '--from', 'examples/production.yaml', '-o', 'mermaid', '--inventory'] },
    { name: 'production-upstream', args: ['tree', 'production-backend', '--from', 'examples/production.yaml'] },
    { name: 'production-downstream-depth', args: ['tree', 'ks/production-infrastructure', '--downstream', '--depth', '1', '--from', 'examples/production.yaml'] },
    { name: 'seed-chain-inventory', args: ['tree', '--from', 'examples/seed-chain.yaml', '--inventory'] },
    { name: 'multi-namespace', args: ['tree', '-A', '--from', 'test/golden/tree/multi-namespace.yaml'] },
    { name: 'multi-namespace-team-a', args: ['tree', '-n', 'team-a', '--from', 'test/golden/tree/multi-namespace.yaml', '--levels'] },
    { name: 'missing-dependency', args: ['tree', '--from', 'test/golden/tree/missing-dependency.yaml', '-o', 'json'] },
    { name: 'missing-dependency-text', args: ['tree', '--from', 'test/golden/tree/missing-dependency.yaml'] },
    { name: 'cycle', args: ['tree', '--from', 'test/golden/tree/cycle.yaml', '--levels'] },
    { name: 'cycle-mermaid', args: ['tree', '--from', 'test/golden/tree/cycle.yaml', '-o', 'mermaid'] },
    { name: 'suspended', args: ['tree', '--from', 'test/golden/tree/suspended.yaml'] },
    { name: 'cross-kind', args: ['tree', '--from', 'test/golden/tree/cross-kind.yaml'] },
    { name: 'no-status', args: ['tree', '--from', 'test/golden/tree/no-status.yaml', '--levels'] },
    { name: 'no-status-dot', args: ['tree', '--from', 'test/golden/tree/no-status.yaml', '-o', 'dot'] },
    { name: 'diamond-levels', args: ['tree', '--from', 'test/golden/tree/diamond-levels.yaml', '--levels'] },
    { name: 'ref-not-found', args: ['tree', 'nope', '--from', 'examples/production.yaml'], exit: 3 },
    { name: 'empty-namespace', args: ['tree', '-n', 'nothing-here', '--from', 'examples/production.yaml'] },
    { name: 'ready-expr', args: ['tree', '--from', 'test/golden/why-blocked/ready-expr.yaml'] },
    // an inventory object whose Ready message is a number, an object whose apiVersion is: read as text, no crash
    // a custom resource in the inventory judged by the Kustomization's healthCheckExprs, not generic kstatus
    { name: 'health-check-kinds-inventory', args: ['tree', '--inventory', '--from', 'test/golden/why-blocked/health-check-kinds.yaml'] },
    { name: 'odd-fields-inventory', args: ['tree', '--inventory', '--from', 'test/golden/why-blocked/odd-fields.yaml'] },
    // a repository tree: kustomize files, Helm values and other documents that are no object skipped, as lint does
    { name: 'lint-repo', args: ['tree', '-A', '--from', 'test/golden/lint/repo'] },
  ],
  'why-blocked': [
    { name: 'production', args: ['why-blocked', 'production-frontend', '--from', 'examples/production.yaml'], exit: 1 },
    { name: 'production-json', args: ['why-blocked', 'production-frontend', '--from', 'examples/production.yaml', '-o', 'json'], exit: 1 },
    { name: 'seed-chain', args: ['why-blocked', 'app', '--from', 'examples/seed-chain.yaml'], exit: 1 },
    { name: 'typo', args: ['why-blocked', 'apps', '--from', 'test/golden/tree/missing-dependency.yaml'], exit: 1 },
    { name: 'cycle', args: ['why-blocked', 'd', '--from', 'test/golden/tree/cycle.yaml'], exit: 1 },
    { name: 'suspended', args: ['why-blocked', 'dashboards', '--from', 'test/golden/tree/suspended.yaml'], exit: 1 },
    { name: 'git-failing', args: ['why-blocked', 'apps', '--from', 'test/golden/why-blocked/git-failing.yaml'], exit: 1 },
    { name: 'two-branches', args: ['why-blocked', 'apps', '--from', 'test/golden/why-blocked/two-branches.yaml'], exit: 1 },
    { name: 'ready-expr', args: ['why-blocked', 'apps', '--from', 'test/golden/why-blocked/ready-expr.yaml'], exit: 1 },
    { name: 'revision-lag', args: ['why-blocked', 'apps', '--from', 'test/golden/why-blocked/revision-lag.yaml'], exit: 1 },
    { name: 'not-reconciled', args: ['why-blocked', 'apps', '--from', 'test/golden/why-blocked/not-reconciled.yaml'], exit: 1 },
    { name: 'progressing', args: ['why-blocked', 'apps', '--from', 'test/golden/why-blocked/progressing.yaml'], exit: 1 },
    { name: 'ready', args: ['why-blocked', 'apps', '--from', 'test/golden/why-blocked/ready.yaml'] },
    { name: 'helmrelease', args: ['why-blocked', 'hr/frontend', '--from', 'test/golden/why-blocked/helmrelease.yaml'], exit: 1 },
    { name: 'cross-namespace-helmrelease', args: ['why-blocked', 'hr/cache', '-n', 'team-a', '--from', 'test/golden/tree/multi-namespace.yaml'], exit: 1 },
    { name: 'not-found', args: ['why-blocked', 'nope', '--from', 'examples/production.yaml'], exit: 3 },
    { name: 'git-failing-yaml', args: ['why-blocked', 'apps', '--from', 'test/golden/why-blocked/git-failing.yaml', '-o', 'yaml'], exit: 1 },
    // real controllers' objects as `kubectl get ks -o yaml` gave them (shared/observed): no sources in the input
    { name: 'observed-health-check-failed', args: ['why-blocked', 'app', '--from', 'test/golden/why-blocked/observed-health-check-failed.yaml'], exit: 1 },
    // Job, DaemonSet, a custom resource judged by healthCheckExprs (CEL), a Deployment being deleted
    { name: 'health-check-kinds', args: ['why-blocked', 'infra', '--from', 'test/golden/why-blocked/health-check-kinds.yaml'], exit: 1 },
    // a condition message that is a number, not text: read as text, never a crash
    { name: 'odd-fields', args: ['why-blocked', 'apps', '--from', 'test/golden/why-blocked/odd-fields.yaml'], exit: 1 },
    // the same for a health-checked object's condition, and for an apiVersion among the objects read
    { name: 'odd-fields-health-check', args: ['why-blocked', 'infra', '--from', 'test/golden/why-blocked/odd-fields.yaml'], exit: 1 },
    // a HelmChart without an artifact, and the HelmRepository it is built from failing too
    { name: 'helmrelease-chart-source-failing', args: ['why-blocked', 'hr/app', '--from', 'test/golden/why-blocked/helmrelease-chart-source-failing.yaml'], exit: 1 },
    // wait: true never waits on the Kustomization itself, nor on a suspended Job (Flux's Job reader)
    { name: 'wait-itself', args: ['why-blocked', 'flux-system', '--from', 'test/golden/why-blocked/wait-itself.yaml'], exit: 1 },
    // logs of a container that never restarted: no --previous
    { name: 'job-failed', args: ['why-blocked', 'app', '--from', 'test/golden/why-blocked/job-failed.yaml'], exit: 1 },
    // a readyExpr that passes skips the revision check, as kustomize-controller does
    { name: 'ready-expr-passes', args: ['why-blocked', 'apps', '--from', 'test/golden/why-blocked/ready-expr-passes.yaml'], exit: 1 },
    // a suspended dependency Ready at an older revision of the shared source
    { name: 'suspended-revision-lag', args: ['why-blocked', 'apps', '--from', 'test/golden/why-blocked/suspended-revision-lag.yaml'], exit: 1 },
    // a suspended dependency whose spec changed since it last reconciled
    { name: 'suspended-edited', args: ['why-blocked', 'apps', '--from', 'test/golden/why-blocked/suspended-edited.yaml'], exit: 1 },
    // mid-chain DependencyNotReady from before its dependency recovered: waiting for the 30 s requeue
    { name: 'stale-dependency', args: ['why-blocked', 'apps', '--from', 'test/golden/why-blocked/stale-dependency.yaml'], exit: 1 },
    // a failing GitRepository that still serves an artifact does not hide the health check
    { name: 'source-failing-with-artifact', args: ['why-blocked', 'apps', '--from', 'test/golden/why-blocked/source-failing-with-artifact.yaml'], exit: 1 },
    // the same for a HelmChart
    { name: 'helmrelease-chart-failing', args: ['why-blocked', 'hr/podinfo', '--from', 'test/golden/why-blocked/helmrelease-chart-failing.yaml'], exit: 1 },
    // helm-controller's own timeout (5m), not kustomize-controller's
    { name: 'helmrelease-progressing', args: ['why-blocked', 'hr/frontend', '--from', 'test/golden/why-blocked/helmrelease-progressing.yaml'], exit: 1 },
    // kustomize-controller's timeout is at least 30s
    { name: 'timeout-clamp', args: ['why-blocked', 'infra', '--from', 'test/golden/why-blocked/timeout-clamp.yaml'], exit: 1 },
    // a failure after a spec change is the controller's verdict, not a missing controller
    { name: 'access-denied', args: ['why-blocked', 'apps', '--from', 'test/golden/why-blocked/access-denied.yaml'], exit: 1 },
    // the failed upgrade behind a rollback, and --reset for exhausted retries
    { name: 'helmrelease-rolled-back', args: ['why-blocked', 'hr/podinfo', '--from', 'test/golden/why-blocked/helmrelease-rolled-back.yaml'], exit: 1 },
    // a Helm wait whose message names no objects: the release's own, found by Helm's and helm-controller's marks
    { name: 'helmrelease-unnamed-wait', args: ['why-blocked', 'hr/web', '--from', 'test/golden/why-blocked/helmrelease-unnamed-wait.yaml'], exit: 1 },
    // a chartRef to a missing OCIRepository
    { name: 'helmrelease-chartref-missing', args: ['why-blocked', 'hr/podinfo', '--from', 'test/golden/why-blocked/helmrelease-chartref-missing.yaml'], exit: 1 },
    // a cycle reached two ways is shown by the shorter
    { name: 'cycle-shortest-path', args: ['why-blocked', 'apps', '--from', 'test/golden/why-blocked/cycle-shortest-path.yaml'], exit: 1 },
    // substituteFrom a ConfigMap that does not exist, as the real kustomize-controller said it (exercise 3)
    { name: 'substitute-from-missing', args: ['why-blocked', 'web', '-n', 'demo', '--from', 'test/golden/why-blocked/substitute-from-missing.yaml'], exit: 1 },
    // a spec.path the artifact lacks (ArtifactFailed, its source fine), across namespaces, as the real controller said it
    { name: 'path-not-found', args: ['why-blocked', 'team', '-n', 'team-a', '--from', 'test/golden/why-blocked/path-not-found.yaml'], exit: 1 },
    // a spec.serviceAccountName the API server refuses (it does not exist), as the real controller said it
    { name: 'service-account-refused', args: ['why-blocked', 'apps', '-n', 'demo', '--from', 'test/golden/why-blocked/service-account-refused.yaml'], exit: 1 },
    // rootCauses[].serviceAccount: the refused account as a field, for scripts
    { name: 'service-account-refused-json', args: ['why-blocked', 'apps', '-n', 'demo', '--from', 'test/golden/why-blocked/service-account-refused.yaml', '-o', 'json'], exit: 1 },
    // health checks canceled by a new revision: in progress again
    { name: 'health-check-canceled', args: ['why-blocked', 'b', '--from', 'test/golden/why-blocked/health-check-canceled.yaml'], exit: 1 },
  ],
  // the real controllers' objects and events after the seed's exercise 2 recovered (shared/observed)
  timeline: [
    { name: 'observed-recovery', args: ['timeline', '--from', 'test/golden/timeline/observed-recovery.yaml'] },
    { name: 'observed-recovery-json', args: ['timeline', 'app', '--from', 'test/golden/timeline/observed-recovery.yaml', '-o', 'json'] },
    { name: 'seed-chain', args: ['timeline', '--from', 'examples/seed-chain.yaml'] },
    // a failing rollout: each object's revision to roll out beside the one it last applied
    { name: 'seed-chain-json', args: ['timeline', '--from', 'examples/seed-chain.yaml', '-o', 'json'] },
    // production-namespace's first success after the new artifact (an event), not its periodic reconcile 10m later
    { name: 'production', args: ['timeline', '--from', 'examples/production.yaml'] },
    { name: 'not-found', args: ['timeline', 'nope', '--from', 'examples/seed-chain.yaml'], exit: 3 },
    // a snapshot of a rollout the real controllers made (test/cluster/real-rollout.test.ts): three levels, two requeues
    { name: 'real-rollout', args: ['timeline', '-n', 'rollout-10120e', '--from', 'test/golden/timeline/real-rollout.yaml'] },
    { name: 'real-rollout-json', args: ['timeline', 'app', '-n', 'rollout-10120e', '--from', 'test/golden/timeline/real-rollout.yaml', '-o', 'json'] },
    { name: 'real-rollout-yaml', args: ['timeline', 'middleware', '-n', 'rollout-10120e', '--from', 'test/golden/timeline/real-rollout.yaml', '-o', 'yaml'] },
  ],
  // a repository tree laid out as the seed describes (test/golden/lint/repo): every rule fires once or more
  lint: [
    { name: 'repo', args: ['lint', '-A', '--from', 'test/golden/lint/repo'], exit: 1 },
    { name: 'repo-json', args: ['lint', '-A', '--from', 'test/golden/lint/repo', '-o', 'json'], exit: 1 },
    { name: 'repo-sarif', args: ['lint', '-A', '--from', 'test/golden/lint/repo', '-o', 'sarif'], exit: 1 },
    // only apps and its upstream; the chain allowed one more level
    { name: 'repo-ref', args: ['lint', 'apps', '--from', 'test/golden/lint/repo', '--max-depth', '5'], exit: 1 },
    // errors disabled: the warnings left fail only with --fail-on warning
    { name: 'repo-disable', args: ['lint', '--from', 'test/golden/lint/repo', '--disable', 'missing-dependency,wrong-kind-dependency', '--disable', 'source-missing', '--disable', 'dependency-cycle'] },
    { name: 'repo-fail-on-warning', args: ['lint', 'infra-configs', '--from', 'test/golden/lint/repo', '--fail-on', 'warning'], exit: 1 },
    { name: 'unknown-rule', args: ['lint', '--from', 'test/golden/lint/repo', '--disable', 'no-such-rule'], exit: 2 },
    { name: 'ref-not-found', args: ['lint', 'nope', '--from', 'test/golden/lint/repo'], exit: 3 },
    // snapshots: what Kustomizations apply from their inventories, health-checked workloads as read
    { name: 'production', args: ['lint', '--from', 'examples/production.yaml'] },
    { name: 'seed-chain-yaml', args: ['lint', '--from', 'examples/seed-chain.yaml', '-o', 'yaml'] },
    // a health-checked Kustomization and HelmRelease, each after the dependencies it waits for
    { name: 'outlast', args: ['lint', '--from', 'test/golden/lint/outlast.yaml'] },
    // the real controllers' inventory: a CRD beside a Widget of it, Deployments' deadlines
    { name: 'real-rollout', args: ['lint', '-n', 'rollout-10120e', '--from', 'test/golden/timeline/real-rollout.yaml'] },
  ],
  snapshot: [
    { name: 'git-failing', args: ['snapshot', '--from', 'test/golden/why-blocked/git-failing.yaml'] },
    // the read plan takes a release's own objects along (by their marks; not another release's api), and their pods
    { name: 'helmrelease-unnamed-wait', args: ['snapshot', '--from', 'test/golden/why-blocked/helmrelease-unnamed-wait.yaml'] },
  ],
};

export const goldenClock = new Date('2026-11-22T10:15:00Z');
