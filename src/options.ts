// The flags every command shares, named and defaulted as kubectl and flux name them (CONTRACT.md), and the
// typed values commands receive. No module-level flag state: options are parsed per run and passed in.
import type { Args, Flag } from './args.ts';
import type { ClusterFlags } from './cluster/kubeconfig.ts';
import { serverValue } from './flag-values.ts';
import type { IO } from './io.ts';

export interface GlobalOptions {
  cluster: ClusterFlags;
  namespace: string;
  allNamespaces: boolean;
  selector?: string;
  from?: string;
  color: boolean;
}

const cluster = 'Cluster flags (as kubectl)';
const scope = 'Scope and input';

/** The shared flags; the namespace default follows $FLUX_SYSTEM_NAMESPACE, as the flux CLI's does. */
export function globalFlags(env: NodeJS.ProcessEnv): Flag[] {
  return [
    { name: 'namespace', short: 'n', type: 'string', default: env.FLUX_SYSTEM_NAMESPACE || 'flux-system', describe: 'The namespace in scope', group: scope },
    { name: 'all-namespaces', short: 'A', type: 'boolean', describe: 'Every namespace', group: scope },
    { name: 'selector', short: 'l', type: 'string', describe: 'Label selector on Kustomizations and HelmReleases', group: scope },
    { name: 'from', type: 'string', describe: 'Read objects from files, a directory, or - (stdin) instead of a cluster', group: scope },
    { name: 'color', type: 'boolean', default: true, describe: 'Colour on a terminal; --no-color (or NO_COLOR) turns it off', group: scope },
    { name: 'kubeconfig', type: 'string', describe: 'Path to the kubeconfig file ($KUBECONFIG, else ~/.kube/config)', group: cluster },
    { name: 'context', type: 'string', describe: 'The kubeconfig context to use; a,b,c for several', group: cluster },
    { name: 'cluster', type: 'string', describe: 'The kubeconfig cluster to use', group: cluster },
    { name: 'user', type: 'string', describe: 'The kubeconfig user to use', group: cluster },
    { name: 'server', short: 's', type: 'string', describe: 'The address of the Kubernetes API server', group: cluster },
    { name: 'tls-server-name', type: 'string', describe: 'Server name for the server certificate check and SNI (default: the server host)', group: cluster },
    { name: 'token', type: 'string', describe: 'Bearer token for authentication', group: cluster },
    { name: 'as', type: 'string', describe: 'Username to impersonate', group: cluster },
    { name: 'as-uid', type: 'string', describe: 'UID to impersonate', group: cluster },
    { name: 'as-group', type: 'strings', describe: 'Group to impersonate (repeatable)', group: cluster },
    { name: 'certificate-authority', type: 'string', describe: 'Path to a CA certificate file', group: cluster },
    { name: 'client-certificate', type: 'string', describe: 'Path to a client certificate file for TLS', group: cluster },
    { name: 'client-key', type: 'string', describe: 'Path to a client key file for TLS', group: cluster },
    { name: 'insecure-skip-tls-verify', type: 'boolean', describe: 'Do not verify the server certificate', group: cluster },
    { name: 'request-timeout', type: 'string', describe: 'Timeout of one request, e.g. 30s (0: none)', group: cluster },
  ];
}

/** The flag of the commands that run across contexts (fleet/run.ts): tree, why-blocked, lint, wait-for. */
export const allContextsFlag = { name: 'all-contexts', type: 'boolean', describe: 'Every context of the kubeconfig, in parallel: a row per context' } as const satisfies Flag;

/** The typed shared options from parsed arguments. */
export function globalOptions(args: Args, io: IO): GlobalOptions {
  const s = (k: string) => (typeof args[k] === 'string' ? (args[k] as string) : undefined);
  const flags: ClusterFlags = {};
  const set = <K extends keyof ClusterFlags>(k: K, v: ClusterFlags[K] | undefined) => {
    if (v !== undefined) flags[k] = v;
  };
  set('kubeconfig', s('kubeconfig'));
  set('context', s('context'));
  set('cluster', s('cluster'));
  set('user', s('user'));
  set('server', serverValue(s('server')));
  set('tlsServerName', s('tls-server-name'));
  set('token', s('token'));
  set('as', s('as'));
  set('asUid', s('as-uid'));
  set('asGroup', Array.isArray(args['as-group']) ? args['as-group'] : undefined);
  set('certificateAuthority', s('certificate-authority'));
  set('clientCertificate', s('client-certificate'));
  set('clientKey', s('client-key'));
  set('insecureSkipTlsVerify', typeof args['insecure-skip-tls-verify'] === 'boolean' ? args['insecure-skip-tls-verify'] : undefined);
  set('requestTimeout', s('request-timeout'));
  const selector = s('selector');
  const from = s('from');
  return {
    cluster: flags,
    namespace: s('namespace') ?? 'flux-system',
    allNamespaces: args['all-namespaces'] === true,
    ...(selector ? { selector } : {}),
    ...(from !== undefined ? { from } : {}),
    color: args.color !== false && !io.env.NO_COLOR,
  };
}
