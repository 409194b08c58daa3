// kubectl's kubeconfig handling (client-go tools/clientcmd): the entries kubeconfig-files.ts selects (else
// in-cluster), the flag overrides and clientcmd's validation, resolved into one Connection. Token, certificate and
// exec users are handled here directly (fast to start: exec.ts); auth-provider users are handed to client-node,
// loaded only then, so they work as in kubectl.
import { existsSync } from 'node:fs';
import { sep } from 'node:path';
import { ClusterError, UsageError } from '../errors.ts';
import { isServerURL } from '../flag-values.ts';
import { execConfigErrors, ExecPlugin, type ExecCluster, type ExecConfig, type ExecOptions } from './exec.ts';
import { bytes, loadKubeconfigs, readBytes, readText, relativeTo, selectEntries, type Fields } from './kubeconfig-files.ts';
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

/** Every context the merged kubeconfig defines, each once, in the files' order (fleets: --all-contexts). */
export function contextNames(flags: { kubeconfig?: string }, env: NodeJS.ProcessEnv): string[] {
  const names = loadKubeconfigs(flags.kubeconfig, env).loaded.flatMap(([, c]) => (c.contexts ?? []).map((x) => x?.name).filter((n): n is string => typeof n === 'string' && n !== ''));
  return [...new Set(names)];
}

/** The connection kubectl would use with these flags and this environment. */
export function resolveConnection(flags: ClusterFlags, env: NodeJS.ProcessEnv): Connection {
  const files = loadKubeconfigs(flags.kubeconfig, env);
  const { loaded, candidates } = files;
  if (loaded.length === 0 && !flags.server) {
    const inCluster = inClusterConnection(flags, env);
    if (inCluster) return inCluster;
    throw new ClusterError(`no kubeconfig found (looked in ${candidates.join(', ')}); set KUBECONFIG or --kubeconfig`);
  }
  const { contextName, clusterName, userName, cluster, user } = selectEntries(files, flags);

  const c: Fields = cluster?.value.cluster ?? {};
  const u: Fields = user?.value.user ?? {};
  const server = flags.server ?? c.server;
  if (!server) throw new ClusterError(contextName ? `context "${contextName}" names no cluster server` : 'no current context in the kubeconfig; use --context');
  if (!isServerURL(server)) throw new ClusterError(`cluster "${clusterName}" in ${cluster?.file}: server "${server}" is not a URL`);
  const clusterFile = relativeTo(cluster?.file);
  const userFile = relativeTo(user?.file);
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

/** kubectl's --request-timeout: "0" (none), a bare number of seconds, or a Go duration such as 30s, 1m. */
function timeout(value: string | undefined): { timeoutMs?: number } {
  if (value === undefined || value === '0') return {};
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value);
  if (!m) throw new UsageError(`invalid --request-timeout "${value}": use a duration such as 30s or 1m`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
  const ms = Number(m[1]) * unit;
  // 0s, 0m...: none, as "0" is (client-go reads any zero duration so).
  return ms === 0 ? {} : { timeoutMs: ms };
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
