// tree -o svg and -o html through the real entry point on --from inputs: the SVG parsed as XML and checked for
// every node and edge with its id and classes, ranks by rollout level, titles, the legend; the HTML for being
// self-contained and carrying every detail the page shows. (The page's behaviour: html-browser.test.ts.)
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../src/cli.ts';
import { goldenClock } from '../golden/cases.ts';
import { recordingIO } from '../support/io.ts';
import { allElements, parseXml, type XmlElement } from '../support/xml.ts';

interface JsonNode { id: string; found: boolean; ready: string; suspended: boolean; message: string; revision: string; rootCause: string | null; level: number | null; inventory?: Array<{ id: string; status: string }> }
interface Graph { nodes: JsonNode[]; edges: Array<{ from: string; to: string }> }

async function flux(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = recordingIO({ env: { TZ: 'UTC', NO_COLOR: '1' }, now: () => goldenClock });
  const code = await run(args, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

async function picture(args: string[]): Promise<{ svg: XmlElement; json: Graph; groups: Map<string, XmlElement> }> {
  const r = await flux(['tree', ...args, '-o', 'svg']);
  assert.equal(r.code, 0, r.stderr);
  const svg = parseXml(r.stdout);
  const json = JSON.parse((await flux(['tree', ...args, '-o', 'json'])).stdout) as Graph;
  const groups = new Map(allElements(svg).filter((e) => e.name === 'g' && e.attrs.id).map((e) => [e.attrs.id as string, e]));
  return { svg, json, groups };
}

const classes = (g: XmlElement | undefined) => (g?.attrs.class ?? '').split(' ');
const title = (g: XmlElement | undefined) => g?.children.find((c) => c.name === 'title')?.text ?? '';
// The middle of a node's lines of text (Graphviz centres them on the node), rounded: one per rank.
const rowOf = (g: XmlElement | undefined) => {
  const ys = (g?.children ?? []).filter((c) => c.name === 'text').map((c) => Number(c.attrs.y));
  return Math.round(ys.reduce((a, b) => a + b, 0) / ys.length);
};
const expectedState = (n: JsonNode) => (!n.found ? 'missing' : n.ready === 'False' ? 'failed' : n.suspended && n.ready !== 'True' ? 'suspended' : n.ready === 'True' ? 'ready' : 'progressing');

describe('tree -o svg', () => {
  it('draws every node and edge of the graph with its id, state class and title, well-formed', async () => {
    const { svg, json, groups } = await picture(['--from', 'examples/production.yaml']);
    assert.equal(svg.name, 'svg');
    const nodes = [...groups.values()].filter((g) => classes(g)[0] === 'node' && g.attrs.id?.includes('/'));
    assert.deepEqual(nodes.map((g) => g.attrs.id).sort(), json.nodes.map((n) => n.id).sort());
    for (const n of json.nodes) {
      const g = groups.get(n.id);
      assert.equal(classes(g)[1], expectedState(n), n.id);
      assert.equal(classes(g).includes('rootcause'), n.rootCause !== null, n.id);
      assert.ok(title(g).includes(n.message), `${n.id}'s title has its message`);
      assert.ok(title(g).includes(`revision: ${n.revision}`), `${n.id}'s title has its revision`);
    }
    assert.equal(json.edges.length, 4);
    for (const e of json.edges) {
      const g = groups.get(`${e.from}->${e.to}`);
      assert.deepEqual(classes(g), ['edge', 'dependency'], `${e.from}->${e.to}`);
      assert.equal(title(g), `${e.from} depends on ${e.to}`);
      assert.ok(g?.children.some((c) => c.name === 'path'), 'the edge is drawn');
    }
    assert.deepEqual(classes(groups.get('Kustomization/flux-system/production-infrastructure')), ['node', 'failed', 'rootcause']);
    assert.match(title(groups.get('Kustomization/flux-system/production-infrastructure')), /^✗ Kustomization\/flux-system\/production-infrastructure\nReady: False \(HealthCheckFailed\)\n/);
    assert.ok(groups.has('legend'), 'a legend');
    for (const state of ['✔ Ready', '◎ Progressing', '✗ Failed', '✗ Not found', '◎ Suspended', '◀ root cause', 'on another kind', 'in a cycle']) {
      assert.ok(allElements(groups.get('legend') as XmlElement).some((e) => e.name === 'text' && e.text.includes(state)), state);
    }
  });

  it('puts each rollout level on a rank of its own, level 1 on top, labelled', async () => {
    const { json, groups } = await picture(['--from', 'test/golden/tree/diamond-levels.yaml']);
    const byLevel = new Map<number, number[]>();
    for (const n of json.nodes) byLevel.set(n.level as number, [...(byLevel.get(n.level as number) ?? []), rowOf(groups.get(n.id))]);
    const levels = [...byLevel.keys()].sort((a, b) => a - b);
    assert.ok(levels.length >= 3, `levels ${levels}`);
    for (const [i, level] of levels.entries()) {
      const rows = new Set(byLevel.get(level));
      assert.equal(rows.size, 1, `level ${level} on one rank`);
      assert.equal(rowOf(groups.get(`level-${level}`)), [...rows][0], `level ${level}'s label on its rank`);
      if (i > 0) assert.ok(([...rows][0] as number) > (byLevel.get(levels[i - 1] as number)?.[0] as number), `level ${level} below level ${levels[i - 1]}`);
    }
  });

  it('draws a cycle, its members and edges marked, on the "never" rank', async () => {
    const { json, groups } = await picture(['--from', 'test/golden/tree/cycle.yaml']);
    const members = ['a', 'b', 'c'].map((n) => `Kustomization/flux-system/${n}`);
    for (const id of members) assert.ok(classes(groups.get(id)).includes('cycle'), id);
    assert.ok(!classes(groups.get('Kustomization/flux-system/d')).includes('cycle'));
    const cycleEdges = json.edges.filter((e) => members.includes(e.from) && members.includes(e.to));
    assert.equal(cycleEdges.length, 3);
    for (const e of cycleEdges) assert.equal(classes(groups.get(`${e.from}->${e.to}`))[1], 'cycle');
    const never = groups.get('level-1');
    assert.equal(never?.children.find((c) => c.name === 'text')?.text, 'never (cycle)');
  });

  it('draws a missing dependency dashed, its edge as missing, and a dependency on another kind as cross-kind', async () => {
    const missing = await picture(['--from', 'test/golden/tree/missing-dependency.yaml']);
    const absent = missing.json.nodes.find((n) => !n.found) as JsonNode;
    assert.deepEqual(classes(missing.groups.get(absent.id)), ['node', 'missing', 'rootcause']);
    assert.match(missing.groups.get(absent.id)?.children.find((c) => c.name === 'path')?.attrs['stroke-dasharray'] ?? '', /\d/);
    const into = missing.json.edges.filter((e) => e.to === absent.id);
    assert.ok(into.length > 0);
    for (const e of into) assert.deepEqual(classes(missing.groups.get(`${e.from}->${e.to}`)), ['edge', 'missing']);
    const cross = await picture(['--from', 'test/golden/tree/cross-kind.yaml']);
    assert.deepEqual(classes(cross.groups.get('Kustomization/flux-system/ingress-config->HelmRelease/flux-system/ingress-nginx')), ['edge', 'crosskind']);
    assert.deepEqual(classes(cross.groups.get('Kustomization/flux-system/ingress-config->Kustomization/flux-system/infra')), ['edge', 'dependency']);
  });

  it('draws what the text tree shows with REF and --depth, marking where --depth stopped', async () => {
    const args = ['ks/production-infrastructure', '--downstream', '--depth', '1', '--from', 'examples/production.yaml'];
    const { groups } = await picture(args);
    const drawn = [...groups.keys()].filter((id) => id.includes('/') && !id.includes('->')).sort();
    assert.deepEqual(drawn, ['Kustomization/flux-system/production-config', 'Kustomization/flux-system/production-infrastructure']);
    assert.ok(classes(groups.get('Kustomization/flux-system/production-config')).includes('truncated'));
    // -o json (and yaml, dot, mermaid: the same graph data) stops where the picture and the text tree stop.
    const { json } = await picture(args);
    assert.deepEqual(json.nodes.map((n) => n.id), drawn);
    assert.deepEqual(json.edges, [{ from: 'Kustomization/flux-system/production-config', to: 'Kustomization/flux-system/production-infrastructure' }]);
    const upstream = await picture(['production-backend', '--from', 'examples/production.yaml']);
    assert.deepEqual([...upstream.groups.keys()].filter((id) => /^Kustomization\/[^>]*$/.test(id)).length, 4);
  });

  it('carries --inventory in each node\'s title: every object with its health, as -o json lists them', async () => {
    const { json, groups } = await picture(['--from', 'examples/production.yaml', '--inventory']);
    const withInventory = json.nodes.filter((n) => (n.inventory ?? []).length > 0);
    assert.ok(withInventory.length > 0, 'the example has inventories');
    for (const n of withInventory) {
      const entries = n.inventory ?? [];
      const t = title(groups.get(n.id));
      assert.ok(t.includes(`inventory (${entries.length}):`), `${n.id}'s title counts its inventory`);
      for (const e of entries) assert.ok(t.includes(`  ${e.status} ${e.id}`), `${n.id}'s title has ${e.id}`);
    }
    const plain = await picture(['--from', 'examples/production.yaml']);
    for (const g of plain.groups.values()) assert.ok(!title(g).includes('inventory ('), 'inventory only with --inventory');
  });

  it('escapes what objects say, in titles and labels', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flux-deps-svg-'));
    const message = `failed: <script>alert("x")</script> & 'more'`;
    writeFileSync(join(dir, 'odd.json'), JSON.stringify({ apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: 'odd', namespace: 'flux-system' }, spec: {}, status: { conditions: [{ type: 'Ready', status: 'False', reason: 'Bad"Reason<', message }] } }));
    const { groups } = await picture(['--from', join(dir, 'odd.json')]);
    assert.ok(title(groups.get('Kustomization/flux-system/odd')).includes(message));
    const html = await flux(['tree', '--from', join(dir, 'odd.json'), '-o', 'html']);
    assert.ok(!html.stdout.includes('<script>alert'), 'no markup from a message');
    assert.equal((html.stdout.match(/<\/script>/g) ?? []).length, 2, 'only the page\'s own scripts end');
  });

  it('drops what XML cannot hold (a colour escape, a NUL) from what objects say, so the SVG stays well-formed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flux-deps-svg-'));
    const message = 'pull failed: \u001b[31mimage not found\u001b[0m\u0000 (see events)';
    writeFileSync(join(dir, 'ansi.json'), JSON.stringify({ apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: 'ansi', namespace: 'flux-system' }, spec: {}, status: { conditions: [{ type: 'Ready', status: 'False', reason: 'Failed', message }] } }));
    const notInXml = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/;
    const svg = await flux(['tree', '--from', join(dir, 'ansi.json'), '-o', 'svg']);
    assert.equal(svg.code, 0, svg.stderr);
    assert.doesNotMatch(svg.stdout, notInXml);
    assert.ok(title(new Map(allElements(parseXml(svg.stdout)).filter((e) => e.attrs.id).map((e) => [e.attrs.id as string, e])).get('Kustomization/flux-system/ansi')).includes('pull failed: [31mimage not found[0m (see events)'));
    const html = await flux(['tree', '--from', join(dir, 'ansi.json'), '-o', 'html']);
    assert.doesNotMatch(html.stdout, notInXml);
  });

  it('renders an empty scope as the legend alone, and refuses --watch', async () => {
    const r = await flux(['tree', '-n', 'nothing-here', '--from', 'examples/production.yaml', '-o', 'svg']);
    assert.equal(r.code, 0);
    assert.ok(allElements(parseXml(r.stdout)).some((e) => e.attrs.id === 'legend'));
    const watch = await flux(['tree', '--watch', '-o', 'svg', '--from', 'examples/production.yaml']);
    assert.equal(watch.code, 2);
    assert.match(watch.stderr, /^✗ --watch prints text or json/);
  });
});

describe('tree -o svg|html from the bundle', () => {
  // make build ships Graphviz beside the program (dist/graphviz.cjs): the built executable must load it.
  it('bin/flux-deps draws what the sources draw', async () => {
    for (const output of ['svg', 'html']) {
      const args = ['tree', '--from', 'examples/production.yaml', '-o', output];
      const built = execFileSync('bin/flux-deps', args, { encoding: 'utf8', env: { PATH: '/usr/bin:/bin', TZ: 'UTC', NO_COLOR: '1' } });
      assert.equal(built, (await flux(args)).stdout, output);
    }
  });
});

describe('tree -o html', () => {
  it('is one self-contained page: the SVG inline, nothing loaded from anywhere', async () => {
    const r = await flux(['tree', '--from', 'examples/production.yaml', '-o', 'html']);
    assert.equal(r.code, 0, r.stderr);
    const page = r.stdout;
    assert.match(page, /^<!DOCTYPE html>\n/);
    assert.match(page, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; /);
    assert.ok(!/<(link|img|iframe|object|embed)\b/i.test(page), 'no external resources');
    assert.ok(!/\s(src|href|xlink:href)=/i.test(page), 'no src or href');
    assert.ok(!/url\(|@import|fetch\(|XMLHttpRequest|WebSocket/.test(page), 'nothing that loads');
    // The only URLs are the SVG's namespace names, which nothing fetches.
    assert.deepEqual([...new Set(page.match(/https?:\/\/[^\s"'<)]+/g))].sort(), ['http://www.w3.org/1999/xlink', 'http://www.w3.org/2000/svg']);
    assert.equal((page.match(/<svg\b/g) ?? []).length, 1);
    assert.ok(!page.includes('<?xml') && !page.includes('<!DOCTYPE svg'));
    assert.match(page, /@media \(prefers-color-scheme: dark\)/);
  });

  it('carries each node\'s details: state, reason, message, revision, age, why it is blocked, its inventory', async () => {
    const r = await flux(['tree', '--from', 'examples/production.yaml', '-o', 'html', '--inventory']);
    const json = /<script type="application\/json" id="flux-deps-data">(.*?)<\/script>/s.exec(r.stdout)?.[1] ?? '';
    const data = JSON.parse(json) as { nodes: Array<Record<string, unknown> & { id: string }> };
    const infra = data.nodes.find((n) => n.id === 'Kustomization/flux-system/production-infrastructure') as Record<string, unknown>;
    assert.equal(infra.state, 'failed');
    assert.equal(infra.reason, 'HealthCheckFailed');
    assert.match(String(infra.revision), /^main@sha1:7fba1163[0-9a-f]{32}$/);
    assert.match(String(infra.message), /^health check failed after 5m0.0123456s: timeout waiting for: \[StatefulSet\/production\/postgres/);
    assert.match(String(infra.age), /^\d+[smhd]/);
    assert.equal(infra.rootCause, 'HealthCheckFailed');
    assert.match(String(infra.explanation), /^✗ Kustomization\/flux-system\/production-infrastructure is blocked by one root cause\n/);
    assert.ok(Array.isArray(infra.inventory) && (infra.inventory as unknown[]).length > 0, 'inventory');
    const frontend = data.nodes.find((n) => n.id === 'Kustomization/flux-system/production-frontend') as Record<string, unknown>;
    assert.match(String(frontend.explanation), /via: Kustomization\/flux-system\/production-frontend → .* → Kustomization\/flux-system\/production-infrastructure/);
    const ready = data.nodes.find((n) => n.id === 'Kustomization/flux-system/production-namespace') as Record<string, unknown>;
    assert.equal(ready.explanation, undefined);
    const plain = await flux(['tree', '--from', 'examples/production.yaml', '-o', 'html']);
    assert.ok(!plain.stdout.includes('"inventory"'), 'inventory only with --inventory');
  });
});
