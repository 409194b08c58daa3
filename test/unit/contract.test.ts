// CONTRACT.md held to the code, so that the page users and scripts rely on cannot drift from what the program does:
// lint's rules and severities, the exit codes (and the fleet's order of them, and --help's sentence), a section per
// command with its flags, defaults and -o choices, the JSON fields each command emits (every one documented, none
// documented that it lacks), fleets' RESULT words and refusals, the MCP tools and their parameters.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { parseCommandLine, type Command } from '../../src/args.ts';
import { commandsFor, run } from '../../src/cli.ts';
import type { TreeRun } from '../../src/commands/tree.ts';
import { watchTree } from '../../src/commands/tree-watch.ts';
import { requestReconciliation } from '../../src/cluster/reconcile-request.ts';
import type { LiveReader } from '../../src/cluster/live-reader.ts';
import { ExitCode, issuesURL } from '../../src/errors.ts';
import { exitCodeOrder } from '../../src/fleet/plan.ts';
import { exitCodeKey } from '../../src/mcp/server.ts';
import { tools } from '../../src/mcp/tools.ts';
import { DISABLE_ANNOTATION, rules } from '../../src/model/lint/rules.ts';
import { minDigestPrefix } from '../../src/model/revision.ts';
import { buildTimeline } from '../../src/model/timeline.ts';
import { globalFlags } from '../../src/options.ts';
import { SNAPSHOT_INFO } from '../../src/read/file-reader.ts';
import { openReader } from '../../src/read/open.ts';
import { fleetDocument } from '../../src/render/fleet-text.ts';
import { waitEvent } from '../../src/render/progress.ts';
import { artifact, git, ks, REV } from '../support/fixtures.ts';
import { recordingIO } from '../support/io.ts';
import { bullets, section, tableRows } from '../support/markdown.ts';
import { fileSource } from '../support/watch-files.ts';

const contract = readFileSync('CONTRACT.md', 'utf8');
const commands = commandsFor(recordingIO());

/** Each command's section under `## Commands`, by the command name its heading starts with. */
function commandSections(): Map<string, string> {
  const text = section(contract, '## Commands');
  const names = [...text.matchAll(/^### `([a-z-]+)/gm)].map((m) => m[1] as string);
  return new Map(names.map((n) => [n, section(text, `### \`${n}`)]));
}
const sections = commandSections();
const sectionOf = (name: string) => sections.get(name) ?? assert.fail(`CONTRACT.md has no section for ${name}`);

const ticked = (text: string) => [...text.matchAll(/`([^`]+)`/g)].map((m) => m[1] as string);
const mentions = (text: string, flag: string) => new RegExp(`${flag.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}(?![\\w-])`).test(text);

/** Every key of every object in a JSON value. */
function keysOf(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => keysOf(v, into));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) keysOf(v, into.add(k));
  return into;
}

/** The JSON fields a bullet documents: its quoted lowercase words (values are written upper case or in backticks). */
const documentedKeys = (bullet: string) => new Set([...bullet.matchAll(/"([a-z][A-Za-z]*)"/g)].map((m) => m[1] as string));

function assertFields(where: string, documented: string[], emitted: Set<string>): void {
  assert.ok(documented.length, `${where}: no bullet documents the JSON`);
  const keys = documentedKeys(documented.join('\n'));
  assert.deepEqual([...emitted].filter((k) => !keys.has(k)).sort(), [], `${where}: fields the code emits that CONTRACT.md does not name`);
  assert.deepEqual([...keys].filter((k) => !emitted.has(k)).sort(), [], `${where}: fields CONTRACT.md names that the code does not emit`);
}

/** Every JSON golden file of a command (test/golden/<command>/*-json.golden), so a field a case adds is seen here. */
function goldenJson(command: string): unknown[] {
  const dir = `test/golden/${command}`;
  return readdirSync(dir).filter((f) => f.endsWith('-json.golden')).map((f) => JSON.parse(readFileSync(`${dir}/${f}`, 'utf8').split('\n--- stderr\n')[0] as string));
}

async function jsonOf(argv: string[]): Promise<unknown> {
  const io = recordingIO({ env: { TZ: 'UTC', NO_COLOR: '1' } });
  const code = await run(argv, io);
  assert.ok(code === 0 || code === 1, `${argv.join(' ')} exited ${code}: ${io.stderr}`);
  return JSON.parse(io.stdout);
}

describe('CONTRACT.md against the code', () => {
  it('lists every lint rule with its severity, and no other', () => {
    const rows = tableRows(sectionOf('lint'), '| rule | severity | finds |');
    const documented = rows.map(([id = '', severity = '']) => `${id.replaceAll('`', '')} ${severity}`).sort();
    assert.deepEqual(documented, rules.map((r) => `${r.id} ${r.severity}`).sort());
    assert.ok(sectionOf('lint').includes(`\`${DISABLE_ANNOTATION}: `), 'the lint-disable annotation');
  });

  it('has a row for every exit code the program uses, and no other', () => {
    const text = section(contract, '## Exit codes');
    const rows = tableRows(text, '| code | meaning |');
    assert.deepEqual(rows.map(([code = '']) => Number(code)).sort((a, b) => a - b), Object.values(ExitCode).sort((a, b) => a - b));
    // An internal error says where to report it.
    assert.ok(text.includes(issuesURL), issuesURL);
  });

  it("--help's sentence names the table's exit codes", async () => {
    const io = recordingIO();
    await run(['--help'], io);
    const sentence = (/Exit codes: ([\s\S]*)$/.exec(io.stdout)?.[1] ?? '').replace(/\([^)]*\)/g, '');
    const codes = sentence.split(',').map((p) => Number(/^\s*(\d+)/.exec(p)?.[1]));
    assert.deepEqual(codes.sort((a, b) => a - b), Object.values(ExitCode).sort((a, b) => a - b));
  });

  it("gives the fleet's order of exit codes as fleet/plan.ts ranks them", () => {
    const order = /`(\d+(?: > \d+)+)`/.exec(section(contract, '## Fleets'))?.[1];
    assert.deepEqual(order?.split(' > ').map(Number), [...exitCodeOrder]);
  });

  it('has a section for every command cli.ts registers, and none for another', () => {
    assert.deepEqual([...sections.keys()].sort(), commands.map((c) => c.name).sort());
  });

  for (const command of commands) {
    it(`${command.name}: names its flags (with short names, choices, defaults) and its -o choices`, () => {
      const text = sectionOf(command.name);
      for (const f of command.flags) {
        assert.ok(mentions(text, f.short ? `-${f.short}/--${f.name}` : `--${f.name}`), `${command.name} --${f.name}`);
        if (f.name === 'output') continue;
        if (f.choices) assert.ok(text.includes(`--${f.name} ${f.choices.join('|')}`), `${command.name} --${f.name}'s choices`);
        if (f.default !== undefined && f.type !== 'boolean') {
          const lines = text.split('\n').filter((l) => mentions(l, `--${f.name}`));
          assert.ok(lines.some((l) => l.includes(`default ${f.default}`)), `${command.name} --${f.name}'s default ${f.default}`);
        }
      }
      const output = command.flags.find((f) => f.name === 'output');
      const lines = bullets(text, '`-o/--output`:');
      if (!output) return assert.deepEqual(lines, [], `${command.name} takes no -o`);
      assert.equal(lines.length, 1, `${command.name}: one -o/--output line`);
      assert.deepEqual(ticked(lines[0] as string).slice(1), [...(output.choices ?? [])]);
      assert.ok(lines[0]?.includes(`\`${output.default}\` (default)`), `${command.name}: -o's default`);
    });
  }

  it('names every global flag under Global flags', () => {
    const text = section(contract, '## Global flags');
    for (const f of globalFlags({})) {
      const flag = f.type === 'boolean' && f.default === true ? `--no-${f.name}` : f.short ? `-${f.short}/--${f.name}` : `--${f.name}`;
      assert.ok(mentions(text, flag), flag);
    }
  });

  it('names no flag the program lacks', () => {
    const flags = [...globalFlags({}), ...commands.flatMap((c) => c.flags)];
    // The Flux controllers' flag the cross-namespace rules are about, and yargs' own.
    const known = new Set(['help', 'version', 'no-cross-namespace-refs', ...flags.map((f) => f.name), ...flags.filter((f) => f.type === 'boolean').map((f) => `no-${f.name}`)]);
    const named = [...contract.matchAll(/(?<![\w-])--([a-z][a-z0-9-]*)/g)].map((m) => m[1] as string);
    assert.deepEqual([...new Set(named.filter((n) => !known.has(n)))], []);
  });

  it("names tree's -o json fields, and no other", async () => {
    assertFields('tree -o json', bullets(sectionOf('tree'), '`-o json`'), keysOf([await jsonOf(['tree', '--from', 'examples/production.yaml', '--inventory', '-o', 'json']), ...goldenJson('tree')]));
  });

  it("names tree --watch's JSON event fields, and no other", async () => {
    const stop = new AbortController();
    const io = recordingIO({ env: { TZ: 'UTC' }, interrupted: () => stop.signal, out: (line) => (events.push(JSON.parse(line)), stop.abort()) });
    const events: unknown[] = [];
    const parsed = parseCommandLine(['tree', '--from', 'examples/production.yaml', '--watch', '-o', 'json'], 'flux-deps', globalFlags(io.env), commandsFor(io), '');
    assert.equal(parsed.kind, 'run');
    const { command, args } = parsed as Extract<typeof parsed, { kind: 'run' }>;
    const o = command.options(args) as TreeRun;
    await watchTree(o.global, o.tree, { json: true, levels: false }, io, fileSource(await openReader(o.global, io)));
    assertFields('tree --watch -o json', bullets(sectionOf('tree'), '`-w/--watch`'), keysOf(events));
  });

  it("names why-blocked's -o json fields, and no other", async () => {
    const json = await jsonOf(['why-blocked', 'production-frontend', '--from', 'examples/production.yaml', '-o', 'json']);
    assertFields('why-blocked -o json', bullets(sectionOf('why-blocked'), '`-o json`'), keysOf([json, ...goldenJson('why-blocked')]));
  });

  it("names timeline's -o json fields, and no other", async () => {
    const rollout = await jsonOf(['timeline', '-n', 'rollout-10120e', '--from', 'test/golden/timeline/real-rollout.yaml', '-o', 'json']);
    // Ready only by an interval-driven reconcile of manifests applied before: periodicAt (test/unit/timeline.test.ts).
    const history = [{ digest: 'sha256:1', firstReconciled: '2026-11-14T08:21:07Z', lastReconciled: '2026-11-22T10:10:01Z', lastReconciledDuration: '187ms', lastReconciledStatus: 'ReconciliationSucceeded', metadata: { revision: REV }, totalReconciliations: 1146 }];
    const source = artifact(git('flux-system')).set('status.artifact.lastUpdateTime', '2026-11-22T10:00:00Z').build();
    const periodic = ks('namespace').set('spec.interval', '10m').ready().set('status.conditions.0.lastTransitionTime', '2026-11-22T10:10:01Z').set('status.history', history).build();
    const timeline = JSON.parse(JSON.stringify(buildTimeline([source, periodic], { namespace: 'flux-system' })));
    assert.ok(keysOf(timeline).has('periodicAt'), 'the fixture gives periodicAt');
    assertFields('timeline -o json', bullets(sectionOf('timeline'), '`-o json`'), keysOf([rollout, timeline, ...goldenJson('timeline')]));
  });

  it("names lint's -o json fields, and no other", async () => {
    assertFields('lint -o json', bullets(sectionOf('lint'), '`-o json`'), keysOf(await jsonOf(['lint', '--from', 'test/golden/lint/repo', '-o', 'json'])));
  });

  it("names wait-for's event fields, and no other", () => {
    const event = waitEvent(new Date(), 'Kustomization/flux-system/apps', { verdict: 'ready', reason: 'ReconciliationSucceeded', message: '', revision: REV } as Parameters<typeof waitEvent>[2]);
    assertFields('wait-for -o json', bullets(sectionOf('wait-for'), '`-o json`'), keysOf(event));
  });

  it("names the fleet document's fields, and no other", () => {
    const doc = fleetDocument([
      { context: 'one', exitCode: 1, stdout: '{}', summary: 'blocked' },
      { context: 'two', exitCode: 4, stdout: '', error: 'cannot reach the cluster', failure: 'unreachable' },
    ], 4);
    assertFields('fleet -o json', bullets(section(contract, '## Fleets'), '`-o json`'), keysOf(doc));
  });

  it('gives the RESULT words of every command that runs across contexts, and what each refuses there', () => {
    const fleets = commands.filter((c): c is Command & Required<Pick<Command, 'fleet'>> => c.fleet !== undefined);
    const text = section(contract, '## Fleets');
    const rows = tableRows(text, '| command | RESULT by exit code |');
    const documented = Object.fromEntries(rows.map(([name = '', words = '']) => [name.replaceAll('`', ''), Object.fromEntries([...words.matchAll(/(\d+) `([^`]+)`/g)].map((m) => [m[1], m[2]]))]));
    assert.deepEqual(documented, Object.fromEntries(fleets.map((c) => [c.name, Object.fromEntries(Object.entries(c.fleet.answers))])));
    const refused = (c: Command & Required<Pick<Command, 'fleet'>>) => (c.flags.find((f) => f.name === 'output')?.choices ?? []).filter((o) => c.fleet.refuse?.({ output: o }));
    const usage = bullets(text, 'Usage errors').join('\n');
    const said = new Map<string, string[]>();
    for (const m of usage.matchAll(/`([a-z-]+) -o ([a-z|]+)`/g)) said.set(m[1] as string, (m[2] as string).split('|'));
    assert.deepEqual(Object.fromEntries(said), Object.fromEntries(fleets.filter((c) => refused(c).length).map((c) => [c.name, refused(c)])));
    for (const c of fleets) for (const f of c.flags.filter((f) => f.type === 'boolean')) {
      if (c.fleet.refuse?.({ [f.name]: true })) assert.ok(usage.includes(`\`${c.name} --${f.name}\``), `${c.name} --${f.name} refused across contexts`);
    }
  });

  it('lists every MCP tool with its parameters (required ones and choices marked) and its command', () => {
    const rows = tableRows(sectionOf('mcp'), '| tool | parameters | scope parameters | the command |');
    const all = tools({ namespace: 'flux-system', allowReconcile: true, defaultTimeout: '30s', maxTimeout: '10m' });
    assert.deepEqual(rows.map(([name = '']) => name.replaceAll('`', '')).sort(), all.map((t) => t.name).sort());
    for (const [name = '', params = '', scope = '', command = ''] of rows) {
      const tool = all.find((t) => `\`${t.name}\`` === name) ?? assert.fail(name);
      const documented = Object.fromEntries([...`${params} ${scope}`.matchAll(/`([a-z_]+)`(?: \(([^)]*)\))?/g)].map((m) => [m[1], m[2] ?? '']));
      const expected = Object.fromEntries(Object.entries(tool.params).map(([p, d]) => [p, d.required ? 'required' : d.choices ? d.choices.map((c) => `\`${c}\``).join(', ') : '']));
      assert.deepEqual(documented, expected, `${tool.name}'s parameters`);
      assert.equal(ticked(command)[0]?.split(' ')[0], tool.command, `${tool.name}'s command`);
    }
    assert.ok(sectionOf('mcp').includes(`_meta["${exitCodeKey}"]`), "the result's exit-code key");
  });

  it("names the annotations reconcile writes, snapshot's SnapshotInfo and the shortest --revision digest prefix", async () => {
    const written: string[] = [];
    const reader = { path: async () => '/apis/x', api: { send: async (_m: string, _p: string, body: { metadata: { annotations: object } }) => (written.push(...Object.keys(body.metadata.annotations)), { status: 200 }) } };
    await requestReconciliation(reader as unknown as LiveReader, { id: 'HelmRelease/a/b', apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', namespace: 'a', name: 'b' }, 'now', ['reset', 'force']);
    assert.equal(written.length, 3);
    for (const a of written) assert.ok(sectionOf('reconcile').includes(`\`${a}\``), a);
    assert.ok(sectionOf('snapshot').includes(`\`${SNAPSHOT_INFO.kind}\` (\`apiVersion: ${SNAPSHOT_INFO.apiVersion}\``), 'SnapshotInfo');
    assert.ok(sectionOf('wait-for').includes(`at least ${minDigestPrefix} hex characters`), 'the digest prefix rule');
  });
});
