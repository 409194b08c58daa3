// `reconcile REF`: ask Flux to reconcile now, as `flux reconcile` does (the requestedAt annotation, nothing else),
// and wait by watching, level by level with --with-upstream, explaining at once whatever stops it.
import { flagValues, positional, type Command, type Flag } from '../args.ts';
import type { ReleaseRequest } from '../cluster/reconcile-request.ts';
import { UsageError } from '../errors.ts';
import { durationValue } from '../flag-values.ts';
import type { IO } from '../io.ts';
import type { Ref } from '../model/flux.ts';
import { parseRef } from '../model/refs.ts';
import { globalOptions, type GlobalOptions } from '../options.ts';

export const reconcileFlags = [
  { name: 'with-source', type: 'boolean', describe: 'Reconcile the source (GitRepository, OCIRepository, Bucket; for a HelmRelease its chart\'s repository, then HelmChart) first and wait for its artifact' },
  { name: 'with-upstream', type: 'boolean', describe: 'Reconcile the whole upstream chain first, level by level (one level in parallel)' },
  { name: 'reset', type: 'boolean', describe: 'HelmRelease: reset its failure count, so that helm-controller tries again after exhausted retries' },
  { name: 'force', type: 'boolean', describe: 'HelmRelease: force a one-off Helm install or upgrade' },
  { name: 'timeout', type: 'string', default: '5m', describe: 'Give up after this long (exit 5)' },
  { name: 'no-wait', type: 'boolean', describe: 'Request the reconciliation and return' },
] as const satisfies readonly Flag[];

/** Everything reconcile runs on. */
export interface ReconcileRun {
  global: GlobalOptions;
  ref: Ref;
  /** As given, for messages ("timed out after 5m"). */
  timeout: string;
  timeoutMs: number;
  withSource: boolean;
  withUpstream: boolean;
  /** helm-controller's one-off requests sent with every HelmRelease's reconcile request (--reset, --force). */
  releaseRequests: ReleaseRequest[];
  noWait: boolean;
}

export function reconcileCommand(io: IO): Command<ReconcileRun> {
  return {
    name: 'reconcile',
    describe: 'Reconcile a Kustomization or HelmRelease now (optionally its source and whole upstream) and wait for the result',
    positionals: [{ name: 'ref', required: true, describe: '[ks|hr]/NAME' }],
    flags: reconcileFlags,
    examples: [
      ['$0 reconcile apps --with-source', 'Fetch the latest commit, apply it to ks/apps, and wait'],
      ['$0 reconcile apps --with-source --with-upstream', 'Roll the whole chain up to ks/apps in dependency order, now'],
      ['$0 reconcile hr/podinfo --reset', 'Retry a HelmRelease that exhausted its retries, once the cause is fixed'],
    ],
    options: (args) => {
      const global = globalOptions(args, io);
      const f = flagValues(reconcileFlags, args);
      const ref = parseRef(positional(args, 'ref') ?? '', global.namespace);
      const releaseRequests = (['reset', 'force'] as const).filter((r) => f[r]);
      if (releaseRequests.length && ref.kind !== 'HelmRelease') {
        throw new UsageError(`--${releaseRequests[0]} is for HelmReleases (helm-controller's requests), not ${ref.kind} ${ref.namespace}/${ref.name}`);
      }
      return {
        global,
        ref,
        timeout: f.timeout,
        timeoutMs: durationValue('timeout', f.timeout),
        withSource: f['with-source'],
        withUpstream: f['with-upstream'],
        releaseRequests,
        noWait: f['no-wait'],
      };
    },
    // One import for the whole command: its modules are evaluated only when it runs.
    run: async (options) => (await import('./reconcile-run.ts')).reconcile(options, io),
  };
}
