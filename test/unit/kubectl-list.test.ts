// --from reads a kubectl List kind by kind, parsing each kind when first asked for. These tests hold the split to
// the whole-file parse on every List the project has, and check that any other shape is parsed whole.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../../src/errors.ts';
import { loadInput, parseObjects } from '../../src/read/files.ts';
import { splitKubectlList } from '../../src/read/kubectl-list.ts';

const lists = ['examples', 'test/golden/tree', 'test/golden/why-blocked'].flatMap((dir) =>
  readdirSync(dir).filter((f) => f.endsWith('.yaml')).map((f) => join(dir, f)));

describe('kubectl List split by kind', () => {
  for (const file of lists) {
    it(`${file}: each kind's objects are the whole-file parse's, in order`, () => {
      const whole = parseObjects(readFileSync(file, 'utf8'), file);
      const parts = loadInput(file, () => '');
      const kinds = [...new Set(whole.map((o) => o.kind))];
      for (const kind of kinds) {
        const split = parts.filter((p) => p.kind === kind || p.kind === undefined).flatMap((p) => p.objects()).filter((o) => o.kind === kind);
        assert.deepEqual(split, whole.filter((o) => o.kind === kind), kind);
      }
    });
  }

  it('splits the bundled example, so tree parses only the Flux kinds', () => {
    const groups = splitKubectlList(readFileSync('examples/production.yaml', 'utf8'));
    assert.deepEqual([...(groups?.keys() ?? [])].sort(), ['ConfigMap', 'Deployment', 'Event', 'GitRepository', 'Kustomization', 'Namespace', 'Pod', 'Service', 'SnapshotInfo', 'StatefulSet']);
  });

  it('splits what `snapshot` writes, so --from reads a snapshot kind by kind too', () => {
    const groups = splitKubectlList(readFileSync('test/golden/snapshot/git-failing.golden', 'utf8'));
    assert.deepEqual([...(groups?.keys() ?? [])].sort(), ['Event', 'GitRepository', 'Kustomization', 'SnapshotInfo']);
  });

  const item = (kind: string, name: string) => `- apiVersion: v1\n  kind: ${kind}\n  metadata:\n    name: ${name}\n`;
  const list = (items: string) => `apiVersion: v1\nitems:\n${items}kind: List\nmetadata:\n  resourceVersion: ""\n`;

  it('keeps block scalars, comments and quoted kinds inside their item', () => {
    const text = list(`# leading\n${item('ConfigMap', 'a')}  data:\n    script: |\n      - not an item\n      kind: Pod\n\n# between\n- apiVersion: v1\n  kind: "Pod"\n  metadata:\n    name: b\n`);
    const groups = splitKubectlList(text);
    assert.deepEqual([...(groups?.keys() ?? [])], ['ConfigMap', 'Pod']);
    assert.deepEqual(parseObjects(groups?.get('ConfigMap')?.text ?? '', 'x')[0]?.data, { script: '- not an item\nkind: Pod\n' });
  });

  const whole: Array<[string, string]> = [
    ['several documents', `${list(item('Pod', 'a'))}---\n${list(item('Pod', 'b'))}`],
    ['an anchor and alias', list(`${item('Pod', 'a')}  spec: &s {x: 1}\n${item('Pod', 'b')}  spec: *s\n`)],
    ['a flow-style item', list('- {apiVersion: v1, kind: Pod, metadata: {name: a}}\n')],
    ['an item without a kind line', list('- apiVersion: v1\n  metadata:\n    name: a\n')],
    ['a single object', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n'],
    ['indented items', list(item('Pod', 'a').replace(/^/gm, '  '))],
    ['a key after the items', `${list(item('Pod', 'a'))}extra: 1\n`],
  ];
  for (const [what, text] of whole) {
    it(`parses ${what} whole`, () => assert.equal(splitKubectlList(text), undefined));
  }

  it('reports a broken item with the line in the file, not in its kind group', () => {
    const text = list(`${item('Pod', 'a')}${item('ConfigMap', 'b')}  data: [unclosed\n`);
    const parts = loadInput('-', () => text);
    assert.equal(parts.length, 2, 'split');
    assert.throws(() => parts.find((p) => p.kind === 'ConfigMap')?.objects(), (err: Error) => err instanceof UsageError && /^standard input: document 1: .* \(line 1[0-9]\)$/.test(err.message));
  });
});
