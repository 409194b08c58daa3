// `wait-for REF...`: block until every target is Ready at the awaited revision, by watching; explain on failure.
import { flagValues, positionalList, type Command, type Flag } from '../args.ts';
import { durationValue, revisionValue } from '../flag-values.ts';
import type { IO } from '../io.ts';
import type { Ref } from '../model/flux.ts';
import { parseRef } from '../model/refs.ts';
import { allContextsFlag, globalOptions, type GlobalOptions } from '../options.ts';

export const waitForFlags = [
  { name: 'revision', type: 'string', describe: 'The revision to wait for: full (main@sha1:3f2a...), a digest prefix of 4+ hex characters, or an exact chart version (default: the source’s current artifact)' },
  { name: 'timeout', type: 'string', default: '5m', describe: 'Give up after this long (exit 5)' },
  { name: 'fail-fast', type: 'boolean', describe: 'Exit 1 at the first failure at the awaited revision (health check, build, source)' },
  { name: 'with-upstream', type: 'boolean', describe: 'Also wait for every upstream dependency, and report each' },
  { name: 'all', type: 'boolean', describe: 'Every Kustomization and HelmRelease in scope' },
  { name: 'output', short: 'o', type: 'string', choices: ['text', 'json'], default: 'text', describe: 'json: one event per line on stdout' },
  allContextsFlag,
] as const satisfies readonly Flag[];

/** Everything wait-for runs on. */
export interface WaitForRun {
  global: GlobalOptions;
  refs: Ref[];
  /** As given, for messages ("timed out after 5m"). */
  timeout: string;
  timeoutMs: number;
  revision?: string;
  failFast: boolean;
  withUpstream: boolean;
  all: boolean;
  output: 'text' | 'json';
}

export function waitForCommand(io: IO): Command<WaitForRun> {
  return {
    name: 'wait-for',
    describe: 'Wait until Kustomizations or HelmReleases are Ready at the awaited revision, by watching; explain if not',
    positionals: [{ name: 'refs', required: false, describe: '[ks|hr]/NAME ... (or -l SELECTOR, or --all)' }],
    variadic: true,
    flags: waitForFlags,
    examples: [
      ['$0 wait-for apps --revision $(git rev-parse HEAD) --fail-fast', 'In CI: until ks/apps has applied this commit, or fail fast with why'],
      ['$0 wait-for apps --with-upstream --timeout 10m', 'Until apps and everything it depends on is Ready'],
      ['$0 wait-for -l team=payments -o json', 'Every object with the label; events as JSON lines'],
      ['$0 wait-for apps --context staging,production', 'Until ks/apps is ready in both clusters (each waits to its own end)'],
    ],
    options: (args) => {
      const global = globalOptions(args, io);
      const f = flagValues(waitForFlags, args);
      return {
        global,
        refs: positionalList(args, 'refs').map((r) => parseRef(r, global.namespace)),
        timeout: f.timeout,
        timeoutMs: durationValue('timeout', f.timeout),
        ...(f.revision !== undefined ? { revision: revisionValue(f.revision) } : {}),
        failFast: f['fail-fast'],
        withUpstream: f['with-upstream'],
        all: f.all,
        output: f.output,
      };
    },
    // One import for the whole command: its modules are evaluated only when it runs.
    run: async (options) => (await import('./wait-for-run.ts')).waitFor(options, io),
    // Every context waits to its own end (--fail-fast ends only the context that failed); events stream.
    fleet: { answers: { 0: 'ready', 1: 'failed', 5: 'timed out' }, streamsJson: true },
  };
}
