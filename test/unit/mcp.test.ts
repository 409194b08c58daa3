// `flux-deps mcp`: the tools as plain data (a call's input → the command's arguments), and the server driven by the
// SDK's own Client over its in-memory transport on the bundled example (--from): the tool list and schemas, every
// answer equal to the CLI's for the same question, errors as tool errors. test/cluster/mcp.test.ts does the same
// over stdio against the test cluster.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { commandsFor, run, runCommand } from '../../src/cli.ts';
import { mcpCommand } from '../../src/commands/mcp.ts';
import { callTool, commandArgs, type Server } from '../../src/mcp/call.ts';
import { exitCodeKey, mcpServer } from '../../src/mcp/server.ts';
import { boundedTimeout, tools, type Settings } from '../../src/mcp/tools.ts';
import { globalFlags } from '../../src/options.ts';
import { recordingIO } from '../support/io.ts';
import { parseCommandLine } from '../../src/args.ts';

const example = 'examples/production.yaml';
const settings: Settings = { namespace: 'flux-system', allowReconcile: false, defaultTimeout: '30s', maxTimeout: '10m' };
const tool = (name: string, s = settings) => tools(s).find((t) => t.name === name) ?? assert.fail(`no tool ${name}`);
const clock = () => new Date('2026-11-22T10:15:00Z');

/** The server's options as `flux-deps mcp ARGS` parses them, as the real command does. */
function served(args: string[]): Server {
  const io = recordingIO({ now: clock });
  const parsed = parseCommandLine(['mcp', ...args], 'flux-deps', globalFlags(io.env), commandsFor(io), '');
  assert.equal(parsed.kind, 'run');
  const options = mcpCommand(io, { commandsFor, runCommand }).options(parsed.kind === 'run' ? parsed.args : {});
  return { ...options, io, commandsFor, runCommand };
}

async function connected(server: Server): Promise<Client> {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await mcpServer(server).connect(serverSide);
  const client = new Client({ name: 'test', version: '1' });
  await client.connect(clientSide);
  return client;
}

async function cli(args: string[]) {
  const io = recordingIO({ now: clock });
  const code = await run(args, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

type Text = { type: 'text'; text: string };

describe('mcp', () => {
  describe('tools as data', () => {
    it('maps a call to the command line it stands for', () => {
      const cases: Array<[string, Record<string, unknown>, Record<string, unknown>]> = [
        ['tree', {}, { output: 'json' }],
        ['tree', { ref: 'hr/web', direction: 'downstream', depth: 2, inventory: true, all_namespaces: true }, { ref: 'hr/web', downstream: true, depth: 2, inventory: true, 'all-namespaces': true, output: 'json' }],
        ['tree', { ref: 'apps', direction: 'upstream', namespace: 'team-a', context: 'prod' }, { ref: 'apps', namespace: 'team-a', 'all-namespaces': false, context: 'prod', output: 'json' }],
        ['why_blocked', { ref: 'apps' }, { ref: 'apps', output: 'json' }],
        ['lint', { disable: ['deep-chain'], max_depth: 6 }, { disable: ['deep-chain'], 'max-depth': 6, output: 'json' }],
        ['timeline', { ref: 'apps' }, { ref: 'apps', output: 'json' }],
        ['wait_for', { refs: ['apps', 'hr/db'], revision: '1818d77', fail_fast: true, with_upstream: true }, { refs: ['apps', 'hr/db'], revision: '1818d77', timeout: '30s', 'fail-fast': true, 'with-upstream': true, output: 'json' }],
        ['wait_for', { all: true, timeout: '2m', selector: 'team=a' }, { refs: [], all: true, timeout: '2m', selector: 'team=a', output: 'json' }],
        ['snapshot', { namespace: 'x' }, { namespace: 'x', 'all-namespaces': false }],
      ];
      for (const [name, input, args] of cases) assert.deepEqual(tool(name).args(input, settings), args, `${name} ${JSON.stringify(input)}`);
      const allowed = { ...settings, allowReconcile: true };
      assert.deepEqual(tool('reconcile', allowed).args({ ref: 'apps', with_source: true, no_wait: true }, allowed), { ref: 'apps', timeout: '30s', 'with-source': true, 'no-wait': true });
    });

    it('bounds a timeout by the server maximum, and refuses reconcile unless allowed', () => {
      assert.equal(boundedTimeout(undefined, settings), '30s');
      assert.equal(boundedTimeout('10m', settings), '10m');
      assert.throws(() => boundedTimeout('11m', settings), /^UsageError: timeout 11m is longer than this server allows \(--max-timeout 10m\)$/);
      assert.throws(() => boundedTimeout('soon', settings), /invalid --timeout "soon"/);
      assert.throws(() => tool('reconcile').args({ ref: 'apps' }, settings), /reconcile is off: this server was started without --allow-reconcile/);
    });

    it('fills in what the parser would: defaults, then the server flags, then the call', () => {
      const io = recordingIO();
      const tree = commandsFor(io).find((c) => c.name === 'tree') ?? assert.fail();
      const args = commandArgs(tree, { namespace: 'ops', context: 'a' }, { context: 'b', output: 'json' });
      assert.deepEqual(args, { 'all-contexts': undefined, upstream: undefined, downstream: undefined, depth: undefined, inventory: undefined, levels: undefined, output: 'json', watch: undefined, ref: undefined, namespace: 'ops', context: 'b' });
    });

    it('takes its settings from the flags: the namespace, --allow-reconcile, --max-timeout; refuses --from -', () => {
      assert.deepEqual(served(['-n', 'ops']).settings, { namespace: 'ops', allowReconcile: false, defaultTimeout: '30s', maxTimeout: '10m' });
      assert.deepEqual(served(['--allow-reconcile', '--max-timeout', '20s']).settings, { namespace: 'flux-system', allowReconcile: true, defaultTimeout: '20s', maxTimeout: '20s' });
      assert.equal(served(['--context', 'prod', '--kubeconfig', '/k']).globals.context, 'prod');
      assert.throws(() => served(['--from', '-']), /standard input carries the MCP protocol: --from - cannot be used with mcp/);
      assert.throws(() => served(['--max-timeout', 'long']), /invalid --max-timeout "long"/);
      assert.throws(() => served(['--max-timeout', '0s']), /--max-timeout must be longer than 0, not "0s"/);
    });

    it('reports each line a waiting command writes where its progress is, and never throws', async () => {
      const lines: string[] = [];
      const fake: Server = {
        ...served([]),
        commandsFor: () => [{ name: 'wait-for', describe: '', positionals: [], flags: [], examples: [], options: () => ({}), run: async () => {
          throw new Error('boom');
        } }],
      };
      const broken = await callTool(tool('wait_for'), {}, fake, { signal: new AbortController().signal, progress: (l) => lines.push(l) });
      assert.equal(broken.exitCode, 70);
      assert.match(broken.error ?? '', /^internal error: boom; this is a bug in flux-deps/);
    });
  });

  describe('the server on the example snapshot', () => {
    let client: Client;
    before(async () => {
      client = await connected(served(['--from', example]));
    });

    it('lists the read tools with descriptions and schemas; reconcile only with --allow-reconcile', async () => {
      const { tools: listed } = await client.listTools();
      assert.deepEqual(listed.map((t) => t.name), ['tree', 'why_blocked', 'lint', 'timeline', 'wait_for', 'snapshot']);
      for (const t of listed) {
        assert.ok((t.description ?? '').length > 150, `${t.name} says when to use it`);
        assert.equal(t.annotations?.readOnlyHint, true);
        assert.equal(t.inputSchema.type, 'object');
        assert.equal(((t.inputSchema.properties ?? {}) as Record<string, { type: string }>).context?.type, 'string');
      }
      const why = listed.find((t) => t.name === 'why_blocked');
      assert.deepEqual(why?.inputSchema.required, ['ref']);
      const tree = listed.find((t) => t.name === 'tree')?.inputSchema.properties as Record<string, { enum?: string[]; type: string; minimum?: number }>;
      assert.deepEqual(tree.direction?.enum, ['upstream', 'downstream']);
      assert.equal(tree.depth?.type, 'integer');
      assert.equal(tree.depth?.minimum, 0);

      const writer = await connected(served(['--from', example, '--allow-reconcile']));
      const reconcile = (await writer.listTools()).tools.find((t) => t.name === 'reconcile');
      assert.equal(reconcile?.annotations?.readOnlyHint, false);
      assert.deepEqual(reconcile?.inputSchema.required, ['ref']);
    });

    const same: Array<[string, Record<string, unknown>, string[]]> = [
      ['tree', {}, ['tree', '-o', 'json']],
      ['tree', { ref: 'production-infrastructure', direction: 'downstream', depth: 2, inventory: true }, ['tree', 'production-infrastructure', '--downstream', '--depth', '2', '--inventory', '-o', 'json']],
      ['tree', { all_namespaces: true }, ['tree', '-A', '-o', 'json']],
      ['why_blocked', { ref: 'production-frontend' }, ['why-blocked', 'production-frontend', '-o', 'json']],
      ['lint', {}, ['lint', '-o', 'json']],
      ['lint', { ref: 'production-backend', disable: ['deep-chain'], max_depth: 2 }, ['lint', 'production-backend', '--disable', 'deep-chain', '--max-depth', '2', '-o', 'json']],
      ['timeline', { ref: 'production-frontend' }, ['timeline', 'production-frontend', '-o', 'json']],
      ['snapshot', {}, ['snapshot']],
    ];
    for (const [name, input, argv] of same) {
      it(`answers ${name} ${JSON.stringify(input)} as \`flux-deps ${argv.join(' ')}\` does`, async () => {
        const expected = await cli([...argv, '--from', example]);
        const result = await client.callTool({ name, arguments: input });
        const content = result.content as Text[];
        assert.equal(result.isError, undefined);
        assert.ok(expected.stdout.length > 100);
        assert.equal(content[0]?.text, expected.stdout);
        assert.equal(content[1]?.text, expected.stderr || undefined);
        assert.equal(result._meta?.[exitCodeKey], expected.code);
      });
    }

    it('answers the CLI one line as a tool error: not found, bad input, a live-only tool, a timeout above the maximum', async () => {
      const cases: Array<[string, Record<string, unknown>, string, number]> = [
        ['why_blocked', { ref: 'nope' }, 'Kustomization flux-system/nope not found', 3],
        ['tree', { ref: 'hr/nope', namespace: 'apps' }, 'HelmRelease apps/nope not found', 3],
        ['tree', { ref: 'deploy/x' }, 'unknown kind "deploy" in "deploy/x": use ks/NAME or hr/NAME', 2],
        ['lint', { disable: ['no-such-rule'] }, 'starts:--disable no-such-rule: unknown rule', 2],
        ['wait_for', { refs: ['production-frontend'] }, 'wait-for needs a live cluster; --from cannot be used with it', 2],
        ['wait_for', { refs: ['production-frontend'], timeout: '1h' }, 'timeout 1h is longer than this server allows (--max-timeout 10m)', 2],
      ];
      for (const [name, input, line, code] of cases) {
        const result = await client.callTool({ name, arguments: input });
        const text = (result.content as Text[])[0]?.text ?? '';
        assert.equal(result.isError, true, `${name}: ${text}`);
        if (line.startsWith('starts:')) assert.ok(text.startsWith(line.slice(7)), text);
        else assert.equal(text, line);
        assert.equal(result._meta?.[exitCodeKey], code);
      }
      // And the CLI says the same line for the same question.
      assert.equal((await cli(['why-blocked', 'nope', '--from', example])).stderr, '✗ Kustomization flux-system/nope not found\n');
    });

    it('refuses reconcile without --allow-reconcile, and input its schema does not allow', async () => {
      const refused = await client.callTool({ name: 'reconcile', arguments: { ref: 'production-frontend' } });
      assert.equal(refused.isError, true);
      assert.match((refused.content as Text[])[0]?.text ?? '', /reconcile disabled/);
      const bad = await client.callTool({ name: 'tree', arguments: { depth: -1 } });
      assert.equal(bad.isError, true);
      assert.match((bad.content as Text[])[0]?.text ?? '', /Invalid arguments for tool tree/);
      // The server is still there.
      assert.equal((await client.callTool({ name: 'tree', arguments: {} })).isError, undefined);
    });
  });
});

describe('mcp, the built program', () => {
  it('serves over stdio, the SDK and zod read from dist/mcp-sdk.cjs, and answers as the CLI does', async () => {
    const transport = new StdioClientTransport({ command: 'bin/flux-deps', args: ['mcp', '--from', example], env: { PATH: '/usr/bin:/bin', NO_COLOR: '1' }, stderr: 'pipe' });
    let stderr = '';
    transport.stderr?.on('data', (d) => (stderr += d));
    const client = new Client({ name: 'test', version: '1' });
    await client.connect(transport);
    try {
      assert.equal(client.getServerVersion()?.name, 'flux-deps');
      const result = await client.callTool({ name: 'tree', arguments: { ref: 'production-frontend' } });
      const expected = execFileSync('bin/flux-deps', ['tree', 'production-frontend', '-o', 'json', '--from', example], { encoding: 'utf8' });
      assert.equal((result.content as Text[])[0]?.text, expected);
    } finally {
      await client.close();
    }
    assert.equal(stderr, `flux-deps mcp ${JSON.parse(readFileSync('package.json', 'utf8')).version}: serving tree, why_blocked, lint, timeline, wait_for, snapshot on stdio\n`);
  });
});
