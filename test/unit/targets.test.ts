// Which objects wait-for and reconcile act on.
import assert from 'node:assert/strict';
import { NotFoundError, UsageError } from '../../src/errors.ts';
import { buildGraph } from '../../src/model/graph.ts';
import { chooseTargets } from '../../src/model/targets.ts';
import { hr, ks, objects } from '../support/fixtures.ts';

const graph = buildGraph(objects(ks('infra'), ks('apps').dependsOn('infra').labels({ team: 'a' }), hr('redis').labels({ team: 'a' }), ks('other').ns('team-b')), 'flux-system');
const base = { refs: [], all: false, namespace: 'flux-system', allNamespaces: false, withUpstream: false };
const ids = (t: Array<{ id: string }>) => t.map((x) => x.id);

describe('targets', () => {
  it('takes named REFs, and their upstream with --with-upstream', () => {
    const apps = { kind: 'Kustomization', namespace: 'flux-system', name: 'apps' };
    assert.deepEqual(ids(chooseTargets(graph, { ...base, refs: [apps] })), ['Kustomization/flux-system/apps']);
    assert.deepEqual(ids(chooseTargets(graph, { ...base, refs: [apps], withUpstream: true })), ['Kustomization/flux-system/apps', 'Kustomization/flux-system/infra']);
  });

  it('takes a selector or --all within the scope', () => {
    assert.deepEqual(ids(chooseTargets(graph, { ...base, selector: 'team=a' })), ['HelmRelease/flux-system/redis', 'Kustomization/flux-system/apps']);
    assert.equal(chooseTargets(graph, { ...base, all: true }).length, 3);
    assert.equal(chooseTargets(graph, { ...base, all: true, allNamespaces: true }).length, 4);
  });

  it('names every missing REF at once, and refuses an empty choice', () => {
    assert.throws(() => chooseTargets(graph, { ...base, refs: [{ kind: 'Kustomization', namespace: 'flux-system', name: 'x' }, { kind: 'HelmRelease', namespace: 'flux-system', name: 'y' }] }),
      (e: Error) => e instanceof NotFoundError && e.message === 'Kustomization flux-system/x, HelmRelease flux-system/y not found');
    assert.throws(() => chooseTargets(graph, { ...base, selector: 'team=z' }), (e: Error) => e instanceof NotFoundError && /no Kustomizations or HelmReleases match team=z/.test(e.message));
    assert.throws(() => chooseTargets(graph, base), (e: Error) => e instanceof UsageError);
  });
});
