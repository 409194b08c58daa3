// Servers that fail the way a cluster out of reach does, on loopback, for failure modes a real API server cannot
// show on demand: one that accepts a connection and never says a word (a TLS handshake that never ends), and a
// port whose SYNs go unanswered (what a private endpoint off the VPN does), made by a listener that never accepts.
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { Worker } from 'node:worker_threads';

export interface DeadServer {
  port: number;
  close(): Promise<void>;
}

/** Accepts TCP connections on 127.0.0.1 and never answers them. */
export async function silentServer(): Promise<DeadServer & { accepted: () => number }> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server = createServer((s) => {
    accepted++;
    sockets.add(s.on('error', () => {}).on('close', () => sockets.delete(s)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    accepted: () => accepted,
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}

/**
 * A port on 127.0.0.1 whose SYNs are dropped. A listener with a backlog of 1 in a thread that blocks right after
 * listen(), so nothing ever accepts; two connections fill its accept queue, and Linux then drops every further SYN
 * (as it does when a queue overflows), so a connect waits as for an unroutable address: the client retries the SYN
 * until it gives up, ~130 s by default.
 */
export async function unansweredPort(): Promise<DeadServer> {
  const worker = new Worker(`
    const { parentPort } = require('node:worker_threads');
    const server = require('node:net').createServer();
    server.listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => {
      parentPort.postMessage(server.address().port);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
    });`, { eval: true });
  const port = await new Promise<number>((resolve, reject) => worker.once('message', resolve).once('error', reject));
  const fillers: Socket[] = [];
  for (let i = 0; i < 2; i++) {
    await new Promise<void>((resolve, reject) => {
      const s = connect(port, '127.0.0.1', resolve).once('error', reject);
      fillers.push(s);
    });
  }
  return {
    port,
    close: async () => {
      for (const s of fillers) s.destroy();
      await worker.terminate();
    },
  };
}
