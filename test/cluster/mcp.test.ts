// `flux-deps mcp` against the real API server, driven by the SDK's own Client over stdio (bin/flux-deps mcp as the
// child process an assistant starts): the tool list, every tool's answer equal to the CLI's for the same question,
// a context picked per call, errors as tool errors, wait_for's progress and cancellation, reconcile refused
// without --allow-reconcile, and nothing but reads in the audit log (with it: mcp-reconcile.test.ts).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { createAll } from '../support/apply.ts';
import { artifact, git, hr, ks, objects } from '../support/fixtures.ts';
import { revisions } from '../support/flux-status.ts';
import { connect, exitCode, progressOf, texts } from '../support/mcp-client.ts';
import { start } from '../support/process.ts';
import { auditEvents, clients, eventually, freshNamespace, kustomizations, testenv, writeStatus } from '../support/testenv.ts';

/** The CLI's answer to the same question, as a process. */
const cli = (args: string[]) => start(args).done;
/** The CLI's error line as a tool error says it: without the mark and the pointer to --help. */
const errorLine = (stderr: string) => stderr.replace(/^✗ /, '').replace(/; see 'flux-deps --help'\n$/, '').trimEnd();

const at = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
const readyAt = (revision: string) => ({
  observedGeneration: 1, lastAppliedRevision: revision, lastAttemptedRevision: revision,
  conditions: [{ type: 'Ready', status: 'True', reason: 'ReconciliationSucceeded', message: `Applied revision: ${revision}`, observedGeneration: 1, lastTransitionTime: at() }],
});

describe('mcp on the test cluster', function () {
  this.timeout(90_000);
  let a: string;
  let b: string;
  let reader: string;
  let client: Client;
  const work = mkdtempSync(join(tmpdir(), 'mcp-cluster-'));

  before(async () => {
    a = await freshNamespace('mcp-a');
    b = await freshNamespace('mcp-b');
    await createAll(objects(
      artifact(git('flux-system').ns(a), revisions.new),
      ks('base').ns(b).ready(),
      ks('infra').ns(a).dependsOn(`${b}/base`).notReady('HealthCheckFailed', "health check failed after 5m0.01s: timeout waiting for: [Deployment/x/db status: 'InProgress']").inventory(`${a}_settings__ConfigMap`),
      ks('apps').ns(a).dependsOn('infra', 'typo').notReady('DependencyNotReady', `dependency '${a}/infra' is not ready`),
      hr('redis').ns(a).dependsOn('cache').progressing(),
      hr('cache').ns(a).ready('Helm install succeeded for release cache.v1 with chart redis@19.0.1'),
      ks('done').ns(a).source('GitRepository', 'flux-system').ready(),
      ks('late').ns(a).source('GitRepository', 'flux-system').set('status', readyAt(revisions.old)),
      ks('stale').ns(a).source('GitRepository', 'flux-system').set('status', readyAt(revisions.old)),
    ));
    await clients().core.createNamespacedConfigMap({ namespace: a, body: { metadata: { name: 'settings' }, data: { k: 'v' } } });
    // Every request the server makes is this impersonated user's, so the audit log tells them from the test's own.
    reader = `mcp-reader-${randomBytes(3).toString('hex')}`;
    client = await connect(['-n', a, '--as', reader, '--as-group', 'system:masters']);
  });

  after(() => client.close());

  it('lists the read tools, each with a description and an input schema, and no reconcile', async () => {
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((t) => t.name), ['tree', 'why_blocked', 'lint', 'timeline', 'wait_for', 'snapshot']);
    for (const t of tools) {
      assert.ok(t.description && t.description.length > 150, t.name);
      assert.equal(t.inputSchema.type, 'object');
      assert.ok('context' in (t.inputSchema.properties ?? {}), `${t.name} takes a context`);
    }
    assert.deepEqual(tools.find((t) => t.name === 'why_blocked')?.inputSchema.required, ['ref']);
  });

  const questions: Array<[string, Record<string, unknown>, (ns: { a: string; b: string }) => string[]]> = [
    ['tree', {}, ({ a }) => ['tree', '-n', a, '-o', 'json']],
    ['tree', { ref: 'apps', inventory: true }, ({ a }) => ['tree', 'apps', '-n', a, '--inventory', '-o', 'json']],
    ['tree', { ref: 'base', direction: 'downstream', depth: 1, namespace: 'B' }, ({ b }) => ['tree', 'base', '--downstream', '--depth', '1', '-n', b, '-o', 'json']],
    ['tree', { all_namespaces: true, selector: 'none=here' }, () => ['tree', '-A', '-l', 'none=here', '-o', 'json']],
    ['why_blocked', { ref: 'apps' }, ({ a }) => ['why-blocked', 'apps', '-n', a, '-o', 'json']],
    ['why_blocked', { ref: 'hr/cache' }, ({ a }) => ['why-blocked', 'hr/cache', '-n', a, '-o', 'json']],
    ['lint', {}, ({ a }) => ['lint', '-n', a, '-o', 'json']],
    ['lint', { ref: 'apps', max_depth: 1 }, ({ a }) => ['lint', 'apps', '-n', a, '--max-depth', '1', '-o', 'json']],
    ['timeline', { ref: 'apps' }, ({ a }) => ['timeline', 'apps', '-n', a, '-o', 'json']],
  ];
  for (const [name, input, argv] of questions) {
    it(`answers ${name} ${JSON.stringify(input)} as the CLI does`, async () => {
      const given = { ...input, ...(input.namespace === 'B' ? { namespace: b } : {}) };
      const [result, expected] = await Promise.all([client.callTool({ name, arguments: given }), cli(argv({ a, b }))]);
      assert.equal(result.isError, undefined, texts(result).join('\n'));
      assert.ok(expected.stdout.length > 2, expected.stderr);
      assert.equal(texts(result)[0], expected.stdout);
      assert.equal(exitCode(result), expected.code);
    });
  }

  it('answers snapshot as the CLI does, but for when it was taken', async () => {
    const [result, expected] = await Promise.all([client.callTool({ name: 'snapshot', arguments: {} }), cli(['snapshot', '-n', a])]);
    const untimed = (s = '') => s.replace(/capturedAt: \S+/, 'capturedAt: T');
    assert.equal(expected.code, 0, expected.stderr);
    assert.match(expected.stdout, /kind: ConfigMap/);
    assert.equal(untimed(texts(result)[0]), untimed(expected.stdout));
  });

  it('answers wait_for as the CLI does, its events also as progress', async () => {
    const progress: string[] = [];
    const [result, expected] = await Promise.all([
      client.callTool({ name: 'wait_for', arguments: { refs: ['done'], timeout: '20s' } }, undefined, { onprogress: (p) => void progress.push(p.message ?? '') }),
      cli(['wait-for', 'done', '-n', a, '--timeout', '20s', '-o', 'json']),
    ]);
    const untimed = (s = '') => s.replace(/"time":"[^"]+"/g, '"time":T');
    assert.equal(expected.code, 0, expected.stderr);
    assert.equal(exitCode(result), 0);
    assert.equal(untimed(texts(result)[0]), untimed(expected.stdout));
    progressOf(progress, (texts(result)[0] ?? '').trimEnd().split('\n'));
  });

  it('reports wait_for progress as it happens, and ends with the object Ready at the awaited revision', async () => {
    const progress: string[] = [];
    let first: () => void = () => {};
    const reported = new Promise<void>((r) => (first = r));
    const call = client.callTool({ name: 'wait_for', arguments: { refs: ['late'], timeout: '30s' } }, undefined, {
      onprogress: (p) => {
        progress.push(p.message ?? '');
        first();
      },
    });
    await reported;
    assert.match(progress[0] ?? '', /"id":"Kustomization\/[^"]+\/late","event":"waiting".*"reason":"RevisionNotApplied"/);
    await writeStatus(kustomizations, a, 'late', readyAt(revisions.new));
    const result = await call;
    assert.equal(exitCode(result), 0, texts(result).join('\n'));
    const lines = (texts(result)[0] ?? '').trimEnd().split('\n');
    progressOf(progress, lines);
    assert.match(lines.at(-1) ?? '', /"id":"Kustomization\/[^"]+\/late","event":"ready"/);
  });

  it('stops a wait the client cancels, and goes on serving', async () => {
    const abort = new AbortController();
    const since = new Date(Date.now() - 1000).toISOString();
    const call = client.callTool({ name: 'wait_for', arguments: { refs: ['stale'], timeout: '60s' } }, undefined, { signal: abort.signal, onprogress: () => abort.abort() });
    await assert.rejects(call, /AbortError|aborted/i);
    // The server ended the wait's watch (the audit log has a watch only once it is over), well before its 60 s.
    await eventually('the cancelled wait to end its watch', async () => auditEvents().find((e) => {
      const x = e as typeof e & { impersonatedUser?: { username: string }; requestReceivedTimestamp: string };
      return x.impersonatedUser?.username === reader && x.verb === 'watch' && x.objectRef?.namespace === a && x.requestReceivedTimestamp >= since;
    }), 15_000);
    const again = await client.callTool({ name: 'tree', arguments: { ref: 'apps' } });
    assert.equal(again.isError, undefined);
  });

  it('answers errors as tool errors with the CLI line: an unknown REF, a timeout too long, a context the kubeconfig lacks', async () => {
    const cases: Array<[string, Record<string, unknown>, string[] | string]> = [
      ['why_blocked', { ref: 'nope' }, ['why-blocked', 'nope', '-n', a]],
      ['tree', { ref: 'hr/nope' }, ['tree', 'hr/nope', '-n', a]],
      ['tree', { context: 'no-such-context' }, ['tree', '-n', a, '--context', 'no-such-context']],
      ['wait_for', { refs: ['apps'], timeout: '11m' }, 'timeout 11m is longer than this server allows (--max-timeout 10m)'],
    ];
    for (const [name, input, question] of cases) {
      const result = await client.callTool({ name, arguments: input });
      assert.equal(result.isError, true, `${name} ${JSON.stringify(input)}`);
      if (typeof question === 'string') assert.equal(texts(result)[0], question);
      else {
        const expected = await cli(question);
        assert.notEqual(expected.code, 0);
        assert.equal(texts(result)[0], errorLine(expected.stderr));
        assert.equal(exitCode(result), expected.code);
      }
    }
    assert.equal(texts(await client.callTool({ name: 'why_blocked', arguments: { ref: 'nope' } }))[0], `Kustomization ${a}/nope not found`);
  });

  it('asks the context a call names, among the kubeconfig contexts', async () => {
    const admin = readFileSync(testenv().kubeconfig('admin'), 'utf8');
    const viewer = readFileSync(testenv().kubeconfig('viewer'), 'utf8');
    const field = (text: string, name: string) => new RegExp(`${name}: (\\S+)`).exec(text)?.[1] ?? '';
    const kubeconfig = join(work, 'two.kubeconfig');
    writeFileSync(kubeconfig, JSON.stringify({
      apiVersion: 'v1', kind: 'Config',
      clusters: [{ name: 'testenv', cluster: { server: field(admin, 'server'), 'certificate-authority': join(testenv().dir, 'pki', 'ca.crt') } }],
      users: [{ name: 'admin', user: { token: field(admin, 'token') } }, { name: 'viewer', user: { token: field(viewer, 'token') } }],
      contexts: [{ name: 'admin', context: { cluster: 'testenv', user: 'admin' } }, { name: 'viewer', context: { cluster: 'testenv', user: 'viewer' } }],
      'current-context': 'admin',
    }));
    const two = await connect(['-n', a], kubeconfig);
    try {
      const asAdmin = await two.callTool({ name: 'why_blocked', arguments: { ref: 'apps' } });
      assert.equal(asAdmin.isError, undefined);
      // The viewer may read nothing: the same refusal the CLI gives with --context viewer.
      const asViewer = await two.callTool({ name: 'why_blocked', arguments: { ref: 'apps', context: 'viewer' } });
      const expected = await start(['why-blocked', 'apps', '-n', a, '--kubeconfig', kubeconfig, '--context', 'viewer', '-o', 'json']).done;
      assert.equal(expected.code, 4, expected.stderr);
      assert.equal(asViewer.isError, true);
      assert.equal(texts(asViewer)[0], errorLine(expected.stderr.split('\n').filter((l) => l.startsWith('✗')).join('\n')));
      // Several contexts are asked as the CLI asks them (fleet/run.ts): one document, a result per context.
      const [both, cliBoth] = await Promise.all([
        two.callTool({ name: 'why_blocked', arguments: { ref: 'apps', context: 'admin,viewer' } }),
        start(['why-blocked', 'apps', '-n', a, '--kubeconfig', kubeconfig, '--context', 'admin,viewer', '-o', 'json']).done,
      ]);
      assert.equal(cliBoth.code, 4, cliBoth.stderr);
      assert.equal(exitCode(both), 4);
      assert.equal(texts(both)[0], cliBoth.stdout);
      assert.deepEqual(JSON.parse(texts(both)[0] ?? '').contexts.map((c: { context: string; exitCode: number }) => `${c.context} ${c.exitCode}`), ['admin 1', 'viewer 4']);
    } finally {
      await two.close();
    }
  });

  it('refuses reconcile without --allow-reconcile, and made nothing but reads', async () => {
    const refused = await client.callTool({ name: 'reconcile', arguments: { ref: 'apps' } });
    assert.equal(refused.isError, true);
    assert.match(texts(refused)[0] ?? '', /Tool reconcile disabled/);
    const mine = auditEvents().filter((e) => (e as { impersonatedUser?: { username: string } }).impersonatedUser?.username === reader);
    const verbs = new Set(mine.map((e) => e.verb));
    assert.ok(mine.length >= 10 && verbs.has('list') && verbs.has('watch'), [...verbs].join(','));
    assert.deepEqual([...verbs].filter((v) => !['get', 'list', 'watch'].includes(v)), []);
    const annotations = (await clients().custom.getNamespacedCustomObject({ ...kustomizations, namespace: a, name: 'apps' })) as { metadata: { annotations?: Record<string, string> } };
    assert.equal(annotations.metadata.annotations?.['reconcile.fluxcd.io/requestedAt'], undefined);
  });
});
