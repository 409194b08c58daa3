// One judge of --from input (read/files.ts) for every command that takes --from: each input below is refused by
// tree, why-blocked, timeline, lint and snapshot alike, with the same line and exit 2, or accepted by all of them.
// lint reads it through that judge and still says where each object is (SARIF), in every shape the judge accepts.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../src/cli.ts';
import { recordingIO } from '../support/io.ts';

const commands = [['tree'], ['why-blocked', 'apps'], ['timeline'], ['lint'], ['snapshot']];

const ks = (name: string, spec = '  interval: 5m\n  path: ./apps\n  sourceRef: {kind: GitRepository, name: flux-system}\n') =>
  `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: ${name}\n  namespace: flux-system\nspec:\n${spec}`;
const item = (text: string) => `- ${text.trimEnd().replace(/\n/g, '\n  ')}\n`;
const kubectlList = (items: string, end = 'kind: List\nmetadata:\n  resourceVersion: ""\n') => `apiVersion: v1\nitems:\n${items}${end}`;
const pod = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: flux-system\n';
const bytes = (...parts: Array<string | number[]>) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));

/** An input; `refused` is the one line every command prints (after `✗ <file>: `), absent when all accept it. */
interface Input {
  what: string;
  name: string;
  content: string | Uint8Array | Record<string, string>;
  refused?: string;
}

const inputs: Input[] = [
  { what: 'a Kustomization', name: 'ok.yaml', content: ks('apps') },
  { what: 'a duplicate key', name: 'dup.yaml', content: ks('apps').replace('  name: apps\n', '  name: apps\n  name: again\n'), refused: 'document 1: duplicated mapping key (line 5)' },
  { what: 'a tab in indentation', name: 'tab.yaml', content: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: a\n', refused: 'document 1: tab characters must not be used in indentation (line 4)' },
  { what: '3 MB of nested flow sequences', name: 'deep.yaml', content: `a: ${'['.repeat(1_500_000)}${']'.repeat(1_500_000)}\n`, refused: 'nested too deeply to read' },
  { what: 'Latin-1 bytes', name: 'latin1.yaml', content: bytes(ks('apps'), '  # caf', [0xe9], '\n'), refused: 'not UTF-8 text (byte 0xe9 on line 10)' },
  { what: 'UTF-16 with its byte order mark', name: 'utf16.yaml', content: bytes([0xff, 0xfe], [...Buffer.from(ks('apps'), 'utf16le')]) },
  { what: 'UTF-16BE cut short (an odd number of bytes)', name: 'utf16be-odd.yaml', content: bytes([0xfe, 0xff, 0x00, 0x61, 0x00]), refused: 'not UTF-16 text (an odd number of bytes after its byte order mark)' },
  { what: 'UTF-16LE with a lone surrogate', name: 'utf16-lone.yaml', content: bytes([0xff, 0xfe], [...Buffer.from('a: 1\nb: ', 'utf16le')], [0x00, 0xd8], [...Buffer.from('\n', 'utf16le')]), refused: 'not UTF-16 text (a lone surrogate on line 2)' },
  { what: "UTF-8's byte order mark", name: 'bom.yaml', content: bytes([0xef, 0xbb, 0xbf], ks('apps')) },
  { what: 'CRLF line ends', name: 'crlf.yaml', content: ks('apps').replace(/\n/g, '\r\n') },
  { what: 'an empty file', name: 'empty.yaml', content: '' },
  { what: 'only a comment and a document marker', name: 'comment.yaml', content: '# nothing\n---\n' },
  { what: 'a scalar document', name: 'scalar.yaml', content: 'just text\n', refused: 'document 1: not a Kubernetes object' },
  { what: 'a map that is no object', name: 'values.yaml', content: 'replicaCount: 2\n', refused: 'document 1: not a Kubernetes object (needs kind and metadata.name)' },
  { what: 'a List with a scalar item', name: 'list-scalar.yaml', content: 'apiVersion: v1\nkind: List\nitems:\n- 1\n', refused: 'document 1: not a Kubernetes object' },
  { what: 'a List with a map that is no object', name: 'list-map.yaml', content: 'apiVersion: v1\nkind: List\nitems:\n- replicaCount: 2\n', refused: 'document 1: not a Kubernetes object (needs kind and metadata.name)' },
  { what: 'JSON', name: 'ok.json', content: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } }) },
  { what: "JSON with a repeated key (JSON's rule: the last wins)", name: 'dup.json', content: '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a", "name": "b"}}\n' },
  { what: 'JSON cut short', name: 'cut.json', content: '{"apiVersion": "v1", "kind": "ConfigMap",\n "metadata": {"name": "a"}\n', refused: 'document 1: unexpected end of the stream within a flow collection (line 3)' },
  { what: 'an unclosed flow sequence', name: 'unclosed.yaml', content: `${ks('apps')}---\nkind: [unclosed\n`, refused: 'document 2: unexpected end of the stream within a flow collection (line 12)' },
  { what: 'an unknown tag', name: 'tag.yaml', content: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {k: !foo bar}\n', refused: 'document 1: unknown tag !<!foo> (line 4)' },
  { what: 'an alias to an anchor of another document', name: 'alias.yaml', content: 'kind: ConfigMap\nmetadata: &m {name: a}\n---\nkind: ConfigMap\nmetadata: *m\n', refused: 'document 2: unidentified alias "m" (line 5)' },
  { what: 'an object without a name', name: 'no-name.yaml', content: 'kind: Kustomization\nmetadata: {}\n', refused: 'document 1: not a Kubernetes object (needs kind and metadata.name)' },
  { what: 'a kubectl List', name: 'list.yaml', content: kubectlList(item(ks('apps')) + item(pod)) },
  { what: 'a kubectl List with a broken Kustomization', name: 'list-bad.yaml', content: kubectlList(item(ks('apps').replace('5m', '"5m')) + item(pod)), refused: 'document 1: unexpected end of the stream within a double quoted scalar (line 20)' },
  // Cut short (no `kind: List` after the items): judged whole, so a broken Pod fails every command, not only those reading pods.
  { what: 'a kubectl List cut short in a Pod', name: 'list-cut.yaml', content: kubectlList(item(ks('apps')) + item(`${pod}  labels: {app: "we`), ''), refused: 'document 1: unexpected end of the stream within a double quoted scalar (line 18)' },
  { what: 'a directory of objects and configuration', name: 'repo', content: { 'a.yaml': ks('apps'), 'values.yaml': 'replicaCount: 2\n', 'notes.yaml': 'just text\n' } },
  { what: 'a directory with one bad file', name: 'repo-bad', content: { 'a.yaml': ks('apps'), 'b.yaml': ks('apps').replace('  name: apps\n', '  name: apps\n  name: again\n'), 'c.yaml': ks('c') }, refused: 'document 1: duplicated mapping key (line 5)' },
];

const dir = mkdtempSync(join(tmpdir(), 'from-input-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function write(input: Input): string {
  const path = join(dir, input.name);
  if (typeof input.content === 'string' || input.content instanceof Uint8Array) {
    writeFileSync(path, input.content);
    return path;
  }
  mkdirSync(path);
  for (const [name, text] of Object.entries(input.content)) writeFileSync(join(path, name), text);
  return path;
}

/** Each command's exit code and its first error line, for --from path (or - with stdin). */
async function outcomes(path: string, stdin?: string | Uint8Array): Promise<Array<[string, number, string]>> {
  return Promise.all(commands.map(async (args) => {
    const io = recordingIO({ env: { TZ: 'UTC', NO_COLOR: '1' }, ...(stdin !== undefined ? { readStdin: () => stdin } : {}) });
    const code = await run([...args, '--from', stdin !== undefined ? '-' : path], io);
    return [args[0] as string, code, io.stderr.split('\n').find((l) => l.startsWith('✗')) ?? ''] as [string, number, string];
  }));
}

describe('--from: one judge for every command', () => {
  for (const input of inputs) {
    it(`${input.what}: ${input.refused ? 'refused' : 'accepted'} by every command alike`, async () => {
      const path = write(input);
      const results = await outcomes(path);
      // The file that is bad: the directory's file for a directory.
      const bad = input.name === 'repo-bad' ? join(path, 'b.yaml') : path;
      if (input.refused) {
        for (const r of results) assert.deepEqual(r, [r[0], 2, `✗ ${bad}: ${input.refused}; see 'flux-deps --help'`]);
      } else {
        for (const [command, code, line] of results) assert.ok(code !== 2 && code !== 70 && !line.includes(path), `${command}: ${code} ${line}`);
      }
    });
  }

  it('standard input is judged as a file is, named "standard input"', async () => {
    const broken = inputs.find((i) => i.name === 'unclosed.yaml')?.content as string;
    for (const r of await outcomes('-', Buffer.from(broken))) {
      assert.deepEqual(r, [r[0], 2, "✗ standard input: document 2: unexpected end of the stream within a flow collection (line 12); see 'flux-deps --help'"]);
    }
    for (const r of await outcomes('-', bytes(ks('apps'), [0xc3]))) assert.deepEqual(r, [r[0], 2, "✗ standard input: not UTF-8 text (byte 0xc3 on line 10); see 'flux-deps --help'"]);
    for (const [command, code] of await outcomes('-', Buffer.from(ks('apps')))) assert.ok(code === 0 || code === 1, command);
  });
});

describe('lint --from: where each object is, in every shape the judge accepts', () => {
  const broken = (name: string) => ks(name, '  dependsOn: [{name: nowhere}]\n  interval: 5m\n  path: ./apps\n  prune: true\n  sourceRef: {kind: GitRepository, name: flux-system}\n');
  const json = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: 'apps', namespace: 'flux-system' }, spec: { dependsOn: [{ name: 'nowhere' }] } }] }, null, 2);
  const cases: Array<[string, string | Uint8Array | Record<string, string>, Array<[string, number]>]> = [
    ['after a comment and an empty document', `# c\n---\n---\n\n${broken('apps')}`, [['', 5]]],
    ['the second document', `${ks('base')}---\n${broken('apps')}`, [['', 11]]],
    ['a kubectl List, read kind by kind', kubectlList(item(pod) + item(broken('apps')) + item(pod.replace('name: p', 'name: q'))), [['', 8]]],
    ['a List in another key order, read whole', `apiVersion: v1\nkind: List\nitems:\n${item(pod)}-\n${broken('apps').replace(/^/gm, '  ')}`, [['', 10]]],
    ['JSON, pretty-printed', json, [['', 5]]],
    ['CRLF line ends', `${ks('base')}---\n${broken('apps')}`.replace(/\n/g, '\r\n'), [['', 11]]],
    ['UTF-16', bytes([0xff, 0xfe], [...Buffer.from(`${ks('base')}---\n${broken('apps')}`, 'utf16le')]), [['', 11]]],
    ['a directory', { 'a.yaml': ks('base'), 'values.yaml': 'replicaCount: 2\n', 'z/b.yaml': `# b\n${broken('apps')}---\n${broken('web')}` }, [['z/b.yaml', 2], ['z/b.yaml', 14]]],
  ];
  cases.forEach(([what, content, expected], i) => {
    it(`SARIF names the file and line: ${what}`, async () => {
      const path = join(dir, `lint-${i}${typeof content === 'object' && !(content instanceof Uint8Array) ? '' : '.yaml'}`);
      if (typeof content === 'string' || content instanceof Uint8Array) writeFileSync(path, content);
      else for (const [name, text] of Object.entries(content)) mkdirSync(join(path, name, '..'), { recursive: true }), writeFileSync(join(path, name), text);
      const io = recordingIO({ env: { TZ: 'UTC', NO_COLOR: '1' } });
      assert.equal(await run(['lint', '--from', path, '-o', 'sarif'], io), 1, io.stderr);
      const results = JSON.parse(io.stdout).runs[0].results as Array<{ ruleId: string; locations: Array<{ physicalLocation?: { artifactLocation: { uri: string }; region: { startLine: number } } }> }>;
      const found = results.filter((r) => r.ruleId === 'missing-dependency').map((r) => r.locations[0]?.physicalLocation);
      assert.deepEqual(found.map((l) => [l?.artifactLocation.uri, l?.region.startLine]), expected.map(([file, line]) => [`file://${file ? join(path, file) : path}`, line]));
    });
  });
});
