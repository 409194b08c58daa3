// Fleets' pure parts: which contexts a run covers (names the kubeconfig lacks are usage errors), the order exit
// codes are worst in, the table and the JSON document; then the command line's refusals and rows for clusters
// that cannot be reached (closed ports on 127.0.0.1), no cluster needed.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../src/cli.ts';
import { UsageError } from '../../src/errors.ts';
import { asksForFleet, exitCodeOrder, fleetContexts, worstExitCode } from '../../src/fleet/plan.ts';
import type { ContextResult } from '../../src/fleet/spec.ts';
import { fleetDocument, renderFleetText, resultWord } from '../../src/render/fleet-text.ts';
import { recordingIO } from '../support/io.ts';

const names = ['prod-eu', 'a,b', 'staging', 'prod-us'];

describe('fleets', () => {
  describe('which contexts', () => {
    const cases: Array<[string, string | undefined, boolean, string[] | undefined]> = [
      ['no flag: one run on the current context', undefined, false, undefined],
      ['one name: one run, as without fleets', 'staging', false, undefined],
      ['one name the kubeconfig lacks: still one run (its own error, exit 4, as today)', 'nope', false, undefined],
      ['a name with a comma that is a context: one run', 'a,b', false, undefined],
      ['a list, in its order, each once, spaces trimmed', 'staging, prod-eu,staging', false, ['staging', 'prod-eu']],
      ['a list of one (a trailing comma) is a fleet of one', 'staging,', false, ['staging']],
      ['--all-contexts: every context, sorted by name', undefined, true, ['a,b', 'prod-eu', 'prod-us', 'staging']],
    ];
    for (const [what, context, all, expected] of cases) it(what, () => assert.deepEqual(fleetContexts(context, all, names), expected));

    const errors: Array<[string, string | undefined, boolean, readonly string[], RegExp]> = [
      ['a name the kubeconfig lacks, in a list', 'staging,prod-ap', false, names, /^context "prod-ap" not found in the kubeconfig; contexts: prod-eu, a,b, staging, prod-us$/],
      ['several it lacks', 'x,y', false, names, /^contexts "x", "y" not found/],
      ['a kubeconfig without contexts', 'x,y', false, [], /the kubeconfig defines none$/],
      ['commas only', ',,', false, names, /names no context/],
      ['--all-contexts with --context', 'staging', true, names, /exclude each other/],
      ['--all-contexts on a kubeconfig without contexts', undefined, true, [], /defines no context/],
    ];
    for (const [what, context, all, known, message] of errors) {
      it(`usage error: ${what}`, () => assert.throws(() => fleetContexts(context, all, known), (err: unknown) => err instanceof UsageError && message.test(err.message)));
    }

    it('asks for a fleet only for a list or --all-contexts', () => {
      assert.equal(asksForFleet('a', undefined), false);
      assert.equal(asksForFleet(undefined, false), false);
      assert.equal(asksForFleet('a,b', false), true);
      assert.equal(asksForFleet(undefined, true), true);
    });
  });

  describe('exit codes', () => {
    it('orders them: interrupted, internal, usage, cluster, not found, timed out, no, success', () => {
      assert.deepEqual(exitCodeOrder, [130, 70, 2, 4, 3, 5, 1, 0]);
    });
    const cases: Array<[number[], number]> = [
      [[], 0], [[0, 0], 0], [[0, 1], 1], [[1, 5], 5], [[5, 1, 3], 3], [[3, 4, 1], 4], [[4, 2], 2], [[2, 70, 4], 70],
      [[70, 130], 130], [[0, 42, 4], 42], [[42, 70], 42],
    ];
    for (const [codes, worst] of cases) it(`worst of [${codes.join(', ')}] is ${worst}`, () => assert.equal(worstExitCode(codes), worst));
  });

  describe('rendering', () => {
    const results: ContextResult[] = [
      { context: 'prod-eu', exitCode: 1, stdout: '✗ apps is blocked\n', summary: 'apps is blocked by infra' },
      { context: 'staging', exitCode: 4, stdout: '', error: 'cannot reach the cluster at https://10.0.0.1 (context staging): connection refused', failure: 'unreachable' },
      { context: 'prod-us', exitCode: 0, stdout: '✔ apps is Ready\n', summary: 'apps is Ready' },
      { context: 'dev', exitCode: 3, stdout: '', error: 'Kustomization flux-system/apps not found' },
    ];
    const answers = { 0: 'not blocked', 1: 'blocked' };

    it('a table with a context column, then each context’s output under its name', () => {
      assert.equal(renderFleetText(results, answers, { color: false }), [
        'CONTEXT  RESULT       SUMMARY',
        'prod-eu  blocked      apps is blocked by infra',
        'staging  unreachable  cannot reach the cluster at https://10.0.0.1 (context staging): connection refused',
        'prod-us  not blocked  apps is Ready',
        'dev      not found    Kustomization flux-system/apps not found',
        '',
        '── context prod-eu ──',
        '✗ apps is blocked',
        '',
        '── context prod-us ──',
        '✔ apps is Ready',
        '',
      ].join('\n'));
    });

    it('cuts the summary to a terminal’s width, and colours the result only when asked', () => {
      const text = renderFleetText(results.slice(1, 2), answers, { color: true }, { width: 60 });
      assert.match(text, /\u001b\[31munreachable\u001b\[0m/);
      assert.ok(text.split('\n').every((l) => l.replace(/\u001b\[[0-9;]*m/g, '').length <= 60), text);
    });

    it('names an access failure, else the command’s answer, else what the code means', () => {
      assert.equal(resultWord({ context: 'x', exitCode: 4, stdout: '', error: 'e', failure: 'unauthorized' }, {}), 'unauthorized');
      assert.equal(resultWord({ context: 'x', exitCode: 4, stdout: '', error: 'e', failure: 'credentials' }, {}), 'no credentials');
      for (const failure of ['notServed', 'notInstalled']) assert.equal(resultWord({ context: 'x', exitCode: 4, stdout: '', error: 'e', failure }, {}), 'not served', failure);
      assert.equal(resultWord({ context: 'x', exitCode: 4, stdout: '', error: 'e' }, {}), 'cluster error');
      assert.equal(resultWord({ context: 'x', exitCode: 5, stdout: '' }, { 0: 'ready' }), 'timed out');
      assert.equal(resultWord({ context: 'x', exitCode: 70, stdout: '', error: 'internal error: x' }, { 0: 'ready' }), 'internal error');
      // An error never takes the answer's word, even with the answer's code.
      assert.equal(resultWord({ context: 'x', exitCode: 1, stdout: '', error: 'suspended' }, { 1: 'failed' }), 'no');
    });

    it('one JSON document: each context’s own JSON as `result`, or its `error`', () => {
      const json = [{ context: 'a', exitCode: 0, stdout: '{"nodes": [], "edges": []}\n', summary: '3 objects' }, { context: 'b', exitCode: 4, stdout: '', error: 'cannot reach', failure: 'unreachable' }];
      assert.deepEqual(fleetDocument(json, 4), {
        exitCode: 4,
        // failure: what the RESULT column says, for scripts that must tell unreachable from forbidden.
        contexts: [{ context: 'a', exitCode: 0, result: { nodes: [], edges: [] }, summary: '3 objects' }, { context: 'b', exitCode: 4, error: 'cannot reach', failure: 'unreachable' }],
      });
    });
  });

  describe('on the command line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flux-deps-fleet-'));
    const kubeconfig = join(dir, 'config');
    // Two contexts whose servers listen nowhere: port 1 and 2 on loopback refuse at once.
    writeFileSync(kubeconfig, [
      'apiVersion: v1', 'kind: Config',
      'clusters:', '- {name: c1, cluster: {server: "https://127.0.0.1:1"}}', '- {name: c2, cluster: {server: "https://127.0.0.1:2"}}',
      'users:', '- {name: u, user: {token: t}}',
      'contexts:', '- {name: west, context: {cluster: c2, user: u}}', '- {name: east, context: {cluster: c1, user: u}}',
      'current-context: east', '',
    ].join('\n'));
    const flux = async (...args: string[]) => {
      const io = recordingIO({ env: { TZ: 'UTC', NO_COLOR: '1', KUBECONFIG: kubeconfig } });
      const code = await run(args, io);
      return { code, stdout: io.stdout, stderr: io.stderr };
    };

    it('reports each unreachable cluster as its row and exits 4', async () => {
      const r = await flux('tree', '--all-contexts');
      assert.equal(r.code, 4, r.stderr);
      assert.equal(r.stdout, [
        'CONTEXT  RESULT       SUMMARY',
        'east     unreachable  cannot reach the cluster at https://127.0.0.1:1 (context east): connection refused',
        'west     unreachable  cannot reach the cluster at https://127.0.0.1:2 (context west): connection refused',
        '',
      ].join('\n'));
      assert.equal(r.stderr, '');
    });

    it('colours its table on a terminal, unless --no-color or NO_COLOR', async () => {
      const table = async (env: Record<string, string>, ...flags: string[]) => {
        const io = recordingIO({ env: { TZ: 'UTC', KUBECONFIG: kubeconfig, ...env }, stdoutIsTTY: true });
        assert.equal(await run(['tree', '--all-contexts', ...flags], io), 4);
        return io.stdout;
      };
      const escape = /\u001b\[/;
      assert.match(await table({}), escape);
      assert.doesNotMatch(await table({}, '--no-color'), escape);
      assert.doesNotMatch(await table({ NO_COLOR: '1' }), escape);
    });

    it('runs one named context as without fleets: its error on stderr, no table', async () => {
      const r = await flux('tree', '--context', 'west');
      assert.equal(r.code, 4);
      assert.equal(r.stdout, '');
      assert.equal(r.stderr, '✗ cannot reach the cluster at https://127.0.0.1:2 (context west): connection refused\n');
    });

    it('writes -o yaml as the JSON document in YAML', async () => {
      const r = await flux('why-blocked', 'apps', '--context', 'west,east', '-o', 'yaml');
      assert.equal(r.code, 4);
      assert.match(r.stdout, /^exitCode: 4\ncontexts:\n- context: west\n {2}exitCode: 4\n {2}error: "cannot reach the cluster at https:\/\/127\.0\.0\.1:2 \(context west\): connection refused"\n {2}failure: unreachable\n- context: east\n/);
    });

    it('streams wait-for -o json, then a line per context with its exit code', async () => {
      const r = await flux('wait-for', 'apps', '--context', 'east,west', '-o', 'json', '--timeout', '5s');
      assert.equal(r.code, 4);
      assert.deepEqual(r.stdout.trim().split('\n').map((l) => JSON.parse(l)), [
        { context: 'east', exitCode: 4, error: 'cannot reach the cluster at https://127.0.0.1:1 (context east): connection refused', failure: 'unreachable' },
        { context: 'west', exitCode: 4, error: 'cannot reach the cluster at https://127.0.0.1:2 (context west): connection refused', failure: 'unreachable' },
      ]);
    });

    const refused: Array<[string[], RegExp]> = [
      [['tree', '--context', 'east,nope'], /^✗ context "nope" not found in the kubeconfig; contexts: west, east; see 'flux-deps --help'\n$/],
      [['tree', '--context', 'east,west', '--watch'], /--watch follows one cluster/],
      [['tree', '--context', 'east,west', '-o', 'dot'], /-o dot draws one cluster's graph/],
      [['tree', '--context', 'east,west', '-o', 'svg'], /-o svg draws one cluster's graph/],
      [['lint', '--all-contexts', '-o', 'sarif'], /-o sarif reports one source/],
      [['tree', '--all-contexts', '--from', 'examples/seed-chain.yaml'], /--from reads files, not contexts/],
      [['why-blocked', 'apps', '--all-contexts', '--server', 'https://127.0.0.1:3'], /--server names one cluster/],
      [['tree', '--all-contexts', '--context', 'east'], /exclude each other/],
      [['reconcile', 'apps', '--context', 'east,west'], /reconcile runs on one context/],
      [['tree', 'ks/', '--context', 'east,west'], /^✗ /],
      [['snapshot', '--all-contexts'], /unknown flag: --all-contexts/],
    ];
    for (const [args, message] of refused) {
      it(`usage error (exit 2), before any cluster is asked: ${args.join(' ')}`, async () => {
        const r = await flux(...args);
        assert.equal(r.code, 2, r.stderr);
        assert.match(r.stderr, message);
        assert.equal(r.stdout, '');
      });
    }

    it('completes --context with the kubeconfig’s contexts, and the next of a list', async () => {
      assert.deepEqual((await flux('__complete', 'tree', '--context', '')).stdout, 'east\nwest\n:4\n');
      assert.deepEqual((await flux('__complete', 'tree', '--context', 'west,')).stdout, 'west,east\n:4\n');
      assert.deepEqual((await flux('__complete', 'reconcile', '--context', 'west,')).stdout, ':4\n');
    });
  });
});
