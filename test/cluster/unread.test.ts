// What cannot be read, against the real API server: an aggregated API that is down (an APIService whose Service
// does not exist: kube-apiserver answers its discovery with 503) and a kind no CRD serves are states in the answer
// with one warning each, in kubectl's words, never the end of tree --inventory, why-blocked or snapshot; and on a
// cluster without the HelmRelease CRD (a second API server of its own), a named HelmRelease is not found (exit 3)
// for the reason kubectl and flux give. (Plain tree and lint meet other kinds only through cross-kind dependsOn
// entries, which the Kustomization CRD here (kustomize-controller v1.9.6) prunes: test/unit/unread.test.ts covers those.)
import * as k8s from '@kubernetes/client-node';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { run } from '../../src/cli.ts';
import { createAll } from '../support/apply.ts';
import { artifact, git, ks } from '../support/fixtures.ts';
import { recordingIO } from '../support/io.ts';
import { startSecondCluster, type SecondCluster } from '../support/second-cluster.ts';
import { clients, eventually, freshNamespace, testenv } from '../support/testenv.ts';

const clock = new Date('2026-11-22T10:15:00Z');
const apiServices = { group: 'apiregistration.k8s.io', version: 'v1', plural: 'apiservices' };
const unavailable = 'the server is currently unable to handle the request';

async function flux(args: string[], kubeconfig = testenv().kubeconfig('admin')) {
  const io = recordingIO({ env: { TZ: 'UTC', NO_COLOR: '1', KUBECONFIG: kubeconfig }, now: () => clock });
  const code = await run(args, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

/** A GET as it comes back from the API server: status, headers, body. */
function rawGet(kubeconfigFile: string, path: string): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  const kubeconfig = readFileSync(kubeconfigFile, 'utf8');
  const server = /server: (\S+)/.exec(kubeconfig)?.[1] ?? '';
  const ca = readFileSync(/certificate-authority: (\S+)/.exec(kubeconfig)?.[1] ?? '');
  return new Promise((resolve, reject) => {
    const req = request(`${server}${path}`, { headers: { Authorization: `Bearer ${/token: (\S+)/.exec(kubeconfig)?.[1]}` }, ca }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** kubectl or flux as the test cluster built them, on a kubeconfig: what they print, and their exit code. */
async function tool(name: 'kubectl' | 'flux', args: string[], kubeconfig: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(`${testenv().bin}/${name}`, args, { env: { ...process.env, KUBECONFIG: kubeconfig } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('what cannot be read, on the test cluster', function () {
  this.timeout(120_000);
  let ns: string;
  let group: string;
  let gone: string;
  const dir = mkdtempSync(join(tmpdir(), 'flux-deps-unread-'));

  before(async () => {
    ns = await freshNamespace('unread');
    group = `${ns}.example.com`;
    // No CRD serves this group: its discovery answers 404.
    gone = `gone.${ns}.example.com`;
    // Served by a Service that does not exist: kube-apiserver answers 503 for the group version (checked below).
    await clients().custom.createClusterCustomObject({ ...apiServices, body: {
      apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService', metadata: { name: `v1.${group}` },
      spec: { group, version: 'v1', groupPriorityMinimum: 1000, versionPriority: 15, insecureSkipTLSVerify: true, service: { name: 'nowhere', namespace: ns, port: 443 } },
    } });
    const failing = "health check failed after 1m0s: timeout waiting for: [Widget/NS/gate status: 'InProgress']".replace('NS', ns);
    await createAll([
      artifact(git('fleet').ns(ns)).build(),
      // Health-checks a Widget (its API down) and manages a Gadget (no CRD).
      ks('infra').ns(ns).source('GitRepository', 'fleet').set('spec.wait', true).notReady('HealthCheckFailed', failing)
        .inventory(`${ns}_gate_${group}_Widget`, `${ns}_old_${gone}_Gadget`).build(),
      ks('apps').ns(ns).source('GitRepository', 'fleet').dependsOn('infra').notReady('DependencyNotReady', `dependency '${ns}/infra' is not ready`).build(),
    ]);
  });

  after(async () => {
    // Cluster-wide: every later test's discovery would meet it.
    await clients().custom.deleteClusterCustomObject({ ...apiServices, name: `v1.${group}` });
  });

  it('meets a real aggregated API that is down: discovery answers 503 with no Retry-After, in kubectl’s words', async () => {
    const admin = testenv().kubeconfig('admin');
    const answer = await eventually('the APIService to be registered', async () => {
      const r = await rawGet(admin, `/apis/${group}/v1`);
      return r.status === 404 ? undefined : r;
    });
    assert.equal(answer.status, 503, answer.body);
    assert.equal(answer.headers['retry-after'], undefined, 'nothing to wait for: client-go does not retry it');
    assert.equal((await rawGet(admin, `/apis/${gone}/v1`)).status, 404);
    // kubectl's words for that answer, which ours repeat; its aggregated discovery (1.26 on) leaves the group out
    // without a word, where older kubectl warned "couldn't get resource list for G/V: ..." and went on.
    const raw = await tool('kubectl', ['get', '--raw', `/apis/${group}/v1`], admin);
    assert.equal(raw.code, 1);
    assert.equal(raw.stderr, `Error from server (ServiceUnavailable): ${unavailable}\n`);
    const kubectl = await tool('kubectl', ['get', 'configmaps', '-n', ns, '--cache-dir', join(dir, 'kubectl-cache')], admin);
    assert.equal(kubectl.code, 0, kubectl.stderr);
  });

  it('tree --inventory shows the Widget as Unknown and why, the Gadget as NotFound (exit 0), and a snapshot replays it', async () => {
    const live = await flux(['tree', '-n', ns, '--inventory', '-o', 'json']);
    assert.equal(live.code, 0, live.stderr);
    const infra = (JSON.parse(live.stdout).nodes as Array<{ name: string; inventory?: Array<{ id: string; status: string; message: string }> }>).find((n) => n.name === 'infra');
    assert.deepEqual(infra?.inventory?.map((i) => [i.id, i.status, i.message]), [
      [`Widget/${ns}/gate`, 'Unknown', `cannot read Widgets in namespace ${ns} (${group}/v1 is unavailable)`],
      [`Gadget/${ns}/old`, 'NotFound', `not found: no matches for kind "Gadget" in version "${gone}/v1" (not served by this cluster)`],
    ]);
    // Asked again in the inventory round (a failed discovery is not kept), warned of once.
    assert.equal(live.stderr.split('\n').filter((l) => l.includes("couldn't get resource list")).length, 1, live.stderr);

    const snap = await flux(['snapshot', '-n', ns]);
    assert.equal(snap.code, 0, snap.stderr);
    assert.equal(snap.stderr.split('\n').filter((l) => l.includes("couldn't get resource list")).length, 1, snap.stderr);
    const info = (parse(snap.stdout) as { items: Array<{ kind: string; unreadable?: string[]; reasons?: Record<string, string> }> }).items.find((o) => o.kind === 'SnapshotInfo');
    assert.deepEqual([info?.unreadable, info?.reasons], [[`Gadget/${ns}`, `Widget/${ns}`], { [`Gadget/${ns}`]: 'notServed', [`Widget/${ns}`]: 'unavailable' }]);
    writeFileSync(join(dir, 'snapshot.yaml'), snap.stdout);
    const replay = await flux(['tree', '-n', ns, '--inventory', '-o', 'json', '--from', join(dir, 'snapshot.yaml')]);
    assert.equal(replay.code, 0, replay.stderr);
    assert.equal(replay.stdout, live.stdout);
    assert.match(replay.stderr, new RegExp(`the snapshot could not read Widget objects in ${ns} \\(its API was unavailable\\)`));
  });

  it('why-blocked names the Widget from the controller’s message and says its API is unavailable (exit 1: blocked)', async () => {
    const r = await flux(['why-blocked', 'infra', '-n', ns, '-o', 'json']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, new RegExp(`^⚠ couldn't get resource list for ${group}/v1: ${unavailable}$`, 'm'));
    const cause = JSON.parse(r.stdout).rootCauses[0];
    assert.equal(cause.reason, 'HealthCheckFailed');
    assert.deepEqual(cause.objects.map((o: { id: string; status: string }) => [o.id, o.status]), [[`Widget/${ns}/gate`, 'InProgress'], [`Gadget/${ns}/old`, 'NotFound']]);
    const text = await flux(['why-blocked', 'infra', '-n', ns]);
    assert.match(text.stdout, new RegExp(`could not read Widgets in ${ns} \\(${group.replaceAll('.', '\\.')}/v1 is unavailable\\): statuses are the controller's`));
  });

  describe('on a cluster without the HelmRelease CRD', () => {
    let second: SecondCluster;
    let kc: k8s.KubeConfig;

    before(async () => {
      // A state directory of its own: no other test meets a cluster without HelmReleases.
      second = await startSecondCluster('no-helm');
      kc = second.kubeConfig();
      const crds = kc.makeApiClient(k8s.ApiextensionsV1Api);
      await crds.deleteCustomResourceDefinition({ name: 'helmreleases.helm.toolkit.fluxcd.io' }).catch((err: unknown) => {
        if (!(err instanceof k8s.ApiException && err.code === 404)) throw err;
      });
      await eventually('HelmReleases to be served no more', async () => ((await rawGet(second.kubeconfig, '/apis/helm.toolkit.fluxcd.io/v2/namespaces/flux-system/helmreleases')).status === 404 ? true : undefined));
      await createAll([artifact(git('flux-system')).build(), ks('infra').ready().build(), ks('apps').dependsOn('infra').notReady('DependencyNotReady', "dependency 'flux-system/infra' is not ready").build()].map((o) => ({ ...o, metadata: { ...o.metadata, namespace: 'flux-system' } })), kc)
        .catch((err: unknown) => {
          // Left from an earlier run of this test.
          if (!(err instanceof k8s.ApiException && err.code === 409)) throw err;
        });
    });

    after(async () => {
      await second?.down();
    });

    it('says a named HelmRelease is not found, in the words kubectl and flux use, and exits 3', async () => {
      const kubectl = await tool('kubectl', ['get', 'helmreleases', '-n', 'flux-system', '--cache-dir', join(dir, 'kubectl-cache-no-helm')], second.kubeconfig);
      assert.equal(kubectl.code, 1);
      assert.match(kubectl.stderr, /the server doesn't have a resource type "helmreleases"/);
      // flux 2.9's words vary with its discovery (a cache that knew the CRD: "no matches for ... Resource="), but
      // they say "no matches" and the group version, and exit 1 as for any error.
      const fluxCli = await tool('flux', ['get', 'helmreleases', 'web', '-n', 'flux-system', '--cache-dir', join(dir, 'flux-cache-no-helm')], second.kubeconfig);
      assert.equal(fluxCli.code, 1);
      assert.match(fluxCli.stderr, /no matches for .*helm\.toolkit\.fluxcd\.io\/v2/);

      const words = `the server doesn't have a resource type "helmreleases" (helm.toolkit.fluxcd.io/v2 is not served by this cluster)`;
      for (const command of [['why-blocked', 'hr/web'], ['tree', 'hr/web'], ['lint', 'hr/web'], ['wait-for', 'hr/web', '--timeout', '5s']]) {
        const r = await flux([...command, '-n', 'flux-system'], second.kubeconfig);
        assert.equal(r.code, 3, `${command[0]}: ${r.stderr}`);
        assert.match(r.stderr, new RegExp(`HelmRelease flux-system/web not found: ${words.replace(/[()/.]/g, '\\$&')}\\n$`), command[0]);
        assert.doesNotMatch(r.stderr, /forbidden/, command[0]);
      }
    });

    it('draws the Kustomizations of a cluster without helm-controller, and says nothing of HelmReleases (exit 0)', async () => {
      // No version of helm.toolkit.fluxcd.io is served: helm-controller is not installed, which is no news to its
      // owner on every run (flux get all says nothing either); its snapshot replays the same.
      assert.equal((await rawGet(second.kubeconfig, '/apis/helm.toolkit.fluxcd.io')).status, 404);
      const r = await flux(['tree', '-n', 'flux-system'], second.kubeconfig);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stderr, '');
      assert.match(r.stdout, /Kustomization\/apps/);
      const why = await flux(['why-blocked', 'apps', '-n', 'flux-system', '-o', 'json'], second.kubeconfig);
      assert.equal(why.code, 1, why.stderr);
      assert.equal(why.stderr, '');
      assert.doesNotMatch(why.stdout, /forbidden/);
      const taken = await flux(['snapshot', '-n', 'flux-system'], second.kubeconfig);
      assert.equal(taken.code, 0, taken.stderr);
      assert.equal(taken.stderr, '');
      const file = join(mkdtempSync(join(tmpdir(), 'flux-deps-no-helm-')), 'snapshot.yaml');
      writeFileSync(file, taken.stdout);
      assert.deepEqual(await flux(['tree', '-n', 'flux-system', '--from', file]), r, 'the replay is the live run');
    });

    it('warns when the group is served at an older version only (an older Flux): HelmReleases may exist there', async () => {
      const crds = kc.makeApiClient(k8s.ApiextensionsV1Api);
      await crds.createCustomResourceDefinition({ body: {
        apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'helmreleases.helm.toolkit.fluxcd.io' },
        spec: { group: 'helm.toolkit.fluxcd.io', scope: 'Namespaced', names: { kind: 'HelmRelease', plural: 'helmreleases', singular: 'helmrelease', listKind: 'HelmReleaseList' },
          versions: [{ name: 'v2beta2', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', x_kubernetes_preserve_unknown_fields: true } } }] },
      } });
      try {
        await eventually('helm.toolkit.fluxcd.io/v2beta2 to be served', async () => ((await rawGet(second.kubeconfig, '/apis/helm.toolkit.fluxcd.io')).status === 200 ? true : undefined));
        const r = await flux(['tree', '-n', 'flux-system'], second.kubeconfig);
        assert.equal(r.code, 0, r.stderr);
        assert.equal(r.stderr, `⚠ the server doesn't have a resource type "helmreleases" (helm.toolkit.fluxcd.io/v2 is not served by this cluster)\n`);
      } finally {
        await crds.deleteCustomResourceDefinition({ name: 'helmreleases.helm.toolkit.fluxcd.io' });
      }
    });
  });
});
