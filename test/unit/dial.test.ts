// client-go's limits on reaching a cluster (src/cluster/dial.ts), against loopback servers that fail as a cluster
// out of reach does (test/support/dead-servers.ts: a real API server cannot show either failure on demand): a
// connect whose SYNs go unanswered gives up after 30 s, a TLS handshake that never ends after 10 s, directly,
// through each kind of proxy, and for a fleet, in Go's words and with exit 4. The limits are the real ones, not a
// test's: every slow call starts at once in `before`, so the file takes ~30 s, not minutes.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../src/cli.ts';
import { Api } from '../../src/cluster/http.ts';
import { resolveConnection } from '../../src/cluster/kubeconfig.ts';
import { restoreDefaultTrust } from '../../src/cluster/trust.ts';
import { ClusterError } from '../../src/errors.ts';
import { silentServer, unansweredPort, type DeadServer } from '../support/dead-servers.ts';
import { recordingIO } from '../support/io.ts';
import { tcpConnections } from '../support/proc-tcp.ts';
import { connectProxy, echoServer, makePki, socksProxy } from '../support/tls-server.ts';

describe("client-go's dial and TLS handshake limits", function () {
  this.timeout(90_000);
  const dir = mkdtempSync(join(tmpdir(), 'dial-'));
  let silent: DeadServer;
  let unanswered: DeadServer;
  const closers: Array<() => unknown> = [];
  const outcomes = new Map<string, Promise<string>>();

  const kubeconfig = (contexts: Record<string, Record<string, unknown>>) => {
    const file = join(dir, `k${Math.random().toString(36).slice(2)}.yaml`);
    const names = Object.keys(contexts);
    writeFileSync(file, JSON.stringify({
      clusters: names.map((name) => ({ name, cluster: { 'insecure-skip-tls-verify': true, ...contexts[name] } })),
      users: [{ name: 'u', user: { token: 'secret' } }],
      contexts: names.map((name) => ({ name, context: { cluster: name, user: 'u' } })),
      'current-context': names[0],
    }));
    return file;
  };
  // What one GET to a server in context "x" ends with: the ClusterError's message.
  const failure = async (cluster: Record<string, unknown>): Promise<string> => {
    const api = new Api(resolveConnection({ kubeconfig: kubeconfig({ x: cluster }) }, {}));
    try {
      await api.get('/version');
      return 'answered';
    } catch (err) {
      return err instanceof ClusterError ? err.message : `not a ClusterError: ${String(err)}`;
    } finally {
      api.close();
    }
  };
  const cli = async (args: string[], file: string) => {
    const io = recordingIO({ env: { TZ: 'UTC', NO_COLOR: '1', KUBECONFIG: file } });
    const code = await run(args, io);
    return `exit ${code}\n${io.stdout}${io.stderr}`;
  };

  before(async () => {
    silent = await silentServer();
    unanswered = await unansweredPort();
    const tunnel = await connectProxy();
    const socks = await socksProxy();
    closers.push(() => silent.close(), () => unanswered.close(), () => tunnel.server.close(), () => socks.server.close());
    const S = `https://127.0.0.1:${silent.port}`;
    const U = `127.0.0.1:${unanswered.port}`;
    const fleet = kubeconfig({ stalled: { server: S }, blackholed: { server: `https://${U}` } });
    // Started together, awaited one by one below.
    const slow: Record<string, () => Promise<string>> = {
      handshake: () => failure({ server: S }),
      connectTunnel: () => failure({ server: S, 'proxy-url': tunnel.url }),
      socksTunnel: () => failure({ server: S, 'proxy-url': socks.url }),
      httpsProxy: () => failure({ server: 'https://api.test:443', 'proxy-url': S }),
      dial: () => failure({ server: `https://${U}` }),
      dialPlain: () => failure({ server: `http://${U}` }),
      dialProxy: () => failure({ server: 'https://api.test:443', 'proxy-url': `http://${U}` }),
      fleet: () => cli(['tree', '--all-contexts'], fleet),
      oneContext: () => cli(['tree', '--context', 'stalled'], fleet),
    };
    for (const [name, call] of Object.entries(slow)) outcomes.set(name, call());
  });
  after(async () => {
    await Promise.allSettled(outcomes.values());
    for (const close of closers) await close();
    restoreDefaultTrust();
  });
  const outcome = (name: string) => outcomes.get(name) as Promise<string>;

  it('gives up on a TLS handshake the server never answers after 10 s: net/http: TLS handshake timeout', async () => {
    assert.equal(await outcome('handshake'), `cannot reach the cluster at https://127.0.0.1:${silent.port} (context x): net/http: TLS handshake timeout`);
  });

  it('gives the API server’s handshake inside a CONNECT or SOCKS5 tunnel the same 10 s, as Go does', async () => {
    for (const name of ['connectTunnel', 'socksTunnel']) {
      assert.equal(await outcome(name), `cannot reach the cluster at https://127.0.0.1:${silent.port} (context x): net/http: TLS handshake timeout`, name);
    }
  });

  it('gives the handshake with an https proxy 10 s too, said as Go says a proxy failure (proxyconnect tcp)', async () => {
    assert.equal(await outcome('httpsProxy'), 'cannot reach the cluster at https://api.test:443 (context x): proxyconnect tcp: net/http: TLS handshake timeout');
  });

  it('gives up on a connect whose SYNs go unanswered after 30 s: dial tcp ADDR: i/o timeout, for https and http', async () => {
    assert.equal(await outcome('dial'), `cannot reach the cluster at https://127.0.0.1:${unanswered.port} (context x): dial tcp 127.0.0.1:${unanswered.port}: i/o timeout`);
    assert.equal(await outcome('dialPlain'), `cannot reach the cluster at http://127.0.0.1:${unanswered.port} (context x): dial tcp 127.0.0.1:${unanswered.port}: i/o timeout`);
  });

  it('gives the connect to a proxy the same 30 s: proxyconnect tcp: dial tcp ADDR: i/o timeout', async () => {
    assert.equal(await outcome('dialProxy'), `cannot reach the cluster at https://api.test:443 (context x): proxyconnect tcp: dial tcp 127.0.0.1:${unanswered.port}: i/o timeout`);
  });

  it('ends a fleet whose contexts are out of reach: each its row, exit 4, rather than hanging', async () => {
    assert.equal(await outcome('fleet'), [
      'exit 4',
      'CONTEXT     RESULT       SUMMARY',
      `blackholed  unreachable  cannot reach the cluster at https://127.0.0.1:${unanswered.port} (context blackholed): dial tcp 127.0.0.1:${unanswered.port}: i/o timeout`,
      `stalled     unreachable  cannot reach the cluster at https://127.0.0.1:${silent.port} (context stalled): net/http: TLS handshake timeout`,
      '',
    ].join('\n'));
  });

  it('says it in one line with exit 4 (cluster access) for one context', async () => {
    assert.equal(await outcome('oneContext'), `exit 4\n✗ cannot reach the cluster at https://127.0.0.1:${silent.port} (context stalled): net/http: TLS handshake timeout\n`);
  });
});

describe('TCP keep-alive on connections to the API server', () => {
  it('probes after 30 s of silence, as client-go’s dialer, not after Node’s 1 s: over https and plain http', async () => {
    const pki = makePki();
    pki.sign('api', '/CN=api', 'IP:127.0.0.1');
    const https = await echoServer(pki, 'api');
    let clientPort = 0;
    const plain: Server = createServer((req, res) => ((clientPort = req.socket.remotePort ?? 0), res.end('{}')));
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    try {
      for (const server of [`https://127.0.0.1:${https.port}`, `http://127.0.0.1:${(plain.address() as AddressInfo).port}`]) {
        const api = new Api({ server, ca: pki.pem('ca.crt'), insecure: false, headers: {}, describe: server });
        https.server.once('secureConnection', (s) => (clientPort = s.remotePort ?? 0));
        await api.get('/version');
        const seconds = tcpConnections().find((c) => c.localPort === clientPort && c.remotePort === Number(new URL(server).port))?.keepAliveIn;
        api.close();
        assert.ok(seconds !== undefined && seconds > 10 && seconds <= 30, `${server}: keep-alive timer ${seconds}`);
      }
    } finally {
      https.server.close();
      plain.close();
      restoreDefaultTrust();
    }
  });
});
