// A Helm chart repository source-controller can read: a static HTTP server on 127.0.0.1 serving `index.yaml`
// and the chart archives a test publishes. A chart is a gzipped tar of `<name>/Chart.yaml`, `values.yaml` and
// `templates/...`, written here by a small ustar writer: no helm CLI, no temporary files.
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';

export interface Chart {
  name: string;
  /** The chart version, semver (`6.5.1`): what a HelmRelease's `spec.chart.spec.version` selects. */
  version: string;
  /** `values.yaml`, as text. */
  values?: string;
  /** Template path under `templates/` → its text. */
  templates: Record<string, string>;
  appVersion?: string;
}

export interface ChartRepo {
  /** `http://127.0.0.1:<port>`: a HelmRepository's `spec.url`. */
  url: string;
  /** Adds (or replaces) a chart version; `index.yaml` lists it from now on. */
  publish(chart: Chart): void;
  /** Removes a chart version from the index and its archive. */
  unpublish(name: string, version: string): void;
  /** Every request's path, in order: what source-controller fetched. */
  requests: string[];
  close(): Promise<void>;
}

/** A Deployment of one container whose image is the chart's `image` value: what the tests' charts install. */
export function deploymentChart(name: string, version: string, image = 'nginx:1.27'): Chart {
  return {
    name,
    version,
    values: `image: "${image}"\nreplicas: 1\n`,
    templates: {
      'deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
  labels: {app: {{ .Release.Name }}, chart: "{{ .Chart.Name }}-{{ .Chart.Version }}"}
spec:
  replicas: {{ .Values.replicas }}
  selector: {matchLabels: {app: {{ .Release.Name }}}}
  template:
    metadata: {labels: {app: {{ .Release.Name }}}}
    spec:
      containers: [{name: {{ .Release.Name }}, image: {{ .Values.image | quote }}}]
`,
    },
  };
}

export async function startChartRepo(): Promise<ChartRepo> {
  const archives = new Map<string, Buffer>(); // file name → .tgz
  const entries = new Map<string, Chart & { digest: string; file: string }>(); // name@version → entry
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    requests.push(path);
    const file = path.slice(1);
    if (file === 'index.yaml') {
      res.writeHead(200, { 'content-type': 'application/x-yaml' });
      return void res.end(indexYaml(url, [...entries.values()]));
    }
    const archive = archives.get(file);
    if (!archive) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      return void res.end(`${file} not found\n`);
    }
    res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': archive.length });
    res.end(archive);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    requests,
    publish(chart) {
      const archive = chartArchive(chart);
      const file = `${chart.name}-${chart.version}.tgz`;
      archives.set(file, archive);
      entries.set(`${chart.name}@${chart.version}`, { ...chart, file, digest: createHash('sha256').update(archive).digest('hex') });
    },
    unpublish(name, version) {
      archives.delete(`${name}-${version}.tgz`);
      entries.delete(`${name}@${version}`);
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

// Helm's repository index (helm.sh/helm/v3/pkg/repo IndexFile): entries by chart name, newest version first.
// Written as JSON, which is YAML; source-controller parses it with sigs.k8s.io/yaml.
function indexYaml(url: string, charts: Array<Chart & { digest: string; file: string }>): string {
  const byName: Record<string, unknown[]> = {};
  const created = '2026-01-01T00:00:00Z';
  for (const c of [...charts].sort((a, b) => compareSemver(b.version, a.version))) {
    (byName[c.name] ??= []).push({
      apiVersion: 'v2', name: c.name, version: c.version, appVersion: c.appVersion ?? c.version, type: 'application',
      urls: [`${url}/${c.file}`], digest: c.digest, created,
    });
  }
  return JSON.stringify({ apiVersion: 'v1', entries: byName, generated: created }, null, 2) + '\n';
}

function compareSemver(a: string, b: string): number {
  const pa = a.split(/[.+-]/).map(Number);
  const pb = b.split(/[.+-]/).map(Number);
  for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

/** The chart as Helm packages it: `<name>/Chart.yaml`, `<name>/values.yaml`, `<name>/templates/*`, tar.gz. */
export function chartArchive(chart: Chart): Buffer {
  const chartYaml = `apiVersion: v2\nname: ${chart.name}\nversion: ${chart.version}\nappVersion: "${chart.appVersion ?? chart.version}"\ntype: application\n`;
  const files: Array<[string, string]> = [
    [`${chart.name}/Chart.yaml`, chartYaml],
    [`${chart.name}/values.yaml`, chart.values ?? ''],
    ...Object.entries(chart.templates).map(([p, text]): [string, string] => [`${chart.name}/templates/${p}`, text]),
  ];
  return gzipSync(tar(files));
}

// A POSIX ustar archive of regular files (names under 100 bytes): a 512-byte header per file, its data padded to
// 512, two zero blocks at the end.
function tar(files: Array<[string, string]>): Buffer {
  const blocks: Buffer[] = [];
  for (const [name, text] of files) {
    const data = Buffer.from(text, 'utf8');
    const h = Buffer.alloc(512);
    const put = (value: string, offset: number, length: number) => h.write(value.slice(0, length), offset, length, 'ascii');
    const octal = (n: number, length: number) => n.toString(8).padStart(length - 1, '0') + '\0';
    put(name, 0, 100);
    put(octal(0o644, 8), 100, 8);
    put(octal(0, 8), 108, 8);
    put(octal(0, 8), 116, 8);
    put(octal(data.length, 12), 124, 12);
    put(octal(1767225600, 12), 136, 12); // 2026-01-01: archives of the same chart are byte-identical
    put('        ', 148, 8); // the checksum is computed with its own field as spaces
    put('0', 156, 1);
    put('ustar\u000000', 257, 8);
    let sum = 0;
    for (const b of h) sum += b;
    put(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8);
    blocks.push(h, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}
