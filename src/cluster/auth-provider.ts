// Auth providers (OIDC, gcp, azure) are left to client-node, loaded only for them: it caches and refreshes their
// tokens as kubectl would.
import type { KubeConfigFile } from './kubeconfig-files.ts';
import { restoreDefaultTrust } from './trust.ts';

/** authorize() for an auth-provider user, run by client-node exactly as configured. */
export function delegated(files: KubeConfigFile[], context?: string, cluster?: string, user?: string, server?: string) {
  return async () => {
    // client-node may fetch a token over HTTPS from elsewhere (OIDC): with Node's trust, not the cluster's CA.
    restoreDefaultTrust();
    const k8s = await import('@kubernetes/client-node');
    const kc = new k8s.KubeConfig();
    const u = files.flatMap((f) => f.users ?? []).find((x) => x.name === user);
    kc.loadFromOptions({
      clusters: [{ name: cluster ?? 'cluster', server, skipTLSVerify: true }],
      users: [{ name: user ?? 'user', ...toClientNodeUser(u?.user ?? {}) }],
      contexts: [{ name: context ?? 'context', cluster: cluster ?? 'cluster', user: user ?? 'user' }],
      currentContext: context ?? 'context',
    });
    const opts: { headers?: Record<string, string> } = {};
    await kc.applyToHTTPSOptions(opts);
    return opts.headers?.Authorization ?? opts.headers?.authorization;
  };
}

// client-node's loadFromOptions takes camelCase user fields.
function toClientNodeUser(u: Record<string, unknown>) {
  return u['auth-provider'] ? { authProvider: u['auth-provider'] } : {};
}
