// `why-blocked REF`: the exact upstream object and health check holding a rollout, what is wrong, what to run.
import { flagValues, positional, type Command, type Flag } from '../args.ts';
import type { IO } from '../io.ts';
import type { Ref } from '../model/flux.ts';
import { parseRef } from '../model/refs.ts';
import { allContextsFlag, globalOptions, type GlobalOptions } from '../options.ts';

export const whyBlockedFlags = [
  { name: 'output', short: 'o', type: 'string', choices: ['text', 'json', 'yaml'], default: 'text', describe: 'Output format' },
  allContextsFlag,
] as const satisfies readonly Flag[];

/** Everything why-blocked runs on. */
export interface WhyBlockedRun {
  global: GlobalOptions;
  ref: Ref;
  output: 'text' | 'json' | 'yaml';
}

export function whyBlockedCommand(io: IO): Command<WhyBlockedRun> {
  return {
    name: 'why-blocked',
    describe: 'Explain why a Kustomization or HelmRelease is not Ready: the upstream object, health check and pod at fault',
    positionals: [{ name: 'ref', required: true, describe: '[ks|hr]/NAME' }],
    flags: whyBlockedFlags,
    examples: [
      ['$0 why-blocked apps', 'Which object upstream of ks/apps holds it, and why (exit 1 when blocked)'],
      ['$0 why-blocked hr/podinfo -n team-a -o json', 'The same for scripts'],
      ['$0 why-blocked apps --from incident.yaml', 'On a snapshot taken earlier'],
      ['$0 why-blocked apps --all-contexts', 'Ask every cluster of the kubeconfig at once: a row each, then each answer'],
    ],
    options: (args) => {
      const global = globalOptions(args, io);
      return { global, ref: parseRef(positional(args, 'ref') ?? '', global.namespace), output: flagValues(whyBlockedFlags, args).output };
    },
    // One import for the whole command: its modules are evaluated only when it runs.
    run: async (options) => (await import('./why-blocked-run.ts')).whyBlocked(options, io),
    fleet: { answers: { 0: 'not blocked', 1: 'blocked' } },
  };
}
