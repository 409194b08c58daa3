// `flux-deps mcp --allow-reconcile` against the real API server, a stand-in controller answering the requests:
// reconcile listed, the chain rolled in order with its steps as progress, nothing written but the annotations, and
// a suspended object refused as the CLI refuses it.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { createAll } from '../support/apply.ts';
import { ks } from '../support/fixtures.ts';
import { revisions } from '../support/flux-status.ts';
import { connect, exitCode, progressOf, texts } from '../support/mcp-client.ts';
import { StandInReconciler } from '../support/reconciler.ts';
import { auditEvents, freshNamespace } from '../support/testenv.ts';

describe('mcp --allow-reconcile on the test cluster', function () {
  this.timeout(90_000);
  let ns: string;
  let controller: StandInReconciler;
  let writer: Client;
  const user = `mcp-writer-${randomBytes(3).toString('hex')}`;

  before(async () => {
    ns = await freshNamespace('mcp-reconcile');
    controller = new StandInReconciler(ns, revisions.new);
    await controller.start();
    await createAll([
      { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', metadata: { name: 'fleet', namespace: ns }, spec: { interval: '1m', url: 'https://example.com/fleet' } },
      ks('infra').ns(ns).source('GitRepository', 'fleet').build(),
      ks('app').ns(ns).source('GitRepository', 'fleet').dependsOn('infra').build(),
    ]);
    writer = await connect(['-n', ns, '--allow-reconcile', '--as', user, '--as-group', 'system:masters']);
  });

  after(async () => {
    controller.stop();
    await writer.close();
  });

  it('lists reconcile, rolls the chain in order with its steps as progress, and wrote only the annotations', async () => {
    assert.ok((await writer.listTools()).tools.some((t) => t.name === 'reconcile'));
    const progress: string[] = [];
    const result = await writer.callTool({ name: 'reconcile', arguments: { ref: 'app', with_source: true, with_upstream: true, timeout: '30s' } }, undefined, { onprogress: (p) => void progress.push(p.message ?? '') });
    assert.equal(exitCode(result), 0, texts(result).join('\n'));
    assert.equal(result.isError, undefined);
    assert.deepEqual(controller.handled, ['GitRepository/fleet', 'Kustomization/infra', 'Kustomization/app']);
    assert.match(texts(result).join('\n'), new RegExp(`✔ Kustomization/${ns}/app applied main@sha1:1818d77d\\n$`));
    // Its steps take seconds: all but the last came while it ran.
    progressOf(progress, texts(result).join('').trimEnd().split('\n'), texts(result).join('').trimEnd().split('\n').length - 1);
    const writes = auditEvents().filter((e) => (e as { impersonatedUser?: { username: string } }).impersonatedUser?.username === user && !['get', 'list', 'watch'].includes(e.verb));
    assert.deepEqual(writes.map((w) => `${w.verb} ${w.objectRef?.resource}/${w.objectRef?.name}${w.objectRef?.subresource ? '/' + w.objectRef.subresource : ''}`), [
      'patch gitrepositories/fleet', 'patch kustomizations/infra', 'patch kustomizations/app',
    ]);
  });

  it('refuses a suspended object as the CLI does: an answer, exit 1, not an error', async () => {
    await createAll([ks('paused').ns(ns).source('GitRepository', 'fleet').suspended().build()]);
    const result = await writer.callTool({ name: 'reconcile', arguments: { ref: 'paused' } });
    assert.equal(result.isError, undefined);
    assert.equal(exitCode(result), 1);
    assert.deepEqual(texts(result), [`✗ Kustomization/${ns}/paused is suspended; resume it with: flux resume kustomization paused -n ${ns}\n`]);
  });
});
