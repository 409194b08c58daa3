// Proxies as client-go uses them: a cluster's `proxy-url` (http, https or socks5), else the environment read as
// Go's http.ProxyFromEnvironment reads it (golang.org/x/net/http/httpproxy). Tunnels are opened by hand on
// node:net and node:tls (CONNECT, or SOCKS5), so no proxy library is loaded and the API server's TLS runs on top.
import type { Socket } from 'node:net';
import type { SecureContext, TLSSocket } from 'node:tls';
import { UsageError } from '../errors.ts';
import { limitDial, limitHandshake, TransportTimeout } from './dial.ts';

/**
 * How long a proxy has to answer CONNECT: Go's Transport gives it a minute (or the request's own deadline, if
 * sooner). Go gives a SOCKS5 exchange no limit but the request's; here it has the same minute, not forever.
 */
export const TUNNEL_TIMEOUT_MS = 60_000;

/** The kubeconfig's proxy-url as client-go accepts it, or a UsageError naming the cluster. */
export function parseProxyUrl(value: string, cluster: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`invalid 'proxy-url' "${redactedProxy(value)}" for cluster "${cluster}": could not parse`);
  }
  const scheme = url.protocol.slice(0, -1);
  if (!['http', 'https', 'socks5'].includes(scheme)) {
    throw new UsageError(`invalid 'proxy-url' "${redactedProxy(value)}" for cluster "${cluster}": unsupported scheme "${scheme}", must be http, https, or socks5`);
  }
  return url;
}

/**
 * A proxy URL fit to print: its userinfo (user:password@, where proxies take Basic credentials) as `xxxxx@`, as
 * Go's URL.Redacted hides the password. Text that does not parse is redacted the same way, up to its last `@`
 * before the path.
 */
export function redactedProxy(value: string): string {
  return value.replace(/^([a-z][a-z0-9+.-]*:\/\/)?[^/?#]*@/i, (_m, scheme: string | undefined) => `${scheme ?? ''}xxxxx@`);
}

/**
 * The proxy the environment names for a request to `server`, as Go decides it: HTTPS_PROXY (or https_proxy) for
 * https servers, HTTP_PROXY for http ones; never for localhost or a loopback address; NO_PROXY entries are `*`,
 * IPs and CIDRs, host:port, and domains (`example.com` matches itself and its subdomains, `.example.com` only
 * the subdomains). Host names are not resolved.
 */
export function proxyFromEnvironment(server: URL, env: NodeJS.ProcessEnv): URL | undefined {
  const any = (...names: string[]) => names.map((n) => env[n]).find((v) => v);
  const https = server.protocol === 'https:';
  const value = https ? any('HTTPS_PROXY', 'https_proxy') : any('HTTP_PROXY', 'http_proxy');
  if (!value) return undefined;
  // Go refuses HTTP_PROXY under CGI (a request header could set it); it does not apply to a CLI, but says so.
  if (!https && env.REQUEST_METHOD) return undefined;
  const proxy = parseEnvProxy(value);
  if (!proxy) return undefined;
  const host = server.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = server.port || (https ? '443' : '80');
  return excluded(host, port, any('NO_PROXY', 'no_proxy') ?? '') ? undefined : proxy;
}

// A value without a scheme (proxy.corp:3128) is taken as http://, as Go does.
function parseEnvProxy(value: string): URL | undefined {
  for (const candidate of [value, `http://${value}`]) {
    try {
      const url = new URL(candidate);
      if (url.host && /^(https?|socks5h?):$/.test(url.protocol)) return url;
    } catch {
      // try the next form
    }
  }
  return undefined;
}

function excluded(host: string, port: string, noProxy: string): boolean {
  if (host === 'localhost') return true;
  const ip = parseIp(host);
  if (ip && isLoopback(ip)) return true;
  for (let entry of noProxy.split(',')) {
    entry = entry.trim().toLowerCase();
    if (!entry) continue;
    if (entry === '*') return true;
    const cidr = /^(.+)\/(\d{1,3})$/.exec(entry);
    if (cidr) {
      const net = parseIp(cidr[1] as string);
      if (net && ip && net.length === ip.length && inPrefix(ip, net, Number(cidr[2]))) return true;
      continue;
    }
    let [h, p] = splitHostPort(entry);
    const entryIp = parseIp(h);
    if (entryIp) {
      if (ip && entryIp.length === ip.length && entryIp.every((b, i) => b === ip[i]) && (!p || p === port)) return true;
      continue;
    }
    if (!h || ip) continue;
    if (h.startsWith('*.')) h = h.slice(1);
    const matchHost = !h.startsWith('.');
    const suffix = matchHost ? `.${h}` : h;
    if ((host.endsWith(suffix) || (matchHost && host === h)) && (!p || p === port)) return true;
  }
  return false;
}

// host:port and [v6]:port split as net.SplitHostPort; anything else is all host.
function splitHostPort(entry: string): [string, string | undefined] {
  const v6 = /^\[([^\]]*)\]:(\d*)$/.exec(entry);
  if (v6) return [v6[1] as string, v6[2]];
  const m = /^([^:]*):(\d*)$/.exec(entry);
  return m ? [m[1] as string, m[2]] : [entry, undefined];
}

function parseIp(text: string): number[] | undefined {
  const { isIP } = process.getBuiltinModule('node:net');
  const kind = isIP(text);
  if (kind === 4) return text.split('.').map(Number);
  if (kind !== 6) return undefined;
  // Expand :: and a trailing dotted quad into 16 bytes.
  let t = text;
  const quad = /(\d+\.\d+\.\d+\.\d+)$/.exec(t);
  if (quad) {
    const b = (quad[1] as string).split('.').map(Number) as [number, number, number, number];
    t = t.slice(0, -quad[1]!.length) + `${((b[0] << 8) | b[1]).toString(16)}:${((b[2] << 8) | b[3]).toString(16)}`;
  }
  const [head, tail] = t.split('::') as [string, string | undefined];
  const words = (s: string | undefined) => (s ? s.split(':').map((w) => parseInt(w, 16)) : []);
  const h = words(head);
  const tl = words(tail);
  const all = tail === undefined ? h : [...h, ...Array(8 - h.length - tl.length).fill(0), ...tl];
  const bytes = all.flatMap((w) => [w >> 8, w & 255]);
  // IPv4-mapped addresses compare as IPv4, as Go's net.IP does.
  return bytes.slice(0, 12).every((b, i) => b === (i < 10 ? 0 : 255)) ? bytes.slice(12) : bytes;
}

function isLoopback(ip: number[]): boolean {
  return ip.length === 4 ? ip[0] === 127 : ip.every((b, i) => b === (i === 15 ? 1 : 0));
}

function inPrefix(ip: number[], net: number[], bits: number): boolean {
  for (let i = 0; i < ip.length; i++) {
    const take = Math.max(0, Math.min(8, bits - i * 8));
    const mask = (0xff << (8 - take)) & 0xff;
    if (((ip[i] as number) & mask) !== ((net[i] as number) & mask)) return false;
  }
  return true;
}

export interface TunnelTls {
  /** The API server connection's context: Go dials an https proxy with the same TLS config. */
  secureContext: SecureContext;
  rejectUnauthorized: boolean;
}

/**
 * A socket to host:port through the proxy, ready for the API server's TLS handshake. `requestTimeoutMs` is
 * --request-timeout: the tunnel's answer waits no longer than it either.
 */
export async function openTunnel(proxy: URL, host: string, port: number, tls: TunnelTls, requestTimeoutMs?: number): Promise<Socket> {
  const proxyPort = Number(proxy.port || { 'https:': 443, 'http:': 80 }[proxy.protocol] || 1080);
  const proxyHost = proxy.hostname.replace(/^\[|\]$/g, '');
  const socket = await connect(proxy.protocol === 'https:', proxyHost, proxyPort, tls);
  // 0 would turn the socket's timeout off: a proxy that never answers would hold us for ever.
  const timeoutMs = requestTimeoutMs ? Math.min(requestTimeoutMs, TUNNEL_TIMEOUT_MS) : TUNNEL_TIMEOUT_MS;
  socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`proxy ${proxy.host} did not answer within ${timeoutMs / 1000}s`)));
  try {
    if (proxy.protocol.startsWith('socks5')) await socks5(socket, proxy, host, port);
    else await httpConnect(socket, proxy, host, port);
  } catch (err) {
    socket.destroy();
    throw err;
  }
  socket.setTimeout(0);
  return socket;
}

// The connection to the proxy itself: client-go's dial limit, keep-alive and (an https proxy) TLS handshake limit
// apply to it, and Go says a failure here as `proxyconnect tcp: ...`.
function connect(secure: boolean, host: string, port: number, tls: TunnelTls): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => reject(err instanceof TransportTimeout
      ? new TransportTimeout(`proxyconnect tcp: ${err.message}`)
      : Object.assign(new Error(`cannot reach proxy ${host}:${port}: ${err.code ?? err.message}`), { code: undefined }));
    const socket: Socket = secure
      // No SNI for an IP address (RFC 6066; Go's crypto/tls sends none): the certificate is still checked against it.
      ? process.getBuiltinModule('node:tls').connect({ host, port, ...(parseIp(host) ? {} : { servername: host }), ...tls }, () => resolve(socket))
      : process.getBuiltinModule('node:net').connect({ host, port }, () => resolve(socket));
    limitDial(socket, host, port, secure ? () => limitHandshake(socket as TLSSocket) : undefined);
    socket.once('error', onError);
    // A TLS socket emits 'connect' before its handshake, whose failure (or timeout) must still reject.
    socket.once(secure ? 'secureConnect' : 'connect', () => socket.off('error', onError));
  });
}

/** Reads from the socket until `enough` says how many bytes make the answer; the rest is not consumed. */
function readAnswer(socket: Socket, enough: (data: Buffer) => number | undefined): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let data = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      const n = enough(data);
      if (n === undefined) return;
      done();
      if (data.length > n) socket.unshift(data.subarray(n));
      resolve(data.subarray(0, n));
    };
    const onEnd = () => (done(), reject(new Error('the proxy closed the connection')));
    const onError = (err: Error) => (done(), reject(err));
    const done = () => {
      socket.off('data', onData).off('end', onEnd).off('error', onError);
      socket.pause();
    };
    socket.on('data', onData).once('end', onEnd).once('error', onError);
    socket.resume();
  });
}

async function httpConnect(socket: Socket, proxy: URL, host: string, port: number) {
  const target = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  const auth = proxy.username
    ? `Proxy-Authorization: Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64')}\r\n`
    : '';
  socket.write(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n${auth}\r\n`);
  const head = await readAnswer(socket, (d) => {
    const end = d.indexOf('\r\n\r\n');
    if (end < 0 && d.length > 16_384) return d.length;
    return end < 0 ? undefined : end + 4;
  });
  const status = /^HTTP\/1\.[01] (\d{3})([^\r\n]*)/.exec(head.toString('latin1'));
  if (!status) throw new Error(`proxy ${proxy.host} gave no HTTP answer to CONNECT`);
  if (status[1] !== '200') throw new Error(`proxy ${proxy.host} refused CONNECT ${target}: ${status[1]}${status[2]}`);
}

// RFC 1928, with RFC 1929 user/password when the URL has them. The host name goes to the proxy unresolved, as
// Go's SOCKS5 dialer sends it.
async function socks5(socket: Socket, proxy: URL, host: string, port: number) {
  const where = `SOCKS5 proxy ${proxy.host}`;
  const user = proxy.username ? Buffer.from(decodeURIComponent(proxy.username)) : undefined;
  socket.write(Buffer.from(user ? [5, 2, 0, 2] : [5, 1, 0]));
  const [, method] = await readAnswer(socket, (d) => (d.length >= 2 ? 2 : undefined));
  if (method === 2 && user) {
    const pass = Buffer.from(decodeURIComponent(proxy.password));
    socket.write(Buffer.concat([Buffer.from([1, user.length]), user, Buffer.from([pass.length]), pass]));
    const [, ok] = await readAnswer(socket, (d) => (d.length >= 2 ? 2 : undefined));
    if (ok !== 0) throw new Error(`${where} rejected the user name and password`);
  } else if (method !== 0) {
    throw new Error(`${where} accepts none of our authentication methods`);
  }
  const ip = parseIp(host);
  const address = ip ? Buffer.from([ip.length === 4 ? 1 : 4, ...ip]) : Buffer.concat([Buffer.from([3, Buffer.byteLength(host)]), Buffer.from(host)]);
  socket.write(Buffer.concat([Buffer.from([5, 1, 0]), address, Buffer.from([port >> 8, port & 255])]));
  const reply = await readAnswer(socket, (d) => {
    if (d.length < 5) return undefined;
    const len = d[3] === 1 ? 4 : d[3] === 4 ? 16 : 1 + (d[4] as number);
    return d.length >= 6 + len ? 6 + len : undefined;
  });
  if (reply[1] !== 0) throw new Error(`${where} could not connect to ${host}:${port} (reply ${reply[1]})`);
}
