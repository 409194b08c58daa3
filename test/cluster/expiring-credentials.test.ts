// Credentials that really expire, on the real API server: its token webhook (test/support/authn-webhook.ts)
// revokes the token an exec plugin handed out while a wait-for is in progress. The wait must ask the plugin again
// and go on; if the plugin's new token is refused too, it must end at once with exit 4 and one line, not time out.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAll } from '../support/apply.ts';
import { startAuthnWebhook, type AuthnWebhook } from '../support/authn-webhook.ts';
import { artifact, git, ks } from '../support/fixtures.ts';
import { kustomizationReadyAt, revisions } from '../support/flux-status.ts';
import { start, waitForOutput } from '../support/process.ts';
import { freshNamespace, kustomizations, testenv, writeStatus } from '../support/testenv.ts';


describe('credentials that expire during a wait (token webhook, exec plugin)', function () {
  this.timeout(120_000);
  let ns: string;
  let webhook: AuthnWebhook;
  const work = mkdtempSync(join(tmpdir(), 'expiring-'));
  const current = join(work, 'current-token');
  const runs = join(work, 'runs');
  let kubeconfig: string;

  /** Kills the API server and starts it again: every watch must reconnect, with the credentials it holds. */
  const restartApiServer = () => {
    process.kill(Number(readFileSync(`${testenv().dir}/pids/kube-apiserver.pid`, 'utf8')), 'SIGKILL');
    execFileSync('sleep', ['1']);
    execFileSync('testenv/up.sh', [process.env.FLUX_DEPS_TESTENV_PROFILE ?? 'full'], { env: { ...process.env, TESTENV_DIR: testenv().dir }, stdio: 'pipe' });
  };

  before(async () => {
    webhook = await startAuthnWebhook();
    ns = await freshNamespace('expiring');
    await createAll([artifact(git('fleet').ns(ns), revisions.new).build(), ks('infra').ns(ns).source('GitRepository', 'fleet').build()]);
    // The plugin hands out whatever token the identity provider last issued, valid for an hour (so it is cached).
    const plugin = join(work, 'plugin');
    writeFileSync(plugin, `#!/bin/sh\necho run >> ${runs}\nprintf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"%s","expirationTimestamp":"%s"}}' "$(cat ${current})" "$(date -u -d '+1 hour' +%Y-%m-%dT%H:%M:%SZ)"\n`);
    chmodSync(plugin, 0o755);
    kubeconfig = join(work, 'exec.kubeconfig');
    writeFileSync(kubeconfig, readFileSync(testenv().kubeconfig('admin'), 'utf8').replace(/ {4}token: \S+/, `    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: ${plugin}\n      interactiveMode: Never`).replace(/- name: admin\n/, '- name: sso-user\n').replace(/user: admin\}/, 'user: sso-user}'));
  });

  after(async () => {
    await webhook?.close();
  });

  const issue = (token: string) => {
    webhook.valid.clear();
    webhook.valid.set(token, 'sso-user');
    writeFileSync(current, token);
  };
  const pluginRuns = () => readFileSync(runs, 'utf8').split('\n').filter(Boolean).length;

  it('asks the exec plugin again when the API server refuses its token, and goes on waiting', async () => {
    issue('token-1');
    writeFileSync(runs, '');
    await writeStatus(kustomizations, ns, 'infra', kustomizationReadyAt(revisions.old));
    const p = start(['wait-for', 'infra', '-n', ns, '--timeout', '60s', '--kubeconfig', kubeconfig]);
    await waitForOutput(p, /RevisionNotApplied/);
    assert.equal(pluginRuns(), 1, 'the plugin runs once, then its token is cached until it expires');
    // token-1 is revoked while the watches run; the provider now issues token-2.
    issue('token-2');
    restartApiServer();
    await writeStatus(kustomizations, ns, 'infra', kustomizationReadyAt(revisions.new));
    const r = await p.done;
    assert.equal(r.code, 0, r.stderr);
    assert.equal(pluginRuns(), 2, 'asked again once, after the 401');
    assert.ok((webhook.reviews.get('token-2') ?? 0) > 0);
    assert.match(r.stderr, new RegExp(`✔ Kustomization/${ns}/infra is ready\\n$`));
  });

  it('exits 4 within seconds, with one line naming the user, when the new token is refused too', async function () {
    this.timeout(180_000);
    issue('token-3');
    await writeStatus(kustomizations, ns, 'infra', kustomizationReadyAt(revisions.old));
    const p = start(['wait-for', 'infra', '-n', ns, '--timeout', '120s', '--kubeconfig', kubeconfig]);
    await waitForOutput(p, /RevisionNotApplied/);
    // Revoked, and the provider issues nothing the server takes.
    webhook.valid.clear();
    restartApiServer();
    const r = await p.done;
    assert.equal(r.code, 4, r.stderr);
    assert.match(r.stderr, /✗ the cluster at https:\/\/127\.0\.0\.1:\d+ \(context admin@flux-deps-testenv\) rejected the credentials of user "sso-user" \(401 Unauthorized\)\n$/);
    assert.equal(r.stderr.split('\n').filter((l) => l.includes('401')).length, 1);
    // Not at its timeout: ended once the restarted server refused it. How soon after the restart depends on how
    // long the server took to come back and on the watches' backoff (up to 22.5 s), so the bound is the timeout's,
    // with room: a run that waited out its 120 s would take longer.
    assert.ok(r.ms < 100_000, `exited after ${r.ms} ms of a 120 s timeout`);
  });
});
