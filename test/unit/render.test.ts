// Renderers: colour only when asked, Graphviz accepts the dot output as it is, Mermaid stays in the documented
// flowchart syntax, and the text tree's connectors line up.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { run } from '../../src/cli.ts';
import { buildTreeView, type TreeOptions } from '../../src/model/tree-view.ts';
import { renderDot } from '../../src/render/dot.ts';
import { graphData } from '../../src/render/graph-data.ts';
import { renderMermaid } from '../../src/render/mermaid.ts';
import { renderTreeText } from '../../src/render/tree-text.ts';
import { age } from '../../src/render/style.ts';
import { hr, ks, objects } from '../support/fixtures.ts';
import { recordingIO } from '../support/io.ts';

const now = new Date('2026-11-22T10:15:00Z');
const options: TreeOptions = { namespace: 'flux-system', allNamespaces: false, direction: 'upstream', inventory: false };
const sample = objects(
  ks('infra').ready(),
  ks('apps').dependsOn('infra', 'missing').notReady('DependencyNotReady', "dependency 'flux-system/infra' is not ready"),
  ks('web').dependsOn('apps').suspended(),
  hr('db').progressing(),
  ks('quote"d').dependsOn('apps'),
);
const view = buildTreeView(sample, options, now);

describe('renderers', () => {
  it('draws the text tree with Flux symbols, kubectl-style ages and root causes marked', () => {
    assert.equal(
      renderTreeText(view, { color: false, now, levels: false }),
      [
        'NAME                                  READY                REVISION            AGE  MESSAGE',
        '◎ HelmRelease/db ◀ root cause         Unknown                                  15m  Progressing: Reconciliation in progress',
        '✔ Kustomization/infra                 True                 main@sha1:1818d77d  15m  Applied revision: main@sha1:1818d77d2d502ad9547bcc732a2b2c39d7e5eba5',
        "└── ✗ Kustomization/apps              False                main@sha1:1818d77d  15m  DependencyNotReady: dependency 'flux-system/infra' is not ready",
        '    ├── ◎ Kustomization/quote"d       Unknown                                       NotReconciled: not reconciled yet',
        '    └── ◎ Kustomization/web           Unknown (suspended)                           NotReconciled: not reconciled yet',
        '✗ Kustomization/missing ◀ root cause  Unknown                                       NotFound: Kustomization flux-system/missing not found',
        '└── ✗ Kustomization/apps                                                            (shown above)',
        '',
      ].join('\n'),
    );
  });

  it('shows what a watch has not listed yet as such: neither missing nor a root cause (tree --watch)', () => {
    const waiting = objects(
      ks('apps').dependsOn({ name: 'infra', namespace: 'platform' }).notReady('DependencyNotReady', "dependency 'platform/infra' is not ready").inventory('demo_web_apps_Deployment'),
    );
    const text = (pending?: string[]) => renderTreeText(buildTreeView(waiting, { ...options, inventory: true, ...(pending ? { pending } : {}) }, now), { color: false, now, levels: false });
    assert.equal(text(['Kustomization/platform', 'Deployment/']), [
      'NAME                            READY    REVISION            AGE  MESSAGE',
      '◎ Kustomization/platform/infra  Unknown                           Listing: Kustomizations in namespace platform not listed yet',
      "└── ✗ Kustomization/apps        False    main@sha1:1818d77d  15m  DependencyNotReady: dependency 'platform/infra' is not ready",
      '        ▸ Deployment/demo/web   Unknown                           not listed yet',
      '',
    ].join('\n'));
    // Once listed, absent is absent.
    assert.match(text(), /✗ Kustomization\/platform\/infra ◀ root cause +Unknown +NotFound: Kustomization platform\/infra not found/);
    assert.match(text(), /▸ Deployment\/demo\/web +NotFound +not found/);
  });

  it('keeps columns aligned with colour on, and cuts only the message, only to a terminal width', () => {
    const plain = renderTreeText(view, { color: false, now, levels: false });
    const coloured = renderTreeText(view, { color: true, now, levels: false });
    assert.equal(coloured.replace(/\u001b\[[0-9;]*m/g, ''), plain);
    const narrow = renderTreeText(view, { color: false, now, levels: false, width: 100 });
    for (const line of narrow.trimEnd().split('\n')) assert.ok(line.length <= 100, line);
    assert.match(narrow, /^✔ Kustomization\/infra +True +main@sha1:1818d77d  15m  Applied revisio…$/m);
    assert.match(narrow, /\(shown above\)$/m);
    assert.equal(renderTreeText(view, { color: false, now, levels: false, width: 400 }), plain);
  });

  it('colours only when asked', () => {
    assert.doesNotMatch(renderTreeText(view, { color: false, now, levels: false }), /\u001b\[/);
    assert.match(renderTreeText(view, { color: true, now, levels: false }), /\u001b\[32m✔\u001b\[0m/);
  });

  it('never colours a pipe, NO_COLOR or --no-color, even on a terminal', async () => {
    for (const [env, args, tty] of [[{}, [], false], [{ NO_COLOR: '1' }, [], true], [{}, ['--no-color'], true]] as const) {
      const io = recordingIO({ env: { ...env }, stdoutIsTTY: tty, readStdin: () => 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: a}\n' });
      assert.equal(await run(['tree', '--from', '-', ...args], io), 0);
      assert.doesNotMatch(io.stdout, /\u001b\[/);
    }
    const tty = recordingIO({ env: {}, stdoutIsTTY: true, readStdin: () => 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: a}\n' });
    await run(['tree', '--from', '-'], tty);
    assert.match(tty.stdout, /\u001b\[/);
  });

  it('writes dot that Graphviz renders as it is', () => {
    const dot = renderDot(graphData(view));
    const svg = execFileSync('dot', ['-Tsvg'], { input: dot, encoding: 'utf8' });
    assert.match(svg, /<svg/);
    // every node and edge made it into the picture
    assert.equal((svg.match(/class="node"/g) ?? []).length, 6);
    assert.equal((svg.match(/class="edge"/g) ?? []).length, 4);
    assert.match(dot, /"Kustomization\/flux-system\/quote\\"d" \[label="Kustomization\\nflux-system\/quote\\"d\\nNotReconciled"/);
  });

  it('writes Mermaid in the documented flowchart syntax only', () => {
    const lines = renderMermaid(graphData(view)).trimEnd().split('\n');
    assert.equal(lines[0], 'flowchart BT');
    const grammar = [/^  n\d+\["[^"]*"\]$/, /^  n\d+ --> n\d+$/, /^  classDef \w+ fill:#[0-9a-f]{6},stroke:#[0-9a-f]{6}$/, /^  class (n\d+,)*n\d+ \w+$/];
    for (const line of lines.slice(1)) assert.ok(grammar.some((g) => g.test(line)), `not flowchart syntax: ${line}`);
    assert.ok(lines.includes('  n4["Kustomization<br/>flux-system/quote#quot;d<br/>NotReconciled"]'));
  });
});

// --inventory in dot and mermaid: names with dots, dashes and colons (RBAC), cluster-scoped objects, one object
// missing, and a Kustomization that another one applies (already a node: only the edge is added).
describe('dot and mermaid with --inventory', () => {
  const managing = [
    ks('flux-system').ready().inventory('flux-system_apps.v2-prod_kustomize.toolkit.fluxcd.io_Kustomization', '_widgets.example.com_apiextensions.k8s.io_CustomResourceDefinition').build(),
    ks('apps.v2-prod').dependsOn('flux-system').notReady('HealthCheckFailed', 'health check failed').inventory('team-a.b_cfg.v1-x__ConfigMap', '_system__controller__x_rbac.authorization.k8s.io_ClusterRole', 'team-a.b_web-1.2_apps_Deployment').build(),
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg.v1-x', namespace: 'team-a.b' } },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'system:controller:x' } },
    { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' }, status: { conditions: [{ type: 'Established', status: 'True' }, { type: 'NamesAccepted', status: 'True' }] } },
  ];
  const data = graphData(buildTreeView(managing, { ...options, inventory: true }, now));
  const managed = ['ClusterRole/system:controller:x', 'ConfigMap/team-a.b/cfg.v1-x', 'CustomResourceDefinition/widgets.example.com', 'Deployment/team-a.b/web-1.2'];

  it('dot: a box per managed object with its health, below its owner, an arrow to it from the owner; Graphviz draws it', () => {
    const dot = renderDot(data);
    assert.match(dot, /^ {2}"ClusterRole\/system:controller:x" \[label="ClusterRole\\nsystem:controller:x\\nCurrent", shape=box, style="filled", fontsize=10, fillcolor="#d4edda"/m);
    assert.match(dot, /^ {2}"Deployment\/team-a.b\/web-1.2" \[label="Deployment\\nteam-a.b\/web-1.2\\nNotFound", shape=box, style="filled,dashed"/m);
    // The applied Kustomization is no second node, only a managing edge that leaves the ranks to dependsOn.
    assert.equal(dot.match(/^ {2}"Kustomization\/flux-system\/apps.v2-prod" \[/gm)?.length, 1);
    assert.match(dot, /^ {2}"Kustomization\/flux-system\/apps.v2-prod" -> "Kustomization\/flux-system\/flux-system" \[dir=back, .*constraint=false\];$/m);
    const svg = execFileSync('dot', ['-Tsvg'], { input: dot, encoding: 'utf8' });
    // Each node's height on the page: the middle of its lines of text (SVG's y grows downwards).
    const centre = new Map([...svg.matchAll(/class="node">\n<title>([^<]+)<\/title>([\s\S]*?)<\/g>/g)].map((m) => {
      const ys = [...(m[2] as string).matchAll(/<text [^>]*y="([-\d.]+)"/g)].map((t) => Number(t[1]));
      return [(m[1] as string).replace(/&#45;/g, '-'), ys.reduce((a, b) => a + b, 0) / ys.length];
    }));
    assert.deepEqual([...centre.keys()].filter((id) => !id.startsWith('Kustomization')).sort(), managed);
    assert.equal((svg.match(/class="edge"/g) ?? []).length, 1 + 5);
    for (const id of managed) {
      const owner = id.startsWith('CustomResourceDefinition') ? 'Kustomization/flux-system/flux-system' : 'Kustomization/flux-system/apps.v2-prod';
      assert.ok((centre.get(id) as number) > (centre.get(owner) as number), `${id} is drawn below ${owner}`);
    }
  });

  it('mermaid: a stadium per managed object, ids n0, n1, ... whatever the names hold, a dotted link to the owner above', () => {
    const text = renderMermaid(data);
    const lines = text.trimEnd().split('\n');
    const grammar = [/^  n\d+\["[^"]*"\]$/, /^  n\d+\(\["[^"]*"\]\)$/, /^  n\d+ --> n\d+$/, /^  n\d+ -\.- n\d+$/, /^  classDef \w+ fill:#[0-9a-f]{6},stroke:#[0-9a-f]{6}$/, /^  class (n\d+,)*n\d+ \w+$/];
    for (const line of lines.slice(1)) assert.ok(grammar.some((g) => g.test(line)), `not flowchart syntax: ${line}`);
    const key = new Map(lines.flatMap((l) => [...l.matchAll(/^  (n\d+)\(?\["(\w+)<br\/>([^<]+)<br\/>/g)].map((m) => [`${m[2]}/${m[3]}`, m[1] as string])));
    assert.equal(key.size, 2 + managed.length);
    assert.ok(lines.includes(`  ${key.get('ClusterRole/system:controller:x')}(["ClusterRole<br/>system:controller:x<br/>Current"])`));
    assert.ok(lines.includes(`  ${key.get('Deployment/team-a.b/web-1.2')}(["Deployment<br/>team-a.b/web-1.2<br/>NotFound"])`));
    // the object first: in a BT flowchart the second node of a link is drawn above the first
    assert.ok(lines.includes(`  ${key.get('ConfigMap/team-a.b/cfg.v1-x')} -.- ${key.get('Kustomization/flux-system/apps.v2-prod')}`));
    assert.ok(lines.includes(`  ${key.get('Kustomization/flux-system/apps.v2-prod')} -.- ${key.get('Kustomization/flux-system/flux-system')}`));
    assert.equal(lines.filter((l) => l.includes(' -.- ')).length, 5);
    assert.match(text, new RegExp(`^  class .*\\b${key.get('Deployment/team-a.b/web-1.2')}\\b.* missing$`, 'm'));
  });

  it('a Kustomization an inventory lists is read once: its dependency edges are not doubled (tree --from, --inventory)', async () => {
    const yaml = (await import('yaml')).stringify({ apiVersion: 'v1', kind: 'List', items: managing });
    const edges = async (...flags: string[]) => {
      const io = recordingIO({ env: {}, readStdin: () => yaml });
      assert.equal(await run(['tree', '--from', '-', '-o', 'json', ...flags], io), 0, io.stderr);
      return (JSON.parse(io.stdout) as { edges: unknown[] }).edges;
    };
    assert.deepEqual(await edges('--inventory'), await edges());
    assert.equal((await edges('--inventory')).length, 1);
  });
});

describe('ages', () => {
  const cases: Array<[number, string]> = [[0, '0s'], [59, '59s'], [119, '119s'], [125, '2m5s'], [600, '10m'], [3 * 3600 + 300, '3h5m'], [30 * 3600, '30h'], [5 * 86400, '5d']];
  for (const [seconds, expected] of cases) {
    it(`${seconds}s ago is ${expected}`, () => assert.equal(age(new Date(now.getTime() - seconds * 1000).toISOString(), now), expected));
  }
  it('is empty when unknown', () => assert.equal(age(undefined, now), ''));
});

describe('JSON output in pieces', () => {
  it('is exactly JSON.stringify(data, null, 2), empty lists included', async () => {
    const { jsonPieces } = await import('../../src/render/graph-data.ts');
    for (const v of [view, buildTreeView([], options, now)]) {
      const data = graphData(v);
      assert.equal([...jsonPieces(data)].join(''), JSON.stringify(data, null, 2) + '\n');
    }
  });
});
