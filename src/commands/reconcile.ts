// `reconcile REF`: ask Flux to reconcile now, as `flux reconcile` does (the requestedAt annotation, nothing else),
// and wait by watching, level by level with --with-upstream, explaining at once whatever stops it.
import type { Command } from '../args.ts';
import type { IO } from '../io.ts';

export function reconcileCommand(io: IO): Command {
  return {
    name: 'reconcile',
    describe: 'Reconcile a Kustomization or HelmRelease now (optionally its source and whole upstream) and wait for the result',
    positionals: [{ name: 'ref', required: true, describe: '[ks|hr]/NAME' }],
    flags: [
      { name: 'with-source', type: 'boolean', describe: 'Reconcile the source (GitRepository, OCIRepository, Bucket) first and wait for its artifact' },
      { name: 'with-upstream', type: 'boolean', describe: 'Reconcile the whole upstream chain first, level by level (one level in parallel)' },
      { name: 'timeout', type: 'string', default: '5m', describe: 'Give up after this long (exit 5)' },
      { name: 'no-wait', type: 'boolean', describe: 'Request the reconciliation and return' },
    ],
    examples: [
      ['$0 reconcile apps --with-source', 'Fetch the latest commit, apply it to ks/apps, and wait'],
      ['$0 reconcile apps --with-source --with-upstream', 'Roll the whole chain up to ks/apps in dependency order, now'],
    ],
    // One import for the whole command: its modules are evaluated only when it runs.
    run: async (args) => (await import('./reconcile-run.ts')).reconcile(args, io),
  };
}
