// kubectl's kubeconfig handling: --kubeconfig, else KUBECONFIG (several files merged, first wins), else
// ~/.kube/config, else in-cluster; then --context/--cluster/--user and the flag overrides. Token and
// certificate users are handled here directly (fast to start); exec and auth-provider users are handed to
// client-node, loaded only then, so they work as in kubectl.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join } from 'node:path';
// js-yaml, as --from uses: the `yaml` package costs ~15 ms to load and parse a kubeconfig cold, js-yaml ~3.
import { CORE_SCHEMA, load as parseYaml } from 'js-yaml';
import { ClusterError, UsageError } from '../errors.ts';
import { isServerURL } from '../flag-values.ts';
import { restoreDefaultTrust } from './trust.ts';

export interface ClusterFlags {
  kubeconfig?: string;
  context?: string;
  cluster?: string;
  user?: string;
  server?: string;
  token?: string;
  as?: string;
  asGroup?: string[];
  certificateAuthority?: string;
  insecureSkipTlsVerify?: boolean;
  requestTimeout?: string;
}

/** Everything needed to talk to one API server. */
export interface Connection {
  server: string;
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  insecure: boolean;
  headers: Record<string, string | string[]>;
  /**
   * The Authorization header for users whose credentials can change: exec plugins and auth providers
   * (client-node, as kubectl would), token files (read again). `refresh` after a 401: do not reuse a cached one.
   */
  authorize?: (opts?: { refresh?: boolean }) => Promise<string | undefined>;
  /** The kubeconfig user, for messages. */
  user?: string;
  timeoutMs?: number;
  /** For messages: which context and server. */
  describe: string;
}

type Named<T> = { name: string } & T;
interface KubeConfigFile {
  clusters?: Array<Named<{ cluster?: Record<string, any> }>>; // eslint-disable-line @typescript-eslint/no-explicit-any
  users?: Array<Named<{ user?: Record<string, any> }>>; // eslint-disable-line @typescript-eslint/no-explicit-any
  contexts?: Array<Named<{ context?: { cluster?: string; user?: string; namespace?: string } }>>;
  'current-context'?: string;
}

/** The connection kubectl would use with these flags and this environment. */
export function resolveConnection(flags: ClusterFlags, env: NodeJS.ProcessEnv): Connection {
  const files = flags.kubeconfig ? [flags.kubeconfig] : (env.KUBECONFIG ?? '').split(delimiter).filter(Boolean);
  const candidates = files.length ? files : [join(env.HOME ?? homedir(), '.kube', 'config')];
  const loaded = candidates.filter((f, i) => (flags.kubeconfig && i === 0) || existsSync(f)).map((f) => [f, load(f)] as const);

  if (loaded.length === 0 && !flags.server) {
    const inCluster = inClusterConnection(flags, env);
    if (inCluster) return inCluster;
    throw new ClusterError(`no kubeconfig found (looked in ${candidates.join(', ')}); set KUBECONFIG or --kubeconfig`);
  }

  // Merge as kubectl does: the first file to define a name wins; current-context from the first that sets one.
  const pick = <T extends { name: string }>(list: (c: KubeConfigFile) => T[] | undefined, name: string | undefined) => {
    for (const [file, c] of loaded) {
      const found = (list(c) ?? []).find((x) => x.name === name);
      if (found) return { file, value: found };
    }
    return undefined;
  };
  const contextName = flags.context ?? loaded.map(([, c]) => c['current-context']).find(Boolean);
  const context = contextName ? pick((c) => c.contexts, contextName) : undefined;
  if (flags.context && !context) throw new ClusterError(`context "${flags.context}" not found in ${candidates.join(', ')}`);
  const clusterName = flags.cluster ?? context?.value.context?.cluster;
  const userName = flags.user ?? context?.value.context?.user;
  const cluster = pick((c) => c.clusters, clusterName);
  const user = pick((c) => c.users, userName);
  if (flags.cluster && !cluster) throw new ClusterError(`cluster "${flags.cluster}" not found in the kubeconfig`);
  if (flags.user && !user) throw new ClusterError(`user "${flags.user}" not found in the kubeconfig`);

  const c = cluster?.value.cluster ?? {};
  const u = user?.value.user ?? {};
  const server = flags.server ?? c.server;
  if (!server) throw new ClusterError(contextName ? `context "${contextName}" names no cluster server` : 'no current context in the kubeconfig; use --context');
  if (!isServerURL(server)) throw new ClusterError(`cluster "${clusterName}" in ${cluster?.file}: server "${server}" is not a URL`);
  const rel = (file: string | undefined) => (p: string) => (isAbsolute(p) || !file ? p : join(dirname(file), p));
  const clusterFile = rel(cluster?.file);
  const userFile = rel(user?.file);

  const headers: Record<string, string | string[]> = {};
  const token = flags.token ?? u.token;
  // A token file is read at the first request and again after a 401: it may be rotated under us (as client-go).
  const tokenFile = !token && typeof u.tokenFile === 'string' && u.tokenFile ? userFile(u.tokenFile) : undefined;
  if (token) headers.Authorization = `Bearer ${token}`;
  else if (u.username) headers.Authorization = `Basic ${Buffer.from(`${u.username}:${u.password ?? ''}`).toString('base64')}`;
  impersonate(headers, flags, u);

  const conn: Connection = {
    server: server.replace(/\/+$/, ''),
    insecure: flags.insecureSkipTlsVerify ?? c['insecure-skip-tls-verify'] === true,
    headers,
    describe: `${server}${contextName ? ` (context ${contextName})` : ''}`,
    ...(userName ? { user: userName } : {}),
    ...(tokenFile ? { authorize: async () => `Bearer ${readText(tokenFile).trim()}` } : {}),
    ...timeout(flags.requestTimeout),
  };
  const ca = flags.certificateAuthority ? readBytes(flags.certificateAuthority) : bytes(c['certificate-authority-data'], c['certificate-authority'], clusterFile);
  if (ca && !conn.insecure) conn.ca = ca;
  if (!flags.token) {
    const cert = bytes(u['client-certificate-data'], u['client-certificate'], userFile);
    const key = bytes(u['client-key-data'], u['client-key'], userFile);
    if (cert) conn.cert = cert;
    if (key) conn.key = key;
    if (!token && !tokenFile && (u.exec || u['auth-provider'])) conn.authorize = delegated(loaded.map(([, f]) => f), contextName, clusterName, userName, server);
  }
  return conn;
}

function load(file: string): KubeConfigFile {
  try {
    return kubeconfigIn(parseYaml(readText(file), { schema: CORE_SCHEMA }), file);
  } catch (err) {
    if (err instanceof ClusterError || err instanceof UsageError) throw err;
    throw new UsageError(`cannot read kubeconfig ${file}: ${(err as Error).message.split('\n')[0]}`);
  }
}

// A file that parses as YAML but holds no kubeconfig (/etc/passwd is one long string): say so, not "no context".
function kubeconfigIn(value: unknown, file: string): KubeConfigFile {
  if (value === null || value === undefined) return {};
  const kind = (value as { kind?: unknown }).kind;
  if (typeof value !== 'object' || Array.isArray(value) || (kind !== undefined && kind !== 'Config')) {
    throw new UsageError(`${file} is not a kubeconfig (a YAML mapping with clusters, users and contexts)`);
  }
  return value as KubeConfigFile;
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new ClusterError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

function readBytes(file: string): Buffer {
  return Buffer.from(readText(file));
}

function bytes(data: unknown, file: unknown, resolve: (p: string) => string): Buffer | undefined {
  if (typeof data === 'string' && data) return Buffer.from(data, 'base64');
  if (typeof file === 'string' && file) return readBytes(resolve(file));
  return undefined;
}

function impersonate(headers: Record<string, string | string[]>, flags: ClusterFlags, u: Record<string, unknown>) {
  const as = flags.as ?? (typeof u.as === 'string' ? u.as : undefined);
  if (as) headers['Impersonate-User'] = as;
  const groups = flags.asGroup?.length ? flags.asGroup : Array.isArray(u['as-groups']) ? (u['as-groups'] as string[]) : [];
  if (groups.length) headers['Impersonate-Group'] = groups;
}

/** kubectl's --request-timeout: "0" (none), a bare number of seconds, or a Go duration such as 30s, 1m. */
function timeout(value: string | undefined): { timeoutMs?: number } {
  if (value === undefined || value === '0') return {};
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value);
  if (!m) throw new UsageError(`invalid --request-timeout "${value}": use a duration such as 30s or 1m`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
  return { timeoutMs: Number(m[1]) * unit };
}

function inClusterConnection(flags: ClusterFlags, env: NodeJS.ProcessEnv): Connection | undefined {
  const host = env.KUBERNETES_SERVICE_HOST;
  const dir = '/var/run/secrets/kubernetes.io/serviceaccount';
  if (!host || !existsSync(`${dir}/token`)) return undefined;
  const server = `https://${host.includes(':') ? `[${host}]` : host}:${env.KUBERNETES_SERVICE_PORT ?? '443'}`;
  const headers: Record<string, string | string[]> = {};
  impersonate(headers, flags, {});
  // The projected service account token rotates (hourly): read it for each client, and again after a 401.
  const authorize = async () => `Bearer ${readText(`${dir}/token`).trim()}`;
  return { server, ca: readBytes(`${dir}/ca.crt`), insecure: false, headers, authorize, describe: `${server} (in-cluster)`, ...timeout(flags.requestTimeout) };
}

/** Exec plugins and auth providers, run by client-node exactly as configured (it caches and refreshes tokens). */
function delegated(files: KubeConfigFile[], context?: string, cluster?: string, user?: string, server?: string) {
  return async () => {
    // client-node may fetch a token over HTTPS from elsewhere (OIDC): with Node's trust, not the cluster's CA.
    restoreDefaultTrust();
    const k8s = await import('@kubernetes/client-node');
    const kc = new k8s.KubeConfig();
    const u = files.flatMap((f) => f.users ?? []).find((x) => x.name === user);
    kc.loadFromOptions({
      clusters: [{ name: cluster ?? 'cluster', server, skipTLSVerify: true }],
      users: [{ name: user ?? 'user', ...toClientNodeUser(u?.user ?? {}) }],
      contexts: [{ name: context ?? 'context', cluster: cluster ?? 'cluster', user: user ?? 'user' }],
      currentContext: context ?? 'context',
    });
    const opts: { headers?: Record<string, string> } = {};
    await kc.applyToHTTPSOptions(opts);
    return opts.headers?.Authorization ?? opts.headers?.authorization;
  };
}

// client-node's loadFromOptions takes camelCase user fields for exec and auth-provider.
function toClientNodeUser(u: Record<string, unknown>) {
  return { ...(u.exec ? { exec: u.exec } : {}), ...(u['auth-provider'] ? { authProvider: u['auth-provider'] } : {}) };
}
