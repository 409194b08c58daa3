// A scripted API server on 127.0.0.1 (plain HTTP, as `kubectl proxy` serves), for the failure modes a real
// kube-apiserver cannot be made to show on demand: watch ERROR events, watches closed at once, 401s, 429s,
// expired continue tokens. Each test scripts the answers and reads back what was asked, and when.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Api } from '../../src/cluster/http.ts';
import type { Connection } from '../../src/cluster/kubeconfig.ts';
import { LiveReader } from '../../src/cluster/live-reader.ts';

export interface Seen {
  method: string;
  path: string;
  query: URLSearchParams;
  watch: boolean;
  authorization?: string;
  at: number;
}

export type Script = (req: IncomingMessage, res: ServerResponse, seen: Seen) => void;

export class FakeApi {
  readonly seen: Seen[] = [];
  private server?: Server;
  private readonly open = new Set<ServerResponse>();

  private readonly script: Script;

  constructor(script: Script) {
    this.script = script;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const seen: Seen = {
        method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, watch: url.searchParams.get('watch') === 'true',
        ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}), at: Date.now(),
      };
      this.seen.push(seen);
      this.open.add(res);
      res.on('close', () => this.open.delete(res));
      this.script(req, res, seen);
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
    return this;
  }

  url = '';

  connection(extra: Partial<Connection> = {}): Connection {
    return { server: this.url, insecure: false, headers: {}, describe: this.url, ...extra };
  }

  reader(extra: Partial<Connection> = {}): LiveReader {
    return new LiveReader(this.connection(extra));
  }

  api(extra: Partial<Connection> = {}): Api {
    return new Api(this.connection(extra));
  }

  watches(): Seen[] {
    return this.seen.filter((s) => s.watch);
  }

  lists(): Seen[] {
    return this.seen.filter((s) => !s.watch && s.method === 'GET');
  }

  async stop(): Promise<void> {
    for (const res of this.open) res.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** Answers with JSON. */
export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** A Kubernetes Status body. */
export function status(code: number, reason: string, message: string): Record<string, unknown> {
  return { kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason, message };
}

/** A List answer of ConfigMaps named `names`, at `resourceVersion`, with an optional continue token. */
export function configMapList(names: string[], resourceVersion = '100', cont?: string): Record<string, unknown> {
  return {
    kind: 'ConfigMapList', apiVersion: 'v1',
    metadata: { resourceVersion, ...(cont ? { continue: cont } : {}) },
    items: names.map((name, i) => ({ metadata: { name, namespace: 'default', resourceVersion: String(Number(resourceVersion) + i) } })),
  };
}

/** A watch answer: one JSON line per event, then the response stays open unless `end`. */
export function watchEvents(res: ServerResponse, events: unknown[], end: boolean): void {
  res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
  for (const e of events) res.write(JSON.stringify(e) + '\n');
  if (end) res.end();
}

/** An authorize() as the credential sources behave: the same answer until asked to refresh. */
export function cachingCredentials(next: () => string): (opts?: { refresh?: boolean }) => Promise<string> {
  let current: string | undefined;
  return async ({ refresh = false } = {}) => (current = refresh || current === undefined ? next() : current);
}
