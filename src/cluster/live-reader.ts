// The live cluster as a Reader: one LIST per kind and namespace (never a GET per object), in pages of 500 as
// kubectl asks; resource names from discovery, once per group version (asked again after a failure).
import { ApiError, apiError, notServed, statusMessage } from './api-error.ts';
import { fluxApis, type FluxKind } from '../model/flux.ts';
import type { KubeObject } from '../model/objects.ts';
import type { ListQuery, ListResult, Reader } from '../read/reader.ts';
import { Api } from './http.ts';
import type { Connection } from './kubeconfig.ts';

interface Resource {
  name: string;
  namespaced: boolean;
}

// Resources every cluster serves under these names: no discovery round trip for them (why-blocked reads them
// in sequence, so each saved request is latency saved).
const ns = (name: string): Resource => ({ name, namespaced: true });
const wellKnown: Record<string, Resource> = {
  'v1/Pod': ns('pods'), 'v1/Event': ns('events'), 'v1/Service': ns('services'), 'v1/ConfigMap': ns('configmaps'),
  'v1/Secret': ns('secrets'), 'v1/PersistentVolumeClaim': ns('persistentvolumeclaims'), 'v1/ServiceAccount': ns('serviceaccounts'),
  'v1/Namespace': { name: 'namespaces', namespaced: false },
  'apps/v1/Deployment': ns('deployments'), 'apps/v1/StatefulSet': ns('statefulsets'), 'apps/v1/DaemonSet': ns('daemonsets'), 'apps/v1/ReplicaSet': ns('replicasets'),
  'batch/v1/Job': ns('jobs'), 'batch/v1/CronJob': ns('cronjobs'),
  'source.toolkit.fluxcd.io/v1/GitRepository': ns('gitrepositories'), 'source.toolkit.fluxcd.io/v1/OCIRepository': ns('ocirepositories'),
  'source.toolkit.fluxcd.io/v1/Bucket': ns('buckets'), 'source.toolkit.fluxcd.io/v1/HelmRepository': ns('helmrepositories'),
  'source.toolkit.fluxcd.io/v1/HelmChart': ns('helmcharts'), 'source.toolkit.fluxcd.io/v1/ExternalArtifact': ns('externalartifacts'),
};

/** Whether the query is of the Kustomizations and HelmReleases a command is about (at the apiVersion read). */
function isFluxKind(q: ListQuery): boolean {
  const api = fluxApis[q.kind as FluxKind] as (typeof fluxApis)[FluxKind] | undefined;
  return !!api && q.apiVersion === `${api.group}/${api.version}`;
}

/** kubectl's --chunk-size. */
const pageSize = 500;

export class LiveReader implements Reader {
  readonly api: Api;
  private readonly discovery = new Map<string, Promise<Map<string, Resource> | undefined>>();
  private readonly groups = new Map<string, Promise<boolean>>();

  constructor(conn: Connection) {
    this.api = new Api(conn);
  }

  /** The collection path of a query (`/apis/group/version/namespaces/ns/plural`), if the cluster serves the kind. */
  async path(q: ListQuery): Promise<string | undefined> {
    const resource = await this.resource(q.apiVersion, q.kind);
    if (!resource) return undefined;
    const base = q.apiVersion.includes('/') ? `/apis/${q.apiVersion}` : `/api/${q.apiVersion}`;
    const scope = resource.namespaced && q.namespace ? `/namespaces/${encodeURIComponent(q.namespace)}` : '';
    return `${base}${scope}/${resource.name}`;
  }

  /**
   * The query's objects, or what kept them from us as a state to show: forbidden, not served, and for the kinds
   * beside the Flux objects (sources, inventory and health-check objects, pods) an API that did not answer, as
   * kubectl warns of a group version it could not discover and goes on. A Kustomization or HelmRelease LIST that
   * goes unanswered is the command's own failure.
   */
  async list(q: ListQuery): Promise<ListResult> {
    try {
      return await this.listAll(q);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      if (err.unreadable) return { items: [], unreadable: err.message, reason: err.unreadReason };
      if (err.unanswered && !isFluxKind(q)) return { items: [], unreadable: err.message, reason: 'unavailable' };
      throw err;
    }
  }

  /**
   * Every page of a LIST (kubectl's chunks of 500), with the first page's resourceVersion, where a watch starts.
   * A continue token that expired (410) starts the list again from the first page, as kubectl does. Throws an
   * ApiError when the kind cannot be read.
   */
  async listAll(q: ListQuery): Promise<ListResult & { resourceVersion?: string }> {
    const path = await this.path(q);
    if (!path) throw notServed(q);
    const where = q.namespace && path.includes('/namespaces/') ? `namespace ${q.namespace}` : 'all namespaces';
    const plural = path.slice(path.lastIndexOf('/') + 1);
    let items: KubeObject[] = [];
    let resourceVersion: string | undefined;
    let token: string | undefined;
    for (let restarts = 0; ; ) {
      const res = await this.api.get(`${path}?limit=${pageSize}${token ? `&continue=${encodeURIComponent(token)}` : ''}`).catch((err: unknown) => {
        if (token && err instanceof ApiError && err.failure === 'expired' && restarts < 3) return undefined;
        if (err instanceof ApiError && err.unanswered) throw err.saying(`cannot list ${plural} in ${where}: ${err.said ?? err.message}`);
        throw err;
      });
      if (!res) {
        // The snapshot our pages came from is gone: a whole list again, or the pages would mix two moments.
        (items = []), (token = undefined), (resourceVersion = undefined), restarts++;
        continue;
      }
      if (res.status === 403) throw apiError(403, res.body, `forbidden to list ${plural} in ${where}: ${statusMessage(res.body)}`);
      if (res.status === 404) throw notServed(q, await this.groupServed(q.apiVersion));
      const page = res.body as { items?: KubeObject[]; metadata?: { resourceVersion?: string; continue?: string } };
      // A LIST response's items carry no apiVersion and kind; the model needs them.
      for (const o of page.items ?? []) items.push({ ...o, apiVersion: q.apiVersion, kind: q.kind });
      resourceVersion ??= page.metadata?.resourceVersion;
      token = page.metadata?.continue || undefined;
      if (!token) break;
    }
    return { items, ...(resourceVersion ? { resourceVersion } : {}) };
  }

  async namespaces(): Promise<string[] | undefined> {
    const res = await this.api.get('/api/v1/namespaces');
    if (res.status !== 200) return undefined;
    return ((res.body as { items?: KubeObject[] }).items ?? []).map((n) => n.metadata?.name ?? '').filter(Boolean).sort();
  }

  close(): void {
    this.api.close();
  }

  private async resource(apiVersion: string, kind: string): Promise<Resource | undefined> {
    const flux = Object.entries(fluxApis).find(([k, a]) => k === kind && `${a.group}/${a.version}` === apiVersion);
    if (flux) return { name: fluxApis[flux[0] as FluxKind].plural, namespaced: true };
    const known = wellKnown[`${apiVersion}/${kind}`];
    if (known) return known;
    let resources = this.discovery.get(apiVersion);
    if (!resources) {
      resources = this.discover(apiVersion);
      this.discovery.set(apiVersion, resources);
      // A failure is not an answer to keep (an aggregated API restarting, a 500): the next request asks again.
      resources.catch(() => this.discovery.get(apiVersion) === resources && this.discovery.delete(apiVersion));
    }
    return (await resources)?.get(kind);
  }

  /**
   * Whether any version of the group is served (asked once per group, only after a Flux kind's LIST answered 404):
   * a cluster without helm-controller has no helm.toolkit.fluxcd.io at all, one with an older Flux serves it at an
   * older version, which is worth a warning.
   */
  private groupServed(apiVersion: string): Promise<boolean> {
    const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
    if (!group) return Promise.resolve(true);
    let served = this.groups.get(group);
    if (!served) {
      served = this.api.get(`/apis/${group}`).then((res) => res.status !== 404, () => true);
      this.groups.set(group, served);
    }
    return served;
  }

  private async discover(apiVersion: string): Promise<Map<string, Resource> | undefined> {
    const res = await this.api.get(apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`).catch((err: unknown) => {
      // kubectl's words for an aggregated API that is down: `couldn't get resource list for metrics.k8s.io/v1beta1: ...`.
      if (err instanceof ApiError && err.unanswered) throw err.saying(`couldn't get resource list for ${apiVersion}: ${err.said ?? err.message}`);
      throw err;
    });
    if (res.status === 404) return undefined;
    if (res.status !== 200) throw apiError(res.status, res.body, `couldn't get resource list for ${apiVersion}: ${statusMessage(res.body)}`);
    const list = (res.body as { resources?: Array<{ name: string; kind: string; namespaced: boolean }> }).resources ?? [];
    return new Map(list.filter((r) => !r.name.includes('/')).map((r) => [r.kind, { name: r.name, namespaced: r.namespaced }]));
  }
}
