// tree --watch: a line per change as statuses move (here, the chain recovering in order), only reads, Ctrl-C ends it.
import assert from 'node:assert/strict';
import { createAll } from '../support/apply.ts';
import { artifact, git, ks } from '../support/fixtures.ts';
import { revisions } from '../support/flux-status.ts';
import { start, waitForOutput } from '../support/process.ts';
import { auditEvents, freshNamespace, kustomizations, writeStatus } from '../support/testenv.ts';

const at = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
const status = (ready: string, reason: string, message: string) => ({
  observedGeneration: 1, lastAppliedRevision: revisions.new, lastAttemptedRevision: revisions.new,
  conditions: [{ type: 'Ready', status: ready, reason, message, observedGeneration: 1, lastTransitionTime: at() }],
});

describe('tree --watch on the test cluster', function () {
  this.timeout(60_000);

  it('prints each change as the chain recovers, in order, and only reads', async () => {
    const ns = await freshNamespace('watch');
    await createAll([
      artifact(git('fleet').ns(ns), revisions.new).build(),
      ks('infra').ns(ns).source('GitRepository', 'fleet').notReady('HealthCheckFailed', 'health check failed after 1m0s: timeout waiting for: []').build(),
      ks('app').ns(ns).source('GitRepository', 'fleet').dependsOn('infra').notReady('DependencyNotReady', `dependency '${ns}/infra' is not ready`).build(),
    ]);
    const p = start(['tree', '--watch', '-n', ns, '--as', 'watcher', '--as-group', 'system:masters']);
    await waitForOutput(p, /infra/, 'stdout');
    await new Promise((r) => setTimeout(r, 500));
    await writeStatus(kustomizations, ns, 'infra', status('True', 'ReconciliationSucceeded', `Applied revision: ${revisions.new}`));
    await new Promise((r) => setTimeout(r, 500));
    await writeStatus(kustomizations, ns, 'app', status('True', 'ReconciliationSucceeded', `Applied revision: ${revisions.new}`));
    await new Promise((r) => setTimeout(r, 1000));
    p.kill('SIGINT');
    const r = await p.done;
    assert.equal(r.code, 130, r.stderr);
    const lines = r.stdout.trimEnd().split('\n').map((l) => l.slice(9));
    assert.deepEqual(lines, [
      `✗ Kustomization/${ns}/infra: HealthCheckFailed: health check failed after 1m0s: timeout waiting for: []`,
      `✗ Kustomization/${ns}/app: DependencyNotReady: dependency '${ns}/infra' is not ready`,
      `✔ Kustomization/${ns}/infra at main@sha1:1818d77d`,
      `✔ Kustomization/${ns}/app at main@sha1:1818d77d`,
    ]);
    const verbs = new Set(auditEvents().filter((e) => (e as { impersonatedUser?: { username: string } }).impersonatedUser?.username === 'watcher').map((e) => e.verb));
    assert.ok(verbs.has('watch') && [...verbs].every((v) => ['get', 'list', 'watch'].includes(v)), [...verbs].join(','));
  });
});
