// tree --watch: a line per change as statuses move (here, the chain recovering in order), only reads, Ctrl-C ends it;
// and it goes on when a kind it comes to need never lists (an aggregated API whose service is gone: 503).
import assert from 'node:assert/strict';
import { createAll } from '../support/apply.ts';
import { artifact, git, ks } from '../support/fixtures.ts';
import { revisions } from '../support/flux-status.ts';
import { start, waitForOutput } from '../support/process.ts';
import { auditEvents, clients, eventually, freshNamespace, kustomizations, writeStatus } from '../support/testenv.ts';

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
    // Each step once the previous one is printed (not after a fixed pause, which a loaded machine can outlast): the
    // two listed, infra's recovery, app's; each write made while the watch runs.
    await waitForOutput(p, new RegExp(`Kustomization/${ns}/app: DependencyNotReady`), 'stdout');
    await writeStatus(kustomizations, ns, 'infra', status('True', 'ReconciliationSucceeded', `Applied revision: ${revisions.new}`));
    await waitForOutput(p, new RegExp(`✔ Kustomization/${ns}/infra at`), 'stdout');
    await writeStatus(kustomizations, ns, 'app', status('True', 'ReconciliationSucceeded', `Applied revision: ${revisions.new}`));
    await waitForOutput(p, new RegExp(`✔ Kustomization/${ns}/app at`), 'stdout');
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
    // A watch is logged (ResponseComplete) when the API server sees it end, a moment after the process exits.
    const verbs = await eventually('its watches in the audit log', async () => {
      const seen = new Set(auditEvents().filter((e) => (e as { impersonatedUser?: { username: string } }).impersonatedUser?.username === 'watcher').map((e) => e.verb));
      return seen.has('watch') ? seen : undefined;
    }, 15_000);
    assert.ok([...verbs].every((v) => ['get', 'list', 'watch'].includes(v)), [...verbs].join(','));
  });

  it('goes on drawing while a kind the inventory came to name never lists (its aggregated API is down)', async () => {
    const ns = await freshNamespace('watch-down');
    const group = `${ns}.example.com`;
    const apiServices = { group: 'apiregistration.k8s.io', version: 'v1', plural: 'apiservices' };
    // Served by a Service that does not exist: the API server answers 503 for its discovery and its LISTs.
    await clients().custom.createClusterCustomObject({ ...apiServices, body: {
      apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService', metadata: { name: `v1.${group}` },
      spec: { group, version: 'v1', groupPriorityMinimum: 1000, versionPriority: 15, insecureSkipTLSVerify: true, service: { name: 'nowhere', namespace: ns, port: 443 } },
    } });
    try {
      await createAll([
        artifact(git('fleet').ns(ns), revisions.new).build(),
        ks('infra').ns(ns).source('GitRepository', 'fleet').notReady('HealthCheckFailed', 'health check failed after 1m0s: timeout waiting for: []').build(),
        ks('app').ns(ns).source('GitRepository', 'fleet').dependsOn('infra').notReady('DependencyNotReady', `dependency '${ns}/infra' is not ready`).build(),
      ]);
      const p = start(['tree', '--watch', '--inventory', '-n', ns]);
      await waitForOutput(p, /app/, 'stdout');
      const inventory = { entries: [{ id: `${ns}_w_${group}_Widget`, v: 'v1' }] };
      const failing = status('False', 'HealthCheckFailed', 'health check failed after 1m0s: timeout waiting for: []');
      await writeStatus(kustomizations, ns, 'infra', { ...failing, inventory });
      // The watch of Widgets has started, and cannot list.
      await waitForOutput(p, new RegExp(`watch of Widgets in ${ns} interrupted \\(couldn't get resource list for ${group}/v1: the server is currently unable to handle the request\\)`));
      await writeStatus(kustomizations, ns, 'infra', { ...status('True', 'ReconciliationSucceeded', `Applied revision: ${revisions.new}`), inventory });
      await waitForOutput(p, /✔ Kustomization\/\S+\/infra/, 'stdout');
      p.kill('SIGINT');
      const r = await p.done;
      assert.equal(r.code, 130, r.stderr);
      assert.deepEqual(r.stdout.trimEnd().split('\n').map((l) => l.slice(9)), [
        `✗ Kustomization/${ns}/infra: HealthCheckFailed: health check failed after 1m0s: timeout waiting for: []`,
        `✗ Kustomization/${ns}/app: DependencyNotReady: dependency '${ns}/infra' is not ready`,
        `✔ Kustomization/${ns}/infra at main@sha1:1818d77d`,
      ]);
    } finally {
      await clients().custom.deleteClusterCustomObject({ ...apiServices, name: `v1.${group}` });
    }
  });
});
