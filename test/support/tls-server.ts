// A local HTTPS server standing in for an API server in unit tests, with certificates made by openssl (as
// testenv does): it answers every request with what it saw (SNI, client certificate, headers), and proxies
// (CONNECT and SOCKS5) that count what they were asked for.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer, type Server } from 'node:https';
import { connect, createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';

export interface Pki {
  dir: string;
  file(name: string): string;
  pem(name: string): Buffer;
  /** Signs a certificate `name`.crt/.key with the CA: a server's (with SANs) or a client's (CN, O). */
  sign(name: string, subject: string, san?: string): void;
}

export function makePki(): Pki {
  const dir = mkdtempSync(join(tmpdir(), 'pki-'));
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '1', '-subj', '/CN=test-ca');
  return {
    dir,
    file: (name) => join(dir, name),
    pem: (name) => readFileSync(join(dir, name)),
    sign(name, subject, san) {
      openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject);
      writeFileSync(join(dir, `${name}.ext`), san ? `subjectAltName=${san}\n` : 'extendedKeyUsage=clientAuth\n');
      openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '1', '-out', `${name}.crt`, '-extfile', `${name}.ext`);
    },
  };
}

export interface Seen {
  sni: string | false | null;
  clientCN?: string;
  headers: Record<string, string | string[] | undefined>;
}

/** An HTTPS server with certificate `name` that asks for (and does not require) a client certificate. */
export async function echoServer(pki: Pki, name: string): Promise<{ server: Server; port: number; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createHttpsServer({ key: pki.pem(`${name}.key`), cert: pki.pem(`${name}.crt`), ca: pki.pem('ca.crt'), requestCert: true, rejectUnauthorized: false }, (req, res) => {
    const socket = req.socket as TLSSocket;
    const peer = socket.getPeerCertificate();
    const s: Seen = { sni: socket.servername, headers: req.headers, ...(peer?.subject?.CN ? { clientCN: String(peer.subject.CN) } : {}) };
    seen.push(s);
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, seen };
}

/** A CONNECT proxy on 127.0.0.1 that sends every tunnel to 127.0.0.1 (so test host names need no DNS). */
export async function connectProxy(): Promise<{ server: HttpServer; url: string; connects: string[]; auth: Array<string | undefined> }> {
  const connects: string[] = [];
  const auth: Array<string | undefined> = [];
  const server = createHttpServer((_, res) => res.writeHead(405).end());
  server.on('connect', (req, client: Socket, head: Buffer) => {
    connects.push(req.url ?? '');
    auth.push(req.headers['proxy-authorization']);
    const port = Number(new URL(`http://${req.url}`).port);
    const upstream = connect(port, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client).pipe(upstream);
    });
    upstream.on('error', () => client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n'));
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, connects, auth };
}

/** A SOCKS5 proxy (no authentication) that sends every connection to 127.0.0.1; records host:port asked for. */
export async function socksProxy(): Promise<{ server: NetServer; url: string; connects: string[] }> {
  const connects: string[] = [];
  const server = createNetServer((client) => {
    client.once('data', () => {
      client.write(Buffer.from([5, 0]));
      client.once('data', (req: Buffer) => {
        const type = req[3];
        const host = type === 3 ? req.subarray(5, 5 + (req[4] as number)).toString() : [...req.subarray(4, 8)].join('.');
        const at = type === 3 ? 5 + (req[4] as number) : 8;
        const port = req.readUInt16BE(at);
        connects.push(`${host}:${port}`);
        const upstream = connect(port, '127.0.0.1', () => {
          client.write(Buffer.from([5, 0, 0, 1, 127, 0, 0, 1, 0, 0]));
          upstream.pipe(client).pipe(upstream);
        });
        upstream.on('error', () => client.destroy());
      });
    });
    client.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `socks5://127.0.0.1:${(server.address() as AddressInfo).port}`, connects };
}
