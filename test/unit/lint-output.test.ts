// lint's outputs and inputs beyond the rules: the SARIF log's structure (what GitHub code scanning requires),
// colour only on a terminal, JSON's key order, the repository reader's lines and followed paths, the flags.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { run } from '../../src/cli.ts';
import { rules } from '../../src/model/lint/rules.ts';
import { loadInput, parseObjects, type Lines } from '../../src/read/files.ts';
import { followPath, loadLocated } from '../../src/read/manifests.ts';
import { recordingIO } from '../support/io.ts';

const repo = 'test/golden/lint/repo';
const lintOf = async (args: string[], overrides = {}) => {
  const io = recordingIO({ env: { TZ: 'UTC' }, ...overrides });
  const code = await run(['lint', '-A', '--from', repo, ...args], io);
  return { code, io };
};

describe('lint -o sarif', () => {
  // The SARIF 2.1.0 schema's required properties, and GitHub's: a rule per ruleId, a level, a message, a location.
  it('is a SARIF 2.1.0 log: rules in the driver, every result naming one of them, at the file and line of its object', async () => {
    const { code, io } = await lintOf(['-o', 'sarif']);
    assert.equal(code, 1);
    const log = JSON.parse(io.stdout);
    assert.equal(log.version, '2.1.0');
    assert.match(log.$schema, /sarif-2\.1\.0/);
    assert.equal(log.runs.length, 1);
    const [runLog] = log.runs;
    assert.equal(runLog.tool.driver.name, 'flux-deps');
    const driverRules: Array<{ id: string; shortDescription: { text: string }; help: { text: string }; defaultConfiguration: { level: string } }> = runLog.tool.driver.rules;
    assert.deepEqual(driverRules.map((r) => r.id), rules.map((r) => r.id));
    for (const r of driverRules) {
      assert.ok(r.shortDescription.text && r.help.text, r.id);
      assert.ok(['error', 'warning', 'note'].includes(r.defaultConfiguration.level), r.id);
    }
    assert.ok(runLog.results.length >= rules.length);
    const fired = new Set<string>();
    for (const result of runLog.results) {
      fired.add(result.ruleId);
      assert.equal(driverRules[result.ruleIndex]?.id, result.ruleId);
      assert.equal(result.level, driverRules[result.ruleIndex]?.defaultConfiguration.level);
      assert.ok(typeof result.message.text === 'string' && result.message.text.length > 0);
      const [location] = result.locations;
      assert.match(location.logicalLocations[0].fullyQualifiedName, /^[A-Z]\w+\/[\w-]+\/[\w-]+$/);
      const { artifactLocation, region } = location.physicalLocation;
      assert.ok(!artifactLocation.uri.startsWith('/'), 'relative to the checkout');
      const line = readFileSync(artifactLocation.uri, 'utf8').split('\n')[region.startLine - 1];
      assert.equal(line, 'apiVersion: ' + (result.ruleId === 'wrong-kind-dependency' && location.logicalLocations[0].fullyQualifiedName.startsWith('HelmRelease') ? 'helm.toolkit.fluxcd.io/v2' : 'kustomize.toolkit.fluxcd.io/v1'));
    }
    assert.deepEqual([...fired].sort(), rules.map((r) => r.id).sort(), 'the repository fixture makes every rule fire');
    assert.ok(runLog.invocations[0].toolExecutionNotifications.some((n: { message: { text: string } }) => /remote resource/.test(n.message.text)));
  });
});

describe('lint text and json', () => {
  it('colours severities on a terminal only, never with NO_COLOR', async () => {
    assert.match((await lintOf([], { stdoutIsTTY: true })).io.stdout, /\u001b\[31merror/);
    assert.doesNotMatch((await lintOf([], { stdoutIsTTY: true, env: { NO_COLOR: '1' } })).io.stdout, /\u001b\[/);
    assert.doesNotMatch((await lintOf([])).io.stdout, /\u001b\[/);
  });

  it('json: a list of findings with a fixed key order', async () => {
    const findings = JSON.parse((await lintOf(['-o', 'json'])).io.stdout) as Array<Record<string, unknown>>;
    for (const f of findings) assert.deepEqual(Object.keys(f).filter((k) => k !== 'path'), ['rule', 'severity', 'object', 'message', 'fix', 'location']);
  });

  it('usage errors exit 2: an unknown rule, a depth below 1', async () => {
    assert.equal((await lintOf(['--disable', 'cycles'])).code, 2);
    const shallow = await lintOf(['--max-depth', '0']);
    assert.equal(shallow.code, 2);
    assert.match(shallow.io.stderr, /--max-depth must be a whole number >= 1, not 0/);
    assert.equal((await lintOf(['--fail-on', 'info'])).code, 2);
  });

  it('exit 0 when nothing at or above --fail-on remains', async () => {
    const errors = rules.filter((r) => r.severity === 'error').map((r) => r.id);
    assert.equal((await lintOf(['--disable', errors.join(',')])).code, 0);
    assert.equal((await lintOf(['--disable', errors.join(','), '--fail-on', 'warning'])).code, 1);
  });
});

describe('lint --from a repository', () => {
  const linesOf = (text: string, lenient = false) => {
    const lines: Lines = new Map();
    return parseObjects(text, 'x', lenient, lines).map((o) => [o.metadata?.name, lines.get(o)?.line]);
  };

  it('records the line each object starts on, in plain files, Lists, JSON and CRLF files', () => {
    assert.deepEqual(linesOf('# c\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n'), [['a', 2], ['b', 7]]);
    assert.deepEqual(linesOf('apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: a}\n-\n  apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: b}\n'), [['a', 4], ['b', 8]]);
    assert.deepEqual(linesOf('{"kind": "List", "items": [\n  {"kind": "ConfigMap", "metadata": {"name": "a", "name": "a"}},\n\n  {"kind": "ConfigMap", "metadata": {"name": "b"}}]}\n'), [['a', 2], ['b', 4]], "JSON, read by JSON's rules");
    assert.deepEqual(linesOf('kind: ConfigMap\r\nmetadata: {name: a}\r\n---\r\nkind: ConfigMap\r\nmetadata: {name: b}\r\n'), [['a', 1], ['b', 4]]);
    assert.deepEqual(linesOf('replicaCount: 2\n---\nkind: ConfigMap\nmetadata: {name: a}\n', true), [['a', 3]], 'no Kubernetes object in a directory: skipped');
  });

  it("records lines in a kubectl List read kind by kind as the file's lines", () => {
    const item = (kind: string, name: string) => `- apiVersion: v1\n  kind: ${kind}\n  metadata:\n    name: ${name}\n`;
    const text = `apiVersion: v1\nitems:\n${item('Pod', 'a')}${item('ConfigMap', 'b')}${item('Pod', 'c')}kind: List\nmetadata:\n  resourceVersion: ""\n`;
    const lines: Lines = new Map();
    const parts = loadInput('-', () => text, lines);
    assert.deepEqual(parts.map((p) => p.kind), ['Pod', 'ConfigMap'], 'split');
    const found = parts.flatMap((p) => p.objects()).map((o) => [o.metadata?.name, lines.get(o)?.line]);
    assert.deepEqual(found, [['a', 3], ['c', 11], ['b', 7]]);
  });

  it("follows spec.path through kustomization.yaml resources, kustomize's namespace and the Kustomization's targetNamespace", () => {
    const located = loadLocated(repo, () => '');
    const ids = (f: ReturnType<typeof followPath>) => f?.objects.map((o) => `${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name}`);
    assert.deepEqual(ids(followPath(located, './apps/production', undefined)), ['HelmRepository/flux-system/podinfo', 'HelmRelease/flux-system/podinfo']);
    assert.deepEqual(ids(followPath(located, 'tenants/team-a', 'team-b')), ['ConfigMap/team-b/team-a-settings']);
    assert.deepEqual(followPath(located, './infrastructure/controllers', undefined)?.problems, [
      'infrastructure/controllers/kustomization.yaml: remote resource https://github.com/kubernetes-sigs/metrics-server//manifests/base?ref=v0.7.2 is not followed',
    ]);
    assert.equal(followPath(located, './nowhere', undefined), undefined);
    assert.equal(followPath(located, '../..', undefined), undefined, 'never outside the tree');
  });
});

describe('lint in the README', () => {
  it("the example output is the command's output on the bundled example", async () => {
    const block = /```console\n\$ bin\/flux-deps (lint --from examples\/seed-chain\.yaml)\n([\s\S]*?)```/.exec(readFileSync('README.md', 'utf8'));
    assert.ok(block, 'README has the lint example');
    const io = recordingIO({ env: { TZ: 'UTC', NO_COLOR: '1' } });
    assert.equal(await run((block[1] as string).split(' '), io), 0);
    assert.equal(io.stdout, block[2]);
  });
});
