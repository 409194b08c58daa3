// The MCP server's tools, as plain data: what each is for (the description a model reads to choose it), its
// parameters, and the command line it stands for. A tool runs its command (mcp/call.ts), so its answer is the
// CLI's own JSON; nothing here reads the cluster, and the schemas the SDK needs are made from these (mcp/schema.ts).
import type { Args } from '../args.ts';
import { UsageError } from '../errors.ts';
import { durationValue } from '../flag-values.ts';

export interface Param {
  type: 'string' | 'boolean' | 'integer' | 'strings';
  describe: string;
  choices?: readonly string[];
  /** The least an integer may be. */
  min?: number;
  required?: boolean;
}

/** A tool's arguments as the client sent them, checked against its schema by the SDK. */
export type Input = Record<string, unknown>;

/** What the server was started with that shapes its tools. */
export interface Settings {
  /** The namespace a REF is in when a call names none: the server's -n (flux-system by default). */
  namespace: string;
  allowReconcile: boolean;
  /** wait_for's and reconcile's timeout when a call gives none, and the most a call may ask for. */
  defaultTimeout: string;
  maxTimeout: string;
}

export interface Tool {
  name: string;
  /** The CLI command it runs. */
  command: string;
  title: string;
  description: string;
  params: Record<string, Param>;
  readOnly: boolean;
  /** Where the command writes the lines a call reports as MCP progress (wait-for's events, reconcile's steps). */
  progress?: 'out' | 'err';
  /** The command's arguments (flags by long name, positionals by name) for a call; throws UsageError. */
  args(input: Input, settings: Settings): Args;
}

const ref = (what: string): Param => ({ type: 'string', describe: `${what}: [ks|hr]/NAME, a Kustomization (ks, the default) or a HelmRelease (hr), e.g. apps or hr/podinfo` });

/** The parameters every tool has: which cluster (a context) and which namespace. */
function scope(settings: Settings, options: { all: boolean; fleet?: boolean }): Record<string, Param> {
  const several = options.fleet ? '; several, a,b,c, are asked in parallel: one answer per context' : '';
  return {
    context: { type: 'string', describe: `A context of the server's kubeconfig to ask, when not its current context${several}` },
    namespace: { type: 'string', describe: `The namespace (default ${settings.namespace})` },
    ...(options.all ? {
      all_namespaces: { type: 'boolean', describe: 'Every namespace' },
      selector: { type: 'string', describe: 'Only Kustomizations and HelmReleases with these labels, e.g. team=payments' },
    } : {}),
  } satisfies Record<string, Param>;
}

/** The scope parameters as the global flags they stand for: only those the call gave, over the server's own. */
function scopeArgs(input: Input): Args {
  const out: Args = {};
  if (typeof input.context === 'string') out.context = input.context;
  if (typeof input.namespace === 'string') out.namespace = input.namespace;
  // A namespace named in the call is the scope, even on a server started with -A.
  if (typeof input.all_namespaces === 'boolean') out['all-namespaces'] = input.all_namespaces;
  else if (typeof input.namespace === 'string') out['all-namespaces'] = false;
  if (typeof input.selector === 'string') out.selector = input.selector;
  return out;
}

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
const bool = (v: unknown) => v === true;

/** A call's timeout: the server's default when none is given, refused above its maximum. */
export function boundedTimeout(given: unknown, settings: Settings): string {
  const timeout = str(given) ?? settings.defaultTimeout;
  if (durationValue('timeout', timeout) > durationValue('max-timeout', settings.maxTimeout)) {
    throw new UsageError(`timeout ${timeout} is longer than this server allows (--max-timeout ${settings.maxTimeout})`);
  }
  return timeout;
}

/** Every tool the server can offer; reconcile only when it was started with --allow-reconcile (mcp/server.ts). */
export function tools(settings: Settings): Tool[] {
  return [
    {
      name: 'tree', command: 'tree', title: 'Flux dependsOn graph', readOnly: true,
      description: 'The dependsOn graph of Flux Kustomizations and HelmReleases with each one\'s live status (Ready, reason, message, suspended, revision), ' +
        'as JSON nodes and edges (an edge: "from" depends on "to"). Use it to see what depends on what, the rollout order, or the state of a whole chain; ' +
        'with ref, only what ref depends on (direction upstream) or what depends on it (downstream). A dependency that does not exist is a node with found: false. ' +
        'For why one object is not Ready, why_blocked answers directly.',
      params: {
        ref: ref('Only this object and its chain'),
        direction: { type: 'string', choices: ['upstream', 'downstream'], describe: 'With ref: upstream (the default) is what ref depends on; downstream is what depends on ref' },
        depth: { type: 'integer', min: 0, describe: 'Stop the walk after this many levels' },
        inventory: { type: 'boolean', describe: "Also each Kustomization's managed objects (status.inventory) with their health" },
        ...scope(settings, { all: true, fleet: true }),
      },
      args: (input) => {
        const out: Args = { ...scopeArgs(input), output: 'json' };
        if (str(input.ref) !== undefined) out.ref = str(input.ref);
        if (input.direction === 'downstream') out.downstream = true;
        if (typeof input.depth === 'number') out.depth = input.depth;
        if (bool(input.inventory)) out.inventory = true;
        return out;
      },
    },
    {
      name: 'why_blocked', command: 'why-blocked', title: 'Why a rollout is blocked', readOnly: true,
      description: 'Explains why a Flux Kustomization or HelmRelease is not Ready: walks every failing branch of its dependsOn chain and its source, and names the ' +
        'object holding the rollout (rootCauses: object, reason such as HealthCheckFailed, SourceNotReady, NotFound, Suspended, DependencyCycle, ReconciliationFailed, ' +
        'with the path from the target to it), down to the failing health-check objects, their pods and containers. Use it first when asked why something is ' +
        'stuck, failing, not deployed or not ready; "blocked": false means it is Ready at its current source revision.',
      params: { ref: { ...ref('The object to explain'), required: true }, ...scope(settings, { all: false, fleet: true }) },
      args: (input) => ({ ...scopeArgs(input), ref: str(input.ref), output: 'json' }),
    },
    {
      name: 'lint', command: 'lint', title: 'Check against Flux practice', readOnly: true,
      description: 'Checks Kustomizations and HelmReleases against Flux practice and returns the findings as JSON (rule, severity, object, message): dependency ' +
        'cycles, missing or wrong-kind dependencies, deep chains, missing health gating (wait/healthChecks), timeouts, CRDs applied with their users, sources. ' +
        'Use it to review a setup or before changing one; with ref, only it and what it depends on. An empty list means nothing to report.',
      params: {
        ref: ref('Only this object and what it depends on'),
        disable: { type: 'strings', describe: 'Rule ids to skip' },
        max_depth: { type: 'integer', min: 1, describe: 'deep-chain: the most dependsOn levels a path may have (default 4)' },
        ...scope(settings, { all: true, fleet: true }),
      },
      args: (input) => {
        const out: Args = { ...scopeArgs(input), output: 'json' };
        if (str(input.ref) !== undefined) out.ref = str(input.ref);
        if (Array.isArray(input.disable)) out.disable = input.disable.map(String);
        if (typeof input.max_depth === 'number') out['max-depth'] = input.max_depth;
        return out;
      },
    },
    {
      name: 'timeline', command: 'timeline', title: 'Where the rollout time went', readOnly: true,
      description: 'Where the last rollout\'s time went, from the objects\' conditions and events: per Kustomization and HelmRelease when it started and became ' +
        'Ready, how long it took and how long it only waited on its dependencies, requeues, and the critical path. Use it when asked why a deployment was ' +
        'slow or what delayed it; with ref, only it and what it depends on.',
      params: { ref: ref('Only this object and what it depends on'), ...scope(settings, { all: true }) },
      args: (input) => ({ ...scopeArgs(input), ...(str(input.ref) !== undefined ? { ref: str(input.ref) } : {}), output: 'json' }),
    },
    {
      name: 'wait_for', command: 'wait-for', title: 'Wait until Ready at a revision', readOnly: true, progress: 'out',
      description: 'Waits, by watching, until Kustomizations or HelmReleases are Ready at the awaited revision (the given revision, else their source\'s current ' +
        'artifact), and returns one JSON event per line as their states changed (also sent as progress notifications). Use it after a change was pushed or a ' +
        `reconcile was requested, to know when it is deployed. Gives up after timeout (default ${settings.defaultTimeout}, at most ${settings.maxTimeout}); ` +
        'on failure or timeout the why-blocked explanation follows the events.',
      params: {
        refs: { type: 'strings', describe: 'The objects to wait for, each [ks|hr]/NAME (or use selector, or all)' },
        revision: { type: 'string', describe: 'The revision to wait for: full (main@sha1:3f2a...), a digest prefix of 4+ hex characters, or an exact chart version' },
        timeout: { type: 'string', describe: `How long to wait, e.g. 90s or 5m (default ${settings.defaultTimeout}, at most ${settings.maxTimeout})` },
        fail_fast: { type: 'boolean', describe: 'Stop at the first failure at the awaited revision (health check, build, source) instead of waiting out the timeout' },
        with_upstream: { type: 'boolean', describe: 'Also wait for every upstream dependency, and report each' },
        all: { type: 'boolean', describe: 'Every Kustomization and HelmRelease in scope' },
        ...scope(settings, { all: true, fleet: true }),
      },
      args: (input) => {
        const out: Args = { ...scopeArgs(input), refs: Array.isArray(input.refs) ? input.refs.map(String) : [], timeout: boundedTimeout(input.timeout, settings), output: 'json' };
        if (str(input.revision) !== undefined) out.revision = str(input.revision);
        if (bool(input.fail_fast)) out['fail-fast'] = true;
        if (bool(input.with_upstream)) out['with-upstream'] = true;
        if (bool(input.all)) out.all = true;
        return out;
      },
    },
    {
      name: 'snapshot', command: 'snapshot', title: 'Capture the scope for later', readOnly: true,
      description: 'Everything the other tools read about the scope, as one YAML List (Kustomizations, HelmReleases, their sources, health-check and inventory ' +
        'objects\' status, related pods and recent events; never Secret data), which `flux-deps --from FILE` answers from offline. Use it to keep the state of ' +
        'an incident, or to hand it to someone; it can be large, so prefer tree or why_blocked for questions.',
      params: scope(settings, { all: true }),
      args: (input) => scopeArgs(input),
    },
    {
      name: 'reconcile', command: 'reconcile', title: 'Reconcile now', readOnly: false, progress: 'err',
      description: 'Asks Flux to reconcile a Kustomization or HelmRelease now (it sets the reconcile.fluxcd.io/requestedAt annotation, nothing else) and waits ' +
        'by watching until it has handled the request and is Ready; with_source first fetches its source, with_upstream rolls the whole upstream chain in ' +
        'dependency order. Returns the steps and, on failure, the why-blocked explanation. Refuses suspended objects. Use it only when asked to deploy or ' +
        `retry now; to find out why something is stuck use why_blocked. Gives up after timeout (default ${settings.defaultTimeout}, at most ${settings.maxTimeout}).`,
      params: {
        ref: { ...ref('The object to reconcile'), required: true },
        with_source: { type: 'boolean', describe: 'Reconcile its source first and wait for its new artifact: a Kustomization\'s GitRepository, OCIRepository or Bucket; a HelmRelease\'s chart repository and then its HelmChart (or its chartRef)' },
        with_upstream: { type: 'boolean', describe: 'Reconcile the whole upstream chain first, level by level' },
        timeout: { type: 'string', describe: `How long to wait, e.g. 90s or 5m (default ${settings.defaultTimeout}, at most ${settings.maxTimeout})` },
        no_wait: { type: 'boolean', describe: 'Request the reconciliation and return without waiting for it' },
        ...scope(settings, { all: false }),
      },
      args: (input) => {
        if (!settings.allowReconcile) throw new UsageError('reconcile is off: this server was started without --allow-reconcile');
        const out: Args = { ...scopeArgs(input), ref: str(input.ref), timeout: boundedTimeout(input.timeout, settings) };
        if (bool(input.with_source)) out['with-source'] = true;
        if (bool(input.with_upstream)) out['with-upstream'] = true;
        if (bool(input.no_wait)) out['no-wait'] = true;
        return out;
      },
    },
  ];
}
