// client-go's limits on reaching a server, put on Node's sockets. client-go dials with net.Dialer{Timeout: 30s,
// KeepAlive: 30s} and gives a TLS handshake 10 s (k8s.io/client-go/transport/cache.go; http.DefaultTransport, which
// it uses for a config without TLS and which apimachinery's SetOldTransportDefaults falls back on, has the same);
// beyond those a request has no limit unless --request-timeout sets one. Node has none of them: a SYN that is
// blackholed (a private endpoint off the VPN) waits out the kernel's retries, ~130 s on Linux, and a server that
// accepts and never answers the ClientHello waits forever. The messages are Go's, as kubectl prints them after
// "Unable to connect to the server: ".
import { isIP, type Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';

export const DIAL_TIMEOUT_MS = 30_000;
export const TLS_HANDSHAKE_TIMEOUT_MS = 10_000;
/**
 * TCP keep-alive: the first probe after 30 s of silence, as client-go's dialer sets it. A healthy peer answers a
 * probe from its kernel, so an idle watch lives on; only a peer gone silent is found out. Go (1.23 on) probes every
 * 15 s after that, 9 times; Node (libuv) every second, 10 times, and has no way to set either: a vanished peer is
 * found after ~40 s here where kubectl takes ~165 s.
 */
export const KEEP_ALIVE_MS = 30_000;

/** A limit passed, in Go's words (`dial tcp 10.0.0.1:443: i/o timeout`, `net/http: TLS handshake timeout`). */
export class TransportTimeout extends Error {}

/**
 * Gives `socket`'s connect 30 s, name lookup included as in Go, then destroys it with Go's error: `dial tcp
 * ADDR: i/o timeout`, or `dial tcp: lookup HOST: i/o timeout` when the name gave no address in time. ADDR is the
 * address still being tried when the time ran out (Go names the first it tried: the same for a name with one
 * address). Once connected: keep-alive, and `connected` (a TLS handshake's limit starts there, as Go's addTLS
 * starts its timer after the dial).
 */
export function limitDial(socket: Socket, host: string, port: number, connected?: () => void): void {
  let tried = isIP(host) ? hostPort(host, port) : undefined;
  const onAttempt = (ip: string, p: number) => (tried = hostPort(ip, p));
  socket.on('connectionAttempt', onAttempt);
  const timer = setTimeout(() => {
    socket.destroy(new TransportTimeout(tried ? `dial tcp ${tried}: i/o timeout` : `dial tcp: lookup ${host}: i/o timeout`));
  }, DIAL_TIMEOUT_MS);
  const done = () => (clearTimeout(timer), socket.off('connectionAttempt', onAttempt).off('close', done));
  socket.once('close', done);
  socket.once('connect', () => {
    done();
    socket.setKeepAlive(true, KEEP_ALIVE_MS);
    connected?.();
  });
}

/** Gives a TLS handshake begun now 10 s (Go's TLSHandshakeTimeout), then destroys the socket with Go's error. */
export function limitHandshake(socket: TLSSocket): void {
  const timer = setTimeout(() => socket.destroy(new TransportTimeout('net/http: TLS handshake timeout')), TLS_HANDSHAKE_TIMEOUT_MS);
  const done = () => (clearTimeout(timer), socket.off('secureConnect', done).off('close', done));
  socket.once('secureConnect', done).once('close', done);
}

// As Go's net.JoinHostPort: an IPv6 address in brackets.
function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
