// What the tests on the real helm-controller and source-controller share (test/cluster/real-helm*.test.ts): a
// namespace, a chart repository on 127.0.0.1 holding every chart they install and a HelmRepository `charts` for
// it, a HelmRelease builder, and the recorder of the conditions the controllers write (real-helm.test.ts's drift
// guard). Each HelmRelease carries the controllers' label on itself and on `spec.chart.metadata.labels`, which
// helm-controller copies onto the HelmChart it creates, so that source-controller (one label selector) builds that
// chart too. Timeouts are short (install/upgrade 20s, one retry) so that failures end within a minute.
import type { KubeObject } from '../../src/model/objects.ts';
import { createAll } from './apply.ts';
import { deploymentChart, startChartRepo, type Chart, type ChartRepo } from './chart-repo.ts';
import type { Condition } from './conditions.ts';
import { controllerLabel, controllerLog, owned } from './flux-controllers.ts';
import { freshNamespace, getFlux, helmReleases, runBinary, type FluxKind } from './testenv.ts';

export const helmCharts: FluxKind = { group: 'source.toolkit.fluxcd.io', version: 'v1', plural: 'helmcharts', kind: 'HelmChart' };
export const helmRepositories: FluxKind = { group: 'source.toolkit.fluxcd.io', version: 'v1', plural: 'helmrepositories', kind: 'HelmRepository' };

// A chart whose pods need a node labelled for this namespace: unschedulable until the test labels one, a cause
// fixed outside the HelmRelease (new values would reset the failure count by themselves).
export const poolLabel = 'flux-deps.test/pool';
export const pooledChart = (version: string): Chart => {
  const chart = deploymentChart('pool', version);
  chart.templates['deployment.yaml'] = (chart.templates['deployment.yaml'] ?? '').replace('    spec:\n', `    spec:\n      nodeSelector: {${poolLabel}: {{ .Release.Namespace | quote }}}\n`);
  return chart;
};

export interface ReleaseSpec {
  chart?: string;
  version: string;
  image?: string;
  repository?: string;
  dependsOn?: string[];
  more?: Record<string, unknown>;
}

export interface HelmFixture {
  ns: string;
  repo: ChartRepo;
  /** A HelmRelease of `spec.chart` (default demo) from `spec.repository` (default charts); recorded when recording. */
  helmRelease(name: string, spec: ReleaseSpec): KubeObject;
  patchValues(name: string, image: string): Promise<unknown>;
  /** The controllers' last log lines, for a failing assertion's message. */
  logs(): Promise<string>;
  /** Every distinct condition the controllers wrote on the watched objects, in order seen (when recording). */
  seen: Map<string, Condition & { object: string }>;
  /** Records this object's conditions too (when recording). */
  watch(kind: FluxKind, name: string): void;
  close(): Promise<void>;
}

/** A fresh namespace with the charts and their HelmRepository; `record` polls conditions every 250 ms. */
export async function startHelmFixture(prefix: string, opts: { record: boolean }): Promise<HelmFixture> {
  controllerLabel();
  const ns = await freshNamespace(prefix);
  const repo = await startChartRepo();
  for (const v of ['1.0.0', '1.1.0']) repo.publish(deploymentChart('demo', v));
  for (const v of ['6.5.1', '6.5.10']) repo.publish(deploymentChart('web', v));
  repo.publish(pooledChart('1.0.0'));
  repo.publish(deploymentChart('rolling', '1.0.0'));
  await createAll([
    { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'HelmRepository', metadata: { ...owned('charts'), namespace: ns }, spec: { interval: '10m', url: repo.url } },
  ]);

  const seen = new Map<string, Condition & { object: string }>();
  const watched: Array<[FluxKind, string]> = [];
  const watch = (kind: FluxKind, name: string) => void (opts.record && watched.push([kind, name]));
  const record = async () => {
    for (const [kind, name] of watched) {
      try {
        const obj = (await getFlux(kind, ns, name)) as KubeObject;
        const object = kind === helmCharts ? `HelmChart/${name}` : kind === helmRepositories ? `HelmRepository/${name}` : name;
        for (const c of (obj.status?.conditions ?? []) as Condition[]) {
          const key = `${object}|${c.type}|${c.status}|${c.reason}|${c.message}`;
          if (!seen.has(key)) seen.set(key, { object, type: c.type, status: c.status, reason: c.reason, message: c.message });
        }
      } catch {
        // not created yet, or a moment of API trouble: the next poll sees it
      }
    }
  };
  watch(helmRepositories, 'charts');
  const polling = opts.record ? setInterval(() => void record(), 250) : undefined;

  const helmRelease = (name: string, spec: ReleaseSpec): KubeObject => {
    const { key, value } = controllerLabel();
    watch(helmReleases, name);
    watch(helmCharts, `${ns}-${name}`);
    return {
      apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { ...owned(name), namespace: ns },
      spec: {
        interval: '10m',
        timeout: '20s',
        chart: {
          metadata: { labels: { [key]: value } },
          spec: { chart: spec.chart ?? 'demo', version: spec.version, sourceRef: { kind: 'HelmRepository', name: spec.repository ?? 'charts' }, interval: '10m' },
        },
        install: { remediation: { retries: 1 } },
        upgrade: { remediation: { retries: 1, strategy: 'rollback' } },
        ...(spec.image ? { values: { image: spec.image } } : {}),
        ...(spec.dependsOn ? { dependsOn: spec.dependsOn.map((n) => ({ name: n })) } : {}),
        ...spec.more,
      },
    };
  };
  return {
    ns,
    repo,
    helmRelease,
    patchValues: (name, image) => runBinary('kubectl', ['patch', '-n', ns, 'helmrelease', name, '--type', 'merge', '-p', JSON.stringify({ spec: { values: { image } } })]),
    logs: async () => `\n--- helm-controller:\n${await controllerLog('helm-controller', 25)}\n--- source-controller:\n${await controllerLog('source-controller')}`,
    seen,
    watch,
    close: async () => {
      clearInterval(polling);
      await repo.close();
    },
  };
}
