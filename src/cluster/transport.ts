// The agents every request to the API server goes through: the kubeconfig's trust (trust.ts), its tls-server-name,
// a proxy when one applies, a client certificate an exec plugin may hand over at any time, and client-go's dial
// and TLS handshake limits and keep-alive (dial.ts) on every connection, direct or through a proxy.
import type { Agent as HttpAgent } from 'node:http';
import { Agent, type AgentOptions, type RequestOptions } from 'node:https';
import type { Duplex } from 'node:stream';
import type { Socket } from 'node:net';
import type { SecureContext, TLSSocket } from 'node:tls';
import { KEEP_ALIVE_MS, limitDial, limitHandshake } from './dial.ts';
import type { Connection } from './kubeconfig.ts';
import { apiServerContext } from './trust.ts';

type ConnectOptions = AgentOptions & { host: string; port: number; servername?: string; secureContext?: SecureContext };
type Pair = { cert: Buffer; key: Buffer };

/** The HTTPS agent for one Connection. */
export function createAgent(conn: Connection): Agent {
  return new ApiServerAgent({
    // keepAliveMsecs is the TCP keep-alive a pooled connection gets (Node's default: a probe after 1 s of silence).
    keepAlive: true,
    keepAliveMsecs: KEEP_ALIVE_MS,
    secureContext: apiServerContext(conn.ca, conn.cert, conn.key),
    rejectUnauthorized: !conn.insecure,
    // SNI and the name the certificate is checked against, as client-go's tls.Config.ServerName.
    ...(conn.tlsServerName ? { servername: conn.tlsServerName } : {}),
  }, conn);
}

/** The agent for a plain-HTTP server (kubectl proxy): the same dial limit and keep-alive. */
export function createPlainAgent(http: typeof import('node:http')): HttpAgent {
  class PlainAgent extends http.Agent {
    override createConnection(opts: RequestOptions, cb?: (err: Error | null, stream: Duplex) => void): Duplex | undefined {
      const socket = super.createConnection(opts, cb) as Socket;
      limitDial(socket, String(opts.host ?? 'localhost'), Number(opts.port ?? 80));
      return socket;
    }
  }
  return new PlainAgent({ keepAlive: true, keepAliveMsecs: KEEP_ALIVE_MS });
}

class ApiServerAgent extends Agent {
  private readonly conn: Connection;
  private readonly base: SecureContext;
  private pair?: Pair;
  private context?: SecureContext;
  private generation = 0;

  constructor(options: AgentOptions, conn: Connection) {
    super(options);
    this.conn = conn;
    this.base = options.secureContext as SecureContext;
  }

  // Pooled sockets are keyed by name: a rotated client certificate makes a new name, so no request goes out on a
  // connection made with the old one (client-go closes those connections; the idle ones are closed here).
  override getName(options?: ConnectOptions): string {
    this.current();
    return `${super.getName(options)}:${this.generation}`;
  }

  private current(): SecureContext {
    const pair = this.conn.clientCertificate?.();
    if (!pair) return this.base;
    if (pair !== this.pair) {
      if (this.pair) {
        this.generation++;
        for (const sockets of Object.values(this.freeSockets)) for (const s of sockets ?? []) s.destroy();
      }
      this.pair = pair;
      this.context = apiServerContext(this.conn.ca, pair.cert, pair.key);
    }
    return this.context as SecureContext;
  }

  override createConnection(opts: RequestOptions, cb?: (err: Error | null, stream: Duplex) => void): Duplex | undefined {
    const options = opts as ConnectOptions;
    const callback = cb as (err: Error | null, socket?: Socket) => void;
    let secureContext: SecureContext;
    try {
      secureContext = this.current();
    } catch (err) {
      callback(err as Error);
      return undefined;
    }
    // Through node:https' own createConnection, which resumes TLS sessions: without that, every parallel
    // connection of a start pays a full handshake (tree -A as an exec user: ~30 ms).
    const connect = (extra: object) => super.createConnection({ ...options, secureContext, ...extra } as RequestOptions) as TLSSocket;
    if (!this.conn.proxy) {
      const socket = connect({});
      limitDial(socket, options.host, options.port, () => limitHandshake(socket));
      return socket;
    }
    const proxy = new URL(this.conn.proxy);
    // Loaded only when a proxy applies. The API server's handshake, inside the tunnel, has the same 10 s (Go's
    // dialConn runs addTLS with its timeout after CONNECT or SOCKS).
    import('./proxy.ts')
      .then(({ openTunnel }) => openTunnel(proxy, options.host, options.port, { secureContext, rejectUnauthorized: options.rejectUnauthorized !== false }, this.conn.timeoutMs))
      .then((tunnel) => {
        const socket = connect({ socket: tunnel });
        limitHandshake(socket);
        callback(null, socket);
      }, (err: Error) => callback(err));
    return undefined;
  }
}
