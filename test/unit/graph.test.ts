import assert from 'node:assert/strict';
import { buildGraph } from '../../src/model/graph.ts';
import { closure, cyclesOf, forestOf, levelsOf, rootsOf, type TreeEntry } from '../../src/model/walk.ts';
import { hr, ks, objects } from '../support/fixtures.ts';

const K = (name: string, ns = 'flux-system') => `Kustomization/${ns}/${name}`;
const H = (name: string, ns = 'flux-system') => `HelmRelease/${ns}/${name}`;
const all = (g: ReturnType<typeof buildGraph>) => new Set(g.nodes.keys());
// A forest as nested arrays of ids, with the repeat markers, for readable expectations.
const shape = (f: TreeEntry[]): unknown[] => f.map((e) => (e.children.length ? [e.id, shape(e.children)] : e.repeat ? `${e.id} (${e.repeat})` : e.id));

describe('dependency graph', () => {
  it('types each edge: namespace defaults to the dependent’s, kind to the dependent’s own', () => {
    const g = buildGraph(objects(ks('apps').ns('team-a').dependsOn('infra', 'flux-system/base'), hr('redis').dependsOn('cache')), 'flux-system');
    assert.deepEqual(g.edges.map((e) => `${e.from} -> ${e.to}`), [
      `${K('apps', 'team-a')} -> ${K('infra', 'team-a')}`,
      `${K('apps', 'team-a')} -> ${K('base')}`,
      `${H('redis')} -> ${H('cache')}`,
    ]);
  });

  it('honours apiVersion and kind on a dependsOn entry (cross-kind dependencies)', () => {
    const g = buildGraph(objects(ks('apps').dependsOn({ apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', name: 'ingress' }), hr('ingress').ready()), 'flux-system');
    assert.deepEqual(g.edges.map((e) => e.to), [H('ingress')]);
    assert.equal(g.nodes.get(H('ingress'))?.found, true);
  });

  it('makes a missing dependency a NotFound node, and says when the name exists as the other kind', () => {
    const g = buildGraph(objects(ks('apps').dependsOn('infra', 'redis'), hr('redis').ready()), 'flux-system');
    const infra = g.nodes.get(K('infra'));
    assert.deepEqual([infra?.found, infra?.ready, infra?.reason], [false, 'Unknown', 'NotFound']);
    assert.equal(infra?.message, 'Kustomization flux-system/infra not found');
    assert.equal(g.nodes.get(K('redis'))?.message, 'Kustomization flux-system/redis not found; HelmRelease flux-system/redis exists, but an entry without kind names a Kustomization (depending on another kind is not in released Flux yet)');
  });

  it('reads objects without status as Unknown, not reconciled', () => {
    const n = buildGraph(objects(ks('plain')), 'flux-system').nodes.get(K('plain'));
    assert.deepEqual([n?.ready, n?.reason], ['Unknown', 'NotReconciled']);
  });

  it('defaults a missing metadata.namespace to the namespace in scope', () => {
    const obj = ks('apps').build();
    delete obj.metadata?.namespace;
    assert.ok(buildGraph([obj], 'team-b').nodes.has(K('apps', 'team-b')));
  });
});

describe('walks', () => {
  // a <- b <- d, a <- c <- d (a diamond), plus e with no relations
  const diamond = buildGraph(objects(ks('a'), ks('b').dependsOn('a'), ks('c').dependsOn('a'), ks('d').dependsOn('b', 'c'), ks('e')), 'flux-system');

  it('prints a node reached twice in full once, then as a reference', () => {
    const f = forestOf(diamond, rootsOf(diamond, all(diamond)), 'downstream', all(diamond));
    assert.deepEqual(shape(f), [[K('a'), [[K('b'), [K('d')]], [K('c'), [`${K('d')} (seen)`]]]], K('e')]);
  });

  it('walks upstream from a REF and stops at --depth, marking what it cut', () => {
    const f = forestOf(diamond, [K('d')], 'upstream', closure(diamond, [K('d')], 'upstream'), 1);
    assert.deepEqual(shape(f), [[K('d'), [K('b'), K('c')]]]);
    assert.equal(f[0]?.children[0]?.truncated, true);
  });

  it('groups objects into rollout levels', () => {
    assert.deepEqual(levelsOf(diamond, all(diamond)), { levels: [[K('a'), K('e')], [K('b'), K('c')], [K('d')]], blocked: [] });
  });

  describe('with a cycle a -> b -> c -> a and d depending on c', () => {
    const g = buildGraph(objects(ks('a').dependsOn('b'), ks('b').dependsOn('c'), ks('c').dependsOn('a'), ks('d').dependsOn('c')), 'flux-system');

    it('finds the cycle', () => assert.deepEqual(cyclesOf(g, all(g)), [[K('a'), K('b'), K('c')]]));

    it('shows it without following it forever, and leaves nothing out', () => {
      const f = forestOf(g, rootsOf(g, all(g)), 'downstream', all(g));
      assert.deepEqual(shape(f), [[K('a'), [[K('c'), [[K('b'), [`${K('a')} (cycle)`]], K('d')]]]]]);
    });

    it('puts the cycle and what depends on it outside every level', () => {
      assert.deepEqual(levelsOf(g, all(g)), { levels: [], blocked: [K('a'), K('b'), K('c'), K('d')] });
    });
  });

  it('finds a self-dependency as a cycle', () => {
    const g = buildGraph(objects(ks('a').dependsOn('a')), 'flux-system');
    assert.deepEqual(cyclesOf(g, all(g)), [[K('a')]]);
  });

  it('walks a chain of 10,000 without overflowing the stack', () => {
    const chain = Array.from({ length: 10_000 }, (_, i) => (i ? ks(`k${i}`).dependsOn(`k${i - 1}`) : ks('k0')));
    const g = buildGraph(objects(...chain), 'flux-system');
    assert.equal(cyclesOf(g, all(g)).length, 0);
    assert.equal(levelsOf(g, all(g)).levels.length, 10_000);
  });
});
