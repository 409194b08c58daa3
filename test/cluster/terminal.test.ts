// What a person sees on a terminal: wait-for's spinner line on stderr, tree --watch redrawn in place, colour.
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { createAll } from '../support/apply.ts';
import { artifact, git, ks } from '../support/fixtures.ts';
import { revisions } from '../support/flux-status.ts';
import { Terminal } from '../support/terminal.ts';
import { freshNamespace, kustomizations, testenv, writeStatus } from '../support/testenv.ts';

const at = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
const status = (ready: string, reason: string, message: string) => ({
  observedGeneration: 1, lastAppliedRevision: revisions.new, lastAttemptedRevision: revisions.new,
  conditions: [{ type: 'Ready', status: ready, reason, message, observedGeneration: 1, lastTransitionTime: at() }],
});

describe('on a terminal', function () {
  this.timeout(60_000);
  let ns: string;
  const env = () => ({ KUBECONFIG: testenv().kubeconfig('admin'), TERM: 'xterm-256color' });

  before(async () => {
    ns = await freshNamespace('tty');
    await createAll([
      artifact(git('fleet').ns(ns), revisions.new).build(),
      ks('infra').ns(ns).source('GitRepository', 'fleet').notReady('HealthCheckFailed', 'health check failed after 1m0s: timeout waiting for: []').build(),
      ks('app').ns(ns).source('GitRepository', 'fleet').dependsOn('infra').notReady('DependencyNotReady', `dependency '${ns}/infra' is not ready`).build(),
    ]);
  });

  it('wait-for shows one spinner line with what it waits on, then the result', async () => {
    const t = new Terminal(`${resolve('bin/flux-deps')} wait-for app -n ${ns} --with-upstream --timeout 30s`, env());
    try {
      await t.until(new RegExp(`0/2 ready; waiting on Kustomization/${ns}/infra: HealthCheckFailed`));
      await writeStatus(kustomizations, ns, 'infra', status('True', 'ReconciliationSucceeded', 'Applied'));
      await writeStatus(kustomizations, ns, 'app', status('True', 'ReconciliationSucceeded', 'Applied'));
      const screen = await t.until(/2 objects are ready/);
      assert.doesNotMatch(screen, /waiting on/, 'the spinner line is cleared, not left behind');
    } finally {
      t.close();
    }
  });

  it('tree --watch redraws the tree in place, coloured', async () => {
    await writeStatus(kustomizations, ns, 'infra', status('False', 'HealthCheckFailed', 'broken again'));
    const t = new Terminal(`${resolve('bin/flux-deps')} tree --watch -n ${ns}`, env());
    try {
      await t.until(/✗ Kustomization\/infra ◀ root cause/);
      await writeStatus(kustomizations, ns, 'infra', status('True', 'ReconciliationSucceeded', 'Applied again'));
      // The whole frame, down to its last line: a screen read while the frame is still being drawn has only its top.
      const screen = await t.until(/✔ Kustomization\/infra[^]*watching; Ctrl-C to stop/);
      assert.equal(screen.match(/Kustomization\/infra/g)?.length, 1, `drawn once, in place:\n${screen}`);
      t.keys('C-c');
    } finally {
      t.close();
    }
  });
});
