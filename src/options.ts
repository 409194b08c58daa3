// The flags every command shares, named and defaulted as kubectl and flux name them (CONTRACT.md), and the
// typed values commands receive. No module-level flag state: options are parsed per run and passed in.
import type { Argv } from 'yargs';
import type { ClusterFlags } from './cluster/kubeconfig.ts';
import type { IO } from './io.ts';

export interface GlobalOptions {
  cluster: ClusterFlags;
  namespace: string;
  allNamespaces: boolean;
  selector?: string;
  from?: string;
  color: boolean;
}

const clusterGroup = 'Cluster flags (as kubectl):';
const scopeGroup = 'Scope and input:';

/** Registers the shared flags on the top-level parser, for every command. */
export function globalFlags<T>(y: Argv<T>, env: NodeJS.ProcessEnv) {
  return y
    .option('namespace', { alias: 'n', type: 'string', default: env.FLUX_SYSTEM_NAMESPACE || 'flux-system', describe: 'The namespace in scope ($FLUX_SYSTEM_NAMESPACE overrides the default)', group: scopeGroup, global: true })
    .option('all-namespaces', { alias: 'A', type: 'boolean', default: false, describe: 'Every namespace', group: scopeGroup, global: true })
    .option('selector', { alias: 'l', type: 'string', describe: 'Label selector on Kustomizations and HelmReleases', group: scopeGroup, global: true })
    .option('from', { type: 'string', describe: 'Read objects from files, a directory or - (stdin) instead of a cluster', group: scopeGroup, global: true })
    .option('color', { type: 'boolean', default: true, describe: 'Colour on a terminal; --no-color (or NO_COLOR) turns it off', global: true })
    .option('kubeconfig', { type: 'string', describe: 'Path to the kubeconfig file', group: clusterGroup, global: true })
    .option('context', { type: 'string', describe: 'The kubeconfig context to use', group: clusterGroup, global: true })
    .option('cluster', { type: 'string', describe: 'The kubeconfig cluster to use', group: clusterGroup, global: true })
    .option('user', { type: 'string', describe: 'The kubeconfig user to use', group: clusterGroup, global: true })
    .option('server', { alias: 's', type: 'string', describe: 'The address of the Kubernetes API server', group: clusterGroup, global: true })
    .option('token', { type: 'string', describe: 'Bearer token for authentication', group: clusterGroup, global: true })
    .option('as', { type: 'string', describe: 'Username to impersonate', group: clusterGroup, global: true })
    .option('as-group', { type: 'string', array: true, describe: 'Group to impersonate (repeatable)', group: clusterGroup, global: true })
    .option('certificate-authority', { type: 'string', describe: 'Path to a CA certificate file', group: clusterGroup, global: true })
    .option('insecure-skip-tls-verify', { type: 'boolean', describe: 'Do not verify the server certificate', group: clusterGroup, global: true })
    .option('request-timeout', { type: 'string', describe: 'Timeout of a single request, e.g. 30s (0: none)', group: clusterGroup, global: true });
}

/** The typed shared options from parsed arguments. */
export function globalOptions(argv: Record<string, unknown>, io: IO): GlobalOptions {
  const s = (k: string) => (typeof argv[k] === 'string' ? (argv[k] as string) : undefined);
  const cluster: ClusterFlags = {};
  const set = <K extends keyof ClusterFlags>(k: K, v: ClusterFlags[K] | undefined) => {
    if (v !== undefined) cluster[k] = v;
  };
  set('kubeconfig', s('kubeconfig'));
  set('context', s('context'));
  set('cluster', s('cluster'));
  set('user', s('user'));
  set('server', s('server'));
  set('token', s('token'));
  set('as', s('as'));
  set('asGroup', Array.isArray(argv['as-group']) ? (argv['as-group'] as string[]) : undefined);
  set('certificateAuthority', s('certificate-authority'));
  set('insecureSkipTlsVerify', typeof argv['insecure-skip-tls-verify'] === 'boolean' ? (argv['insecure-skip-tls-verify'] as boolean) : undefined);
  set('requestTimeout', s('request-timeout'));
  const selector = s('selector');
  const from = s('from');
  return {
    cluster,
    namespace: s('namespace') ?? 'flux-system',
    allNamespaces: argv['all-namespaces'] === true,
    ...(selector ? { selector } : {}),
    ...(from ? { from } : {}),
    color: argv.color !== false && !io.env.NO_COLOR,
  };
}
