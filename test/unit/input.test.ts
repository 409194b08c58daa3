// --from input and the small parsers behind flags: what users type and feed in, including the bad cases.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../src/cli.ts';
import { UsageError } from '../../src/errors.ts';
import { parseInventoryId } from '../../src/model/inventory.ts';
import { parseRef } from '../../src/model/refs.ts';
import { parseSelector } from '../../src/model/selector.ts';
import { loadObjects, parseObjects } from '../../src/read/files.ts';
import { recordingIO } from '../support/io.ts';

const ksYaml = (name: string, extra = '') => `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: ${name}\n${extra}`;

describe('--from input', () => {
  it('reads multi-document YAML, Lists, JSON, and skips empty documents', () => {
    const list = `apiVersion: v1\nkind: List\nitems:\n- ${ksYaml('b').replace(/\n/g, '\n  ')}`;
    assert.deepEqual(parseObjects(`${ksYaml('a')}---\n---\n${list}`, 'x').map((o) => o.metadata?.name), ['a', 'b']);
    assert.deepEqual(parseObjects(JSON.stringify({ kind: 'KustomizationList', items: [{ kind: 'Kustomization', metadata: { name: 'c' } }] }), 'x').map((o) => o.metadata?.name), ['c']);
  });

  it('reads a directory recursively, only YAML and JSON files, in name order', () => {
    const dir = mkdtempSync(join(tmpdir(), 'from-'));
    mkdirSync(join(dir, 'apps'));
    writeFileSync(join(dir, 'b.yaml'), ksYaml('b'));
    writeFileSync(join(dir, 'apps', 'a.yml'), ksYaml('a'));
    writeFileSync(join(dir, 'c.json'), JSON.stringify({ kind: 'Kustomization', metadata: { name: 'c' } }));
    writeFileSync(join(dir, 'README.md'), '# not input');
    assert.deepEqual(loadObjects(dir, () => '').map((o) => o.metadata?.name), ['a', 'b', 'c']);
  });

  it('skips kustomize files, Helm charts and documents that are no object in a directory, as lint does; not in a file named alone', () => {
    const dir = mkdtempSync(join(tmpdir(), 'from-'));
    writeFileSync(join(dir, 'kustomization.yaml'), 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [a.yaml]\n');
    writeFileSync(join(dir, 'a.yaml'), `${ksYaml('a')}---\nreplicaCount: 2\n---\njust text\n`);
    writeFileSync(join(dir, 'values.yaml'), 'image: {tag: "1.0"}\n');
    mkdirSync(join(dir, 'charts', 'web', 'templates'), { recursive: true });
    writeFileSync(join(dir, 'charts', 'web', 'Chart.yaml'), 'apiVersion: v2\nname: web\nversion: 1.0.0\n');
    writeFileSync(join(dir, 'charts', 'web', 'templates', 'deployment.yaml'), '{{- if .Values.enabled }}\nkind: Deployment\n{{- end }}\n');
    assert.deepEqual(loadObjects(dir, () => '').map((o) => o.metadata?.name), ['a'], 'a Helm chart, Go templates: skipped');
    assert.throws(() => loadObjects(join(dir, 'a.yaml'), () => ''), /a\.yaml: document 2: not a Kubernetes object \(needs kind and metadata\.name\)/);
    assert.throws(() => loadObjects(join(dir, 'kustomization.yaml'), () => ''), /kustomization\.yaml: document 1: not a Kubernetes object/);
  });

  const bad: Array<[string, string, RegExp]> = [
    ['broken YAML', `${ksYaml('a')}---\nkind: [unclosed\n`, /^f\.yaml: document 2: /],
    ['a scalar', 'just text\n', /^f\.yaml: document 1: not a Kubernetes object/],
    ['no name', 'kind: Kustomization\nmetadata: {}\n', /^f\.yaml: document 1: not a Kubernetes object \(needs kind and metadata\.name\)/],
  ];
  for (const [what, text, message] of bad) {
    it(`names the file and document of ${what}`, () => {
      assert.throws(() => parseObjects(text, 'f.yaml'), (err: Error) => err instanceof UsageError && message.test(err.message));
    });
  }

  it('exits 2 with one line for unreadable input, through the command', async () => {
    const io = recordingIO();
    assert.equal(await run(['tree', '--from', '/no/such/path'], io), 2);
    assert.equal(io.stderr, "✗ --from /no/such/path: no such file or directory; see 'flux-deps --help'\n");
  });

  it('reads standard input for -', async () => {
    const io = recordingIO({ readStdin: () => ksYaml('from-stdin') });
    assert.equal(await run(['tree', '--from', '-'], io), 0);
    assert.match(io.stdout, /^◎ Kustomization\/from-stdin  Unknown +NotReconciled: not reconciled yet$/m);
  });
});

describe('REF', () => {
  const cases: Array<[string, string]> = [
    ['apps', 'Kustomization/apps'], ['ks/apps', 'Kustomization/apps'], ['Kustomization/apps', 'Kustomization/apps'],
    ['hr/redis', 'HelmRelease/redis'], ['HelmRelease/redis', 'HelmRelease/redis'], ['HR/redis', 'HelmRelease/redis'],
  ];
  for (const [arg, expected] of cases) {
    it(`${arg} names ${expected}`, () => {
      const r = parseRef(arg, 'ns');
      assert.equal(`${r.kind}/${r.name}`, expected);
      assert.equal(r.namespace, 'ns');
    });
  }
  it('rejects an unknown kind and a bad name', () => {
    assert.throws(() => parseRef('deploy/x', 'ns'), /unknown kind "deploy" in "deploy\/x": use ks\/NAME or hr\/NAME/);
    assert.throws(() => parseRef('ks/', 'ns'), /invalid reference "ks\/"/);
    assert.throws(() => parseRef('ks/a/b', 'ns'), /invalid reference/);
  });
});

describe('label selectors', () => {
  const labels = { tier: 'infra', team: 'a' };
  const cases: Array<[string, boolean]> = [
    ['tier=infra', true], ['tier==infra', true], ['tier!=infra', false], ['tier=infra,team=b', false],
    ['tier in (infra, apps)', true], ['tier notin (infra)', false], ['team', true], ['!team', false], ['owner', false], ['!owner', true],
  ];
  for (const [selector, matches] of cases) it(`${selector} ${matches ? 'matches' : 'does not match'}`, () => assert.equal(parseSelector(selector)(labels), matches));
  it('rejects what kubectl rejects', () => assert.throws(() => parseSelector('a=b=c'), /invalid label selector "a=b=c"/));
});

describe('inventory ids', () => {
  const cases: Array<[string, string, object]> = [
    ['default_podinfo__Service', 'v1', { id: 'Service/default/podinfo', apiVersion: 'v1', kind: 'Service', namespace: 'default', name: 'podinfo' }],
    ['_demo__Namespace', 'v1', { id: 'Namespace/demo', apiVersion: 'v1', kind: 'Namespace', namespace: '', name: 'demo' }],
    ['demo_db_apps_Deployment', 'v1', { id: 'Deployment/demo/db', apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'demo', name: 'db' }],
    ['_system__controller__flux_rbac.authorization.k8s.io_ClusterRole', 'v1', { id: 'ClusterRole/system:controller:flux', apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', namespace: '', name: 'system:controller:flux' }],
  ];
  for (const [id, v, expected] of cases) it(id, () => assert.deepEqual(parseInventoryId(id, v), expected));
  it('skips malformed ids', () => assert.equal(parseInventoryId('nonsense', 'v1'), undefined));
});

describe('snapshot', () => {
  it('keeps a Secret’s metadata and drops its data, stringData and last-applied annotation', async () => {
    const { FileReader } = await import('../../src/read/file-reader.ts');
    const { takeSnapshot } = await import('../../src/read/snapshot.ts');
    const secret = {
      apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds', namespace: 'apps', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"data":{"password":"aHVudGVyMg=="}}', keep: 'me' }, managedFields: [{ manager: 'x' }] },
      data: { password: 'aHVudGVyMg==' }, stringData: { token: 'hunter2' },
    };
    const apps = { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: 'apps', namespace: 'flux-system' }, spec: {}, status: { inventory: { entries: [{ id: 'apps_creds__Secret', v: 'v1' }] } } };
    const { objects } = await takeSnapshot(new FileReader([{ objects: () => [apps, secret] }], 'flux-system'), { namespace: 'flux-system', allNamespaces: false }, new Date());
    const kept = objects.find((o) => o.kind === 'Secret');
    assert.deepEqual(kept, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds', namespace: 'apps', annotations: { keep: 'me' } } });
    assert.doesNotMatch(JSON.stringify(objects), /aHVudGVyMg|hunter2|managedFields/);
  });

  it('lists health-checked workloads’ pods with them, and warns of unreadable pods only where a workload is unhealthy', async () => {
    const { FileReader } = await import('../../src/read/file-reader.ts');
    const { takeSnapshot } = await import('../../src/read/snapshot.ts');
    const deployment = (available: boolean) => ({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'apps', generation: 1 },
      spec: { replicas: 1, selector: { matchLabels: { app: 'web' } } },
      status: { observedGeneration: 1, replicas: 1, updatedReplicas: 1, readyReplicas: available ? 1 : 0, availableReplicas: available ? 1 : 0, conditions: [{ type: 'Available', status: available ? 'True' : 'False' }] },
    });
    const apps = { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: 'apps', namespace: 'flux-system' }, spec: { healthChecks: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'apps' }] } };
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-1', namespace: 'apps', labels: { app: 'web' } } };
    const scope = { namespace: 'flux-system', allNamespaces: false };
    for (const [available, podsReadable, warned] of [[true, false, false], [false, false, true], [false, true, false]] as const) {
      const files = new FileReader([{ objects: () => [apps, deployment(available), pod] }], 'flux-system');
      const queries: string[] = [];
      // A reader like a viewer who may not list pods.
      const reader = {
        ...files,
        list: async (q: { kind: string; namespace?: string; apiVersion: string }) => {
          queries.push(`${q.kind}/${q.namespace ?? ''}`);
          return q.kind === 'Pod' && !podsReadable ? { items: [], unreadable: 'forbidden to list pods in namespace apps', reason: 'forbidden' as const } : files.list(q);
        },
        namespaces: () => files.namespaces(),
        close: () => {},
      };
      const snap = await takeSnapshot(reader, scope, new Date());
      assert.ok(queries.includes('Pod/apps'), 'pods listed with the workloads, in case they are needed');
      assert.deepEqual(snap.warnings, warned ? ['forbidden to list pods in namespace apps'] : [], `available ${available}`);
      assert.deepEqual(snap.unreadable, warned ? [{ kind: 'Pod', apiVersion: 'v1', namespace: 'apps', reason: 'forbidden' }] : []);
      assert.equal(snap.objects.some((o) => o.kind === 'Pod'), !available && podsReadable, 'only an unhealthy workload’s pods are kept');
    }
  });
});
