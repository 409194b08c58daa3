// wait-for whose credentials expire mid-run, against a scripted API server: a rotated token file is read again
// and the wait goes on; credentials refused again end it at once with exit 4 and one line, not as a timeout.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../src/cli.ts';
import { artifact, git, ks } from '../support/fixtures.ts';
import { FakeApi, json, status, watchEvents, type Script } from '../support/fake-api.ts';
import { recordingIO } from '../support/io.ts';

const dir = mkdtempSync(join(tmpdir(), 'expiring-'));
const tokenFile = join(dir, 'token');

function kubeconfig(server: string): string {
  const file = join(dir, `config-${server.split(':').pop()}`);
  writeFileSync(file, [
    'apiVersion: v1', 'kind: Config', 'current-context: test',
    'clusters: [{name: test, cluster: {server: "' + server + '"}}]',
    'users: [{name: ci-bot, user: {tokenFile: token}}]',
    'contexts: [{name: test, context: {cluster: test, user: ci-bot}}]',
  ].join('\n'));
  return file;
}

const apps = ks('apps').notReady('Progressing', 'Reconciliation in progress').build();
const source = artifact(git('flux-system')).build();
const list = (kind: string, items: unknown[]) => ({ kind: `${kind}List`, metadata: { resourceVersion: '10' }, items });

/** Lists answer with apps (not ready) and its source; watches as `watch` says; any other token is refused. */
const server = (accepted: () => string, watch: Script): Script => (req, res, seen) => {
  if (seen.authorization !== `Bearer ${accepted()}`) return json(res, 401, status(401, 'Unauthorized', 'Unauthorized'));
  if (seen.watch) return watch(req, res, seen);
  if (seen.path.endsWith('/kustomizations')) return json(res, 200, list('Kustomization', [apps]));
  if (seen.path.endsWith('/gitrepositories')) return json(res, 200, list('GitRepository', [source]));
  json(res, 200, list('Other', []));
};

async function waitFor(script: Script): Promise<{ code: number; stderr: string; took: number; fake: FakeApi }> {
  const fake = await new FakeApi(script).start();
  const io = recordingIO({ env: { TZ: 'UTC', KUBECONFIG: kubeconfig(fake.url) }, now: () => new Date() });
  const started = Date.now();
  try {
    const code = await run(['wait-for', 'apps', '--timeout', '20s'], io);
    return { code, stderr: io.stderr, took: Date.now() - started, fake };
  } finally {
    await fake.stop();
  }
}

describe('credentials that expire during wait-for', function () {
  this.timeout(30_000);

  it('reads a rotated token file again after a 401 and goes on waiting', async () => {
    writeFileSync(tokenFile, 'old\n');
    let accepted = 'old';
    const r = await waitFor(server(() => accepted, (_q, res, seen) => {
      if (!seen.path.endsWith('/kustomizations')) return watchEvents(res, [], false);
      if (accepted === 'old') {
        // The token expires: the server refuses it from now on, and the file holds its successor.
        (accepted = 'new'), writeFileSync(tokenFile, 'new\n');
        return json(res, 401, status(401, 'Unauthorized', 'Unauthorized'));
      }
      watchEvents(res, [{ type: 'MODIFIED', object: ks('apps').ready().build() }], false);
    }));
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.fake.seen.some((s) => s.authorization === 'Bearer new'));
  });

  it('exits 4 at once, with one line naming the user, when the fresh credentials are refused too', async () => {
    writeFileSync(tokenFile, 'old\n');
    let requests = 0;
    const r = await waitFor(server(() => (requests++ < 4 ? 'old' : 'revoked'), (_q, res) => watchEvents(res, [], false)));
    assert.equal(r.code, 4, r.stderr);
    assert.match(r.stderr, /rejected the credentials of user "ci-bot" \(401 Unauthorized\)\n$/);
    assert.equal(r.stderr.trim().split('\n').filter((l) => l.includes('401')).length, 1);
    assert.ok(r.took < 10_000, `took ${r.took} ms`);
  });
});
