// The API server's TLS context (src/cluster/trust.ts): it trusts the kubeconfig's CA and nothing else, also after
// Node's defaults are restored for client-node; CA bundles work. Certificates made with openssl, as testenv does.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, get, type RequestOptions, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getCACertificates, type SecureContext } from 'node:tls';
import { apiServerContext, restoreDefaultTrust } from '../../src/cluster/trust.ts';

const dir = mkdtempSync(join(tmpdir(), 'trust-'));
const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
const pem = (name: string) => readFileSync(join(dir, name));

describe('the API server TLS context', () => {
  let server: Server;
  let port = 0;
  before(async () => {
    for (const ca of ['ca1', 'ca2']) openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${ca}.key`, '-out', `${ca}.crt`, '-days', '1', '-subj', `/CN=${ca}`);
    openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost');
    writeFileSync(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1\n');
    openssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca2.crt', '-CAkey', 'ca2.key', '-CAcreateserial', '-days', '1', '-out', 'server.crt', '-extfile', 'san.ext');
    server = createServer({ key: pem('server.key'), cert: pem('server.crt') }, (_, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(() => {
    restoreDefaultTrust();
    server.close();
  });

  const fetch = (secureContext: SecureContext) => new Promise<string>((resolve) => {
    // https.get passes secureContext on to tls.connect; its type does not list it.
    get({ host: '127.0.0.1', port, path: '/', secureContext, agent: false } as RequestOptions, (res) => {
      res.resume();
      resolve(`ok ${res.statusCode}`);
    }).on('error', (err: NodeJS.ErrnoException) => resolve(`error ${err.code}`));
  });

  it("trusts a server the kubeconfig's CA signed, and not one another CA signed", async () => {
    assert.equal(await fetch(apiServerContext(pem('ca2.crt'))), 'ok 200');
    assert.equal(await fetch(apiServerContext(pem('ca1.crt'))), 'error UNABLE_TO_VERIFY_LEAF_SIGNATURE');
  });

  it('takes a CA bundle of several certificates', async () => {
    assert.equal(await fetch(apiServerContext(Buffer.concat([pem('ca1.crt'), pem('ca2.crt')]))), 'ok 200');
  });

  it("keeps trusting only the kubeconfig's CA once Node's defaults are back for client-node", async () => {
    const context = apiServerContext(pem('ca1.crt'));
    assert.equal(getCACertificates('default').length, 1);
    restoreDefaultTrust();
    assert.ok(getCACertificates('default').length > 100, "Node's bundled CAs are the defaults again");
    assert.equal(await fetch(context), 'error UNABLE_TO_VERIFY_LEAF_SIGNATURE');
  });

  it('a CA that is not a certificate trusts nothing', async () => {
    const context = apiServerContext(Buffer.from('-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n'));
    assert.equal(await fetch(context), 'error UNABLE_TO_VERIFY_LEAF_SIGNATURE');
  });
});
