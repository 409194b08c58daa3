// The HTTPS agent every request to the API server goes through: the kubeconfig's trust (trust.ts), its
// tls-server-name, a proxy when one applies, and a client certificate an exec plugin may hand over at any time.
import { Agent, type AgentOptions, type RequestOptions } from 'node:https';
import type { Duplex } from 'node:stream';
import type { Socket } from 'node:net';
import type { SecureContext } from 'node:tls';
import type { Connection } from './kubeconfig.ts';
import { apiServerContext } from './trust.ts';

type ConnectOptions = AgentOptions & { host: string; port: number; servername?: string; secureContext?: SecureContext };
type Pair = { cert: Buffer; key: Buffer };

/** The agent for one Connection. A plain node:https Agent unless a proxy or an exec plugin's certificate needs more. */
export function createAgent(conn: Connection): Agent {
  const options: AgentOptions = {
    keepAlive: true,
    secureContext: apiServerContext(conn.ca, conn.cert, conn.key),
    rejectUnauthorized: !conn.insecure,
    // SNI and the name the certificate is checked against, as client-go's tls.Config.ServerName.
    ...(conn.tlsServerName ? { servername: conn.tlsServerName } : {}),
  };
  if (!conn.proxy && !conn.clientCertificate) return new Agent(options);
  return new ApiServerAgent(options, conn);
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
    const connect = (extra: object) => super.createConnection({ ...options, secureContext, ...extra } as RequestOptions) as Socket;
    if (!this.conn.proxy) return connect({});
    const proxy = new URL(this.conn.proxy);
    // Loaded only when a proxy applies.
    import('./proxy.ts')
      .then(({ openTunnel }) => openTunnel(proxy, options.host, options.port, { secureContext, rejectUnauthorized: options.rejectUnauthorized !== false }, this.conn.timeoutMs))
      .then((socket) => callback(null, connect({ socket })), (err: Error) => callback(err));
    return undefined;
  }
}
