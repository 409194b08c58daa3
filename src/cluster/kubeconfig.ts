// kubectl's kubeconfig handling (client-go tools/clientcmd): --kubeconfig, else KUBECONFIG (several files merged,
// first wins), else ~/.kube/config, else in-cluster; then --context/--cluster/--user and the flag overrides, and
// clientcmd's validation. Token, certificate and exec users are handled here directly (fast to start: exec.ts);
// auth-provider users are handed to client-node, loaded only then, so they work as in kubectl.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join, sep } from 'node:path';
// js-yaml, as --from uses: the `yaml` package costs ~15 ms to load and parse a kubeconfig cold, js-yaml ~3.
import { CORE_SCHEMA, load as parseYaml } from 'js-yaml';
import { ClusterError, UsageError } from '../errors.ts';
import { isServerURL } from '../flag-values.ts';
import { execConfigErrors, ExecPlugin, type ExecCluster, type ExecConfig, type ExecOptions } from './exec.ts';
import { parseProxyUrl, proxyFromEnvironment } from './proxy.ts';
import { delegated } from './auth-provider.ts';
import { impersonate } from './impersonation.ts';

export interface ClusterFlags {
  kubeconfig?: string;
  context?: string;
  cluster?: string;
  user?: string;
  server?: string;
  tlsServerName?: string;
  token?: string;
  as?: string;
  asUid?: string;
  asGroup?: string[];
  certificateAuthority?: string;
  clientCertificate?: string;
  clientKey?: string;
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
  /** The name for SNI and for checking the server certificate, when it is not the server's host. */
  tlsServerName?: string;
  /** The proxy (http:, https: or socks5: URL) requests go through: the cluster's proxy-url, or the environment's. */
  proxy?: string;
  headers: Record<string, string | string[]>;
  /**
   * The Authorization header for users whose credentials can change: exec plugins (run here; cached until they
   * expire), auth providers (client-node, as kubectl would), token files (read again). `refresh` (after a 401):
   * do not reuse what is cached; run the plugin again, read the file again.
   */
  authorize?: (opts?: { refresh?: boolean }) => Promise<string | undefined>;
  /** The client certificate an exec plugin returned at the last authorize(), for connections made after it. */
  clientCertificate?: () => { cert: Buffer; key: Buffer } | undefined;
  /** The kubeconfig user, for messages. */
  user?: string;
  timeoutMs?: number;
  /** For messages: which context and server. */
  describe: string;
}

type Named<T> = { name: string } & T;
type Fields = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
export interface KubeConfigFile {
  clusters?: Array<Named<{ cluster?: Fields }>>;
  users?: Array<Named<{ user?: Fields }>>;
  contexts?: Array<Named<{ context?: { cluster?: string; user?: string; namespace?: string } }>>;
  'current-context'?: string;
}

/** The kubeconfig files kubectl would read, and those of them that exist, loaded. */
function kubeconfigFiles(flags: ClusterFlags, env: NodeJS.ProcessEnv): { candidates: string[]; loaded: Array<readonly [string, KubeConfigFile]> } {
  const files = flags.kubeconfig ? [flags.kubeconfig] : (env.KUBECONFIG ?? '').split(delimiter).filter(Boolean);
  const candidates = files.length ? files : [join(env.HOME ?? homedir(), '.kube', 'config')];
  return { candidates, loaded: candidates.filter((f, i) => (flags.kubeconfig && i === 0) || existsSync(f)).map((f) => [f, load(f)] as const) };
}

/** Every context the merged kubeconfig defines, each once, in the files' order (fleets: --all-contexts). */
export function contextNames(flags: ClusterFlags, env: NodeJS.ProcessEnv): string[] {
  const names = kubeconfigFiles(flags, env).loaded.flatMap(([, c]) => (c.contexts ?? []).map((x) => x?.name).filter((n): n is string => typeof n === 'string' && n !== ''));
  return [...new Set(names)];
}

/** The connection kubectl would use with these flags and this environment. */
export function resolveConnection(flags: ClusterFlags, env: NodeJS.ProcessEnv): Connection {
  const { candidates, loaded } = kubeconfigFiles(flags, env);

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

  const c: Fields = cluster?.value.cluster ?? {};
  const u: Fields = user?.value.user ?? {};
  const server = flags.server ?? c.server;
  if (!server) throw new ClusterError(contextName ? `context "${contextName}" names no cluster server` : 'no current context in the kubeconfig; use --context');
  if (!isServerURL(server)) throw new ClusterError(`cluster "${clusterName}" in ${cluster?.file}: server "${server}" is not a URL`);
  const rel = (file: string | undefined) => (p: string) => (isAbsolute(p) || !file ? p : join(dirname(file), p));
  const clusterFile = rel(cluster?.file);
  const userFile = rel(user?.file);
  const invalid = (problems: string[]) => {
    if (problems.length) throw new ClusterError(`invalid configuration: ${problems.join('; ')}`);
  };
  const who = userName ?? '';

  // Server identity, with kubectl's overrides: --certificate-authority or --insecure-skip-tls-verify replace the
  // file's CA and insecure flag together; --server or --tls-server-name replace its tls-server-name.
  const tlsFlags = flags.certificateAuthority !== undefined || flags.insecureSkipTlsVerify === true;
  const insecure = tlsFlags ? flags.insecureSkipTlsVerify === true : c['insecure-skip-tls-verify'] === true;
  const ca = tlsFlags
    ? (flags.certificateAuthority ? readBytes(flags.certificateAuthority) : undefined)
    : bytes(c['certificate-authority-data'], c['certificate-authority'], clusterFile);
  if (ca && insecure) throw new ClusterError('specifying a root certificates file with the insecure flag is not allowed');
  const tlsServerName = flags.tlsServerName !== undefined || flags.server !== undefined ? flags.tlsServerName : str(c['tls-server-name']);
  const proxyUrl = str(c['proxy-url']);
  const proxy = connectionProxy(server, proxyUrl, clusterName ?? '', env);

  // User identity: a token (flag, field, file) or basic auth; client certificates (flags replace the file's);
  // impersonation; an exec plugin or auth provider only when nothing static identifies the user (client-go's
  // exec UpdateTransportConfig).
  const headers: Record<string, string | string[]> = {};
  const token = flags.token || str(u.token);
  const tokenFile = !token && str(u.tokenFile) ? userFile(u.tokenFile) : undefined;
  const basic = Boolean(str(u.username) || str(u.password));
  if (token && basic) invalid([`more than one authentication method found for ${who}; found [token basicAuth], only one is allowed`]);
  if (token) headers.Authorization = `Bearer ${token}`;
  else if (basic) headers.Authorization = `Basic ${Buffer.from(`${u.username ?? ''}:${u.password ?? ''}`).toString('base64')}`;
  const cert = flags.clientCertificate ? readBytes(flags.clientCertificate) : bytes(u['client-certificate-data'], u['client-certificate'], userFile);
  const key = flags.clientKey ? readBytes(flags.clientKey) : bytes(u['client-key-data'], u['client-key'], userFile);
  if (cert && !key) invalid([`client-key-data or client-key must be specified for ${who} to use the clientCert authentication method.`]);
  impersonate(headers, flags, u, who);
  if (u.exec) invalid(execConfigErrors(who, u.exec as ExecConfig, Boolean(u['auth-provider'])));

  const conn: Connection = {
    server: server.replace(/\/+$/, ''),
    insecure,
    headers,
    describe: `${server}${contextName ? ` (context ${contextName})` : ''}`,
    ...(ca ? { ca } : {}),
    ...(cert ? { cert } : {}),
    ...(key ? { key } : {}),
    ...(tlsServerName ? { tlsServerName } : {}),
    ...(proxy ? { proxy } : {}),
    ...(userName ? { user: userName } : {}),
    ...timeout(flags.requestTimeout),
  };
  if (token || basic) return conn;
  if (tokenFile) conn.authorize = tokenFileAuthorization(tokenFile);
  else if (u.exec && !cert) {
    const exec = u.exec as ExecConfig;
    const command = String(exec.command).includes(sep) ? userFile(String(exec.command)) : String(exec.command);
    const extension = (c.extensions as Array<{ name?: string; extension?: unknown }> | undefined)?.find((e) => e?.name === 'client.authentication.k8s.io/exec')?.extension;
    const execCluster: ExecCluster = {
      server,
      ...(tlsServerName ? { 'tls-server-name': tlsServerName } : {}),
      ...(insecure ? { 'insecure-skip-tls-verify': true } : {}),
      ...(ca ? { 'certificate-authority-data': ca.toString('base64') } : {}),
      ...(proxyUrl ? { 'proxy-url': proxyUrl } : {}),
      ...(c['disable-compression'] === true ? { 'disable-compression': true } : {}),
      ...(extension !== undefined ? { config: extension } : {}),
    };
    Object.assign(conn, execCredentials(exec, { command, env, cluster: execCluster }));
  } else if (u['auth-provider'] && !cert) conn.authorize = delegated(loaded.map(([, f]) => f), contextName, clusterName, userName, server);
  return conn;
}

/** authorize() and clientCertificate() for an exec user: the plugin runs at the first request, not before. */
function execCredentials(exec: ExecConfig, opts: ExecOptions): Pick<Connection, 'authorize' | 'clientCertificate'> {
  let plugin: ExecPlugin | undefined;
  let pair: { cert: Buffer; key: Buffer } | undefined;
  return {
    clientCertificate: () => pair,
    authorize: async ({ refresh = false } = {}) => {
      plugin ??= new ExecPlugin(exec, opts);
      const cred = await plugin.credentials(refresh);
      if (cred.cert && cred.key && (cred.cert !== pair?.cert || cred.key !== pair?.key)) pair = { cert: cred.cert, key: cred.key };
      return cred.token ? `Bearer ${cred.token}` : undefined;
    },
  };
}

/**
 * authorize() for a token file, which may be rotated under us (a projected service account token, hourly): read at
 * the first request, again when a minute old (client-go's cachingTokenSource), and on refresh (after a 401).
 */
function tokenFileAuthorization(file: string): NonNullable<Connection['authorize']> {
  let cached: { header: string; at: number } | undefined;
  return async ({ refresh = false } = {}) => {
    if (refresh || !cached || Date.now() - cached.at > 60_000) cached = { header: `Bearer ${readText(file).trim()}`, at: Date.now() };
    return cached.header;
  };
}

/** The proxy for this server: the cluster's proxy-url, else what the environment says (as client-go). */
function connectionProxy(server: string, proxyUrl: string | undefined, cluster: string, env: NodeJS.ProcessEnv): string | undefined {
  const anyProxyEnv = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'].some((n) => env[n]);
  if (!proxyUrl && !anyProxyEnv) return undefined;
  let target: URL;
  try {
    target = new URL(server);
  } catch {
    throw new UsageError(`invalid server address "${server}"`);
  }
  const proxy = proxyUrl ? parseProxyUrl(proxyUrl, cluster) : proxyFromEnvironment(target, env);
  if (proxy && target.protocol === 'http:') {
    throw new UsageError(`a proxy (${proxy.protocol}//${proxy.host}) for the plain-http server ${server} is not supported; use https or set NO_PROXY`);
  }
  return proxy?.href;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v ? v : undefined;
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
  impersonate(headers, flags, {}, 'in-cluster');
  // As client-go's inClusterClientConfig: --token and --certificate-authority replace what the pod has.
  const conn: Connection = { server, ca: readBytes(flags.certificateAuthority ?? `${dir}/ca.crt`), insecure: false, headers, describe: `${server} (in-cluster)`, ...timeout(flags.requestTimeout) };
  if (flags.token) headers.Authorization = `Bearer ${flags.token}`;
  else conn.authorize = tokenFileAuthorization(`${dir}/token`);
  return conn;
}
