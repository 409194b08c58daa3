// The TLS context every request to the API server uses, trusting what the kubeconfig says and nothing else, as
// kubectl does. Made the cheap way: Node builds its whole default root store (~140 bundled certificates, plus the
// file NODE_EXTRA_CA_CERTS names) for any secure context, even one given its own `ca`: 2-10 ms of a ~75 ms
// why-blocked (make bench). With the kubeconfig's CA as the process's default store, nothing else is parsed.
import { getCACertificates, setDefaultCACertificates, createSecureContext, type SecureContext } from 'node:tls';

let replaced = false;

/** One context for every connection (given ca, cert and key instead, each connection would parse them again). */
export function apiServerContext(ca?: Buffer, cert?: Buffer, key?: Buffer): SecureContext {
  const keys = { ...(cert ? { cert } : {}), ...(key ? { key } : {}) };
  const certificates = ca?.toString('utf8').match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g);
  if (certificates && typeof setDefaultCACertificates === 'function') {
    try {
      setDefaultCACertificates(certificates);
      replaced = true;
      // The context keeps the store it was made with, whatever the defaults become later.
      return createSecureContext(keys);
    } catch {
      // Not a certificate Node takes this way: give it as `ca`, which says what is wrong with it.
    }
  }
  return createSecureContext({ ...(ca ? { ca } : {}), ...keys });
}

/**
 * Node's own defaults again, before in-process code talks to other servers (client-node refreshing an OIDC
 * token from the identity provider).
 */
export function restoreDefaultTrust(): void {
  if (!replaced) return;
  setDefaultCACertificates([...getCACertificates('bundled'), ...getCACertificates('extra')]);
  replaced = false;
}
