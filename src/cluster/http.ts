// A small HTTPS client for the Kubernetes API: JSON in and out, errors turned into one-line typed errors.
// Plain node:https rather than client-node's generated clients: LIST responses are parsed once, and start-up
// does not pay for loading a large library (TESTENV.md measured 0.3-0.5 s for it).
import type { Agent as HttpAgent } from 'node:http';
import { type Agent, request } from 'node:https';
import { apiError, ApiError, retryAfterSeconds, statusMessage } from './api-error.ts';
import type { Connection } from './kubeconfig.ts';
import { TransportTimeout } from './dial.ts';
import { createAgent, createPlainAgent } from './transport.ts';

export interface ApiResponse {
  status: number;
  body: unknown;
  retryAfter?: string;
}

export class Api {
  readonly conn: Connection;
  private readonly agent: Agent;
  private plainAgent?: HttpAgent;
  /** Credentials being asked for again after a 401: the requests that follow wait for them. */
  private refreshing?: Promise<string | undefined>;

  constructor(conn: Connection) {
    this.conn = conn;
    this.agent = createAgent(conn);
  }

  /** GET a path; 2xx, 403 and 404 come back as responses, anything else as a ClusterError. */
  async get(path: string): Promise<ApiResponse> {
    return this.send('GET', path);
  }

  /**
   * One request. 429 and 503 (an API server starting up, or shedding load) are retried as the server asks
   * (Retry-After, at most 10 s a time) up to 5 times, as client-go does: only when it asks (an aggregated API
   * that is down answers 503 without Retry-After: retried, its warning came 4 s late). A 401 asks for fresh
   * credentials once (an exec plugin run again, a token file read again) and retries; refused again, it is an
   * ApiError.
   */
  async send(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<ApiResponse> {
    let refreshed = false;
    for (let attempt = 1; ; attempt++) {
      const res = await this.sendOnce(method, path, body, contentType);
      if (res.status === 401 && !refreshed && this.canRefresh()) {
        refreshed = true;
        await this.renewCredentials(res.sentWith);
        continue;
      }
      const wait = res.status === 429 || res.status === 503 ? retryAfterSeconds(res.retryAfter) : undefined;
      if (wait === undefined || attempt === 5) return this.check(method, path, answer(res));
      await new Promise((r) => setTimeout(r, Math.min(10, wait) * 1000));
    }
  }

  private check(method: string, path: string, res: ApiResponse): ApiResponse {
    if (res.status === 401) throw this.unauthorized();
    if (res.status >= 400 && res.status !== 403 && res.status !== 404) {
      throw apiError(res.status, res.body, `the cluster at ${this.conn.describe} answered ${method} ${path} with ${res.status}: ${statusMessage(res.body)}`, retryAfterSeconds(res.retryAfter));
    }
    return res;
  }

  /** The one-line answer to credentials refused twice: which user, which server. */
  private unauthorized(): ApiError {
    const who = this.conn.user ? `the credentials of user "${this.conn.user}"` : 'the credentials';
    return new ApiError('unauthorized', `the cluster at ${this.conn.describe} rejected ${who} (401 Unauthorized)`, { status: 401 });
  }

  /** Whether a 401 may be answered with new credentials: an exec plugin, auth provider or token file. */
  private canRefresh(): boolean {
    return this.conn.authorize !== undefined;
  }

  /**
   * After a 401 to a request sent with `used`: ask for new credentials, unless they are being asked for already or
   * another request got them since (client-go's exec authenticator refreshes only when the failed request's
   * credentials are still the current ones): several watches refused at once run the plugin once.
   */
  private async renewCredentials(used: string | undefined): Promise<void> {
    if (this.refreshing) return;
    // The source's cached answer: no plugin run unless it has expired.
    const current = await this.conn.authorize?.().catch(() => undefined);
    if (current === used && !this.refreshing) this.refreshCredentials();
  }

  /** Ask for new credentials, not the cached ones (the plugin runs again, the file is read again). */
  private refreshCredentials(): void {
    const refreshing = this.conn.authorize?.({ refresh: true });
    this.refreshing = refreshing;
    // Cleared when settled, failed too (a failure is reported by the requests that awaited it): later requests ask again.
    const settled = () => this.refreshing === refreshing && (this.refreshing = undefined);
    refreshing?.then(settled, settled);
  }

  /** What every request needs: its URL, headers with credentials, and the transport for the server's scheme. */
  private async prepare(path: string, extra: Record<string, string>) {
    const headers: Record<string, string | string[]> = { Accept: 'application/json', ...this.conn.headers, ...extra };
    if (this.conn.authorize) {
      // Asked at every request: the sources cache (an exec token until it expires, a token file for a minute),
      // so a token that expires during a long watch is replaced on time, not only after a 401.
      const auth = await (this.refreshing ?? this.conn.authorize()).catch((err: Error) => {
        throw new ApiError('credentials', `cannot get credentials for ${this.conn.describe}: ${err.message.split('\n')[0]}`);
      });
      if (auth) headers.Authorization = auth;
    }
    const url = new URL(this.conn.server + path);
    // node:http only for plain-HTTP servers (kubectl proxy): importing it costs ~10 ms, as its ESM facade
    // touches lazy globals that load Node's bundled undici.
    if (url.protocol !== 'http:') return { url, headers, send: request, agent: this.agent };
    const http = await import('node:http');
    return { url, headers, send: http.request, agent: (this.plainAgent ??= createPlainAgent(http)) };
  }

  private async sendOnce(method: string, path: string, body: unknown, contentType: string): Promise<Sent> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    // gzip, as kubectl and flux ask for it: the API server compresses answers over 128 kB (a large LIST shrinks
    // ~20x: much less to carry from a remote cluster, and here too fewer pieces to take in, inflated on Node's
    // thread pool as they arrive). zlib is loaded only for such an answer.
    const { url, headers, send, agent } = await this.prepare(path, { 'Accept-Encoding': 'gzip', ...(payload === undefined ? {} : { 'Content-Type': contentType }) });
    const res = await new Promise<Sent>((resolve, reject) => {
      const req = send(url, { method, headers, agent, timeout: this.conn.timeoutMs }, (r) => {
        const body = r.headers['content-encoding'] === 'gzip' ? r.pipe(process.getBuiltinModule('node:zlib').createGunzip()) : r;
        // Strings, not Buffers: V8 joins them lazily, saving a copy of a multi-megabyte LIST before JSON.parse.
        let text = '';
        body.setEncoding('utf8');
        body.on('data', (c: string) => (text += c));
        body.on('error', reject);
        body.on('end', () => {
          let parsed: unknown = text;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            // not JSON (a proxy's HTML error page, say): keep the text for the message
          }
          resolve({ status: r.statusCode ?? 0, body: parsed, ...sentWith(headers), ...(r.headers['retry-after'] ? { retryAfter: String(r.headers['retry-after']) } : {}) });
        });
        r.on('error', reject);
      });
      req.on('timeout', () => req.destroy(Object.assign(new Error('request timed out'), { code: 'ETIMEDOUT' })));
      req.on('error', reject);
      req.end(payload);
    }).catch((err: NodeJS.ErrnoException) => {
      throw this.unreachable(err);
    });
    return res;
  }

  /**
   * Streams a watch: calls onEvent for each JSON line until the server ends the response (resolves), the signal
   * aborts (resolves), or the connection fails (rejects). A non-200 answer rejects with an ApiError; a 401 first
   * asks for fresh credentials once, as send() does. Returns how many lines the server sent.
   */
  async watch(path: string, onEvent: (event: unknown) => boolean | void, signal: AbortSignal): Promise<number> {
    let res = await this.watchOnce(path, onEvent, signal);
    if (res.status === 401 && this.canRefresh()) {
      await this.renewCredentials(res.sentWith);
      res = await this.watchOnce(path, onEvent, signal);
    }
    if (res.status === 200) return res.events;
    if (res.status === 401) throw this.unauthorized();
    throw apiError(res.status, res.body, `cannot watch ${path.split('?')[0]}: ${statusMessage(res.body)}`, retryAfterSeconds(res.retryAfter));
  }

  private async watchOnce(path: string, onEvent: (event: unknown) => boolean | void, signal: AbortSignal): Promise<Sent & { events: number }> {
    const { url, headers, send, agent } = await this.prepare(path, {});
    return new Promise((resolve, reject) => {
      let events = 0;
      if (signal.aborted) return resolve({ status: 200, body: undefined, events });
      const req = send(url, { method: 'GET', headers, agent, signal }, (r) => {
        r.setEncoding('utf8');
        if (r.statusCode !== 200) {
          let text = '';
          r.on('data', (c: string) => (text += c));
          r.on('end', () => resolve({ status: r.statusCode ?? 0, body: safeJson(text), events, ...sentWith(headers), ...(r.headers['retry-after'] ? { retryAfter: String(r.headers['retry-after']) } : {}) }));
          return;
        }
        let pending = '';
        let stopped = false;
        r.on('data', (chunk: string) => {
          if (stopped) return;
          pending += chunk;
          let nl: number;
          try {
            while ((nl = pending.indexOf('\n')) >= 0) {
              const line = pending.slice(0, nl);
              pending = pending.slice(nl + 1);
              if (!line.trim()) continue;
              events++;
              if (onEvent(JSON.parse(line)) === false) throw new StopWatch();
            }
          } catch (err) {
            stopped = true;
            req.destroy();
            // A handler may end the watch (an ERROR event); its other errors reach the caller instead of escaping
            // the event loop.
            if (err instanceof StopWatch) resolve({ status: 200, body: undefined, events });
            else reject(err);
          }
        });
        r.on('end', () => resolve({ status: 200, body: undefined, events }));
        r.on('error', (err) => (signal.aborted || stopped ? resolve({ status: 200, body: undefined, events }) : reject(new ApiError('unreachable', `watch ended: ${describeNetworkError(err)}`))));
      });
      req.on('error', (err: NodeJS.ErrnoException) => {
        if (signal.aborted || err instanceof StopWatch) resolve({ status: 200, body: undefined, events });
        else reject(this.unreachable(err));
      });
      req.end();
    });
  }

  private unreachable(err: NodeJS.ErrnoException): ApiError {
    return new ApiError('unreachable', `cannot reach the cluster at ${this.conn.describe}: ${describeNetworkError(err)}`);
  }

  close(): void {
    this.agent.destroy();
    this.plainAgent?.destroy();
  }
}

/** An answer, with the Authorization its request carried: what a 401 refused. */
interface Sent extends ApiResponse {
  sentWith?: string;
}

/** The answer without the credentials it was asked with, which must go no further. */
function answer({ sentWith: _, ...res }: Sent): ApiResponse {
  return res;
}

function sentWith(headers: Record<string, string | string[]>): { sentWith?: string } {
  return typeof headers.Authorization === 'string' ? { sentWith: headers.Authorization } : {};
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Thrown by an event handler's `false`: the watch ends there, as client-go's does on an ERROR event. */
class StopWatch extends Error {}

function describeNetworkError(err: NodeJS.ErrnoException): string {
  // Already in Go's words, as kubectl prints them.
  if (err instanceof TransportTimeout) return err.message;
  const known: Record<string, string> = {
    ECONNREFUSED: 'connection refused',
    ENOTFOUND: 'host not found',
    ETIMEDOUT: 'timed out',
    ECONNRESET: 'connection reset',
    EHOSTUNREACH: 'host unreachable',
    DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed certificate (set certificate-authority, or --insecure-skip-tls-verify)',
    UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'certificate not trusted (check certificate-authority)',
    SELF_SIGNED_CERT_IN_CHAIN: 'certificate not trusted (check certificate-authority)',
    ERR_TLS_CERT_ALTNAME_INVALID: 'the server certificate does not match its address',
  };
  return (err.code && known[err.code]) ?? err.code ?? err.message.split('\n')[0] ?? 'unknown error';
}
