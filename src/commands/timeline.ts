// `timeline [REF]`: where the last rollout's time went, level by level. Flags, help and typed options here.
import { flagValues, positional, type Command, type Flag } from '../args.ts';
import type { IO } from '../io.ts';
import type { Ref } from '../model/flux.ts';
import { parseRef } from '../model/refs.ts';
import { globalOptions, type GlobalOptions } from '../options.ts';

export const timelineFlags = [
  { name: 'output', short: 'o', type: 'string', choices: ['text', 'json', 'yaml'], default: 'text', describe: 'Output format' },
] as const satisfies readonly Flag[];

/** Everything timeline runs on. */
export interface TimelineRun {
  global: GlobalOptions;
  ref?: Ref;
  output: 'text' | 'json' | 'yaml';
}

export function timelineCommand(io: IO): Command<TimelineRun> {
  return {
    name: 'timeline',
    describe: 'Show where the last rollout’s time went: per object when it started and became Ready, how long it only waited',
    positionals: [{ name: 'ref', required: false, describe: '[ks|hr]/NAME: only it and what it depends on' }],
    flags: timelineFlags,
    examples: [
      ['$0 timeline', 'Every object in flux-system: started, Ready, took, waited, requeues; the critical path'],
      ['$0 timeline apps -o json', 'The same for ks/apps and its upstream, as data'],
      ['$0 timeline --from incident.yaml', 'From a snapshot taken with flux-deps snapshot'],
    ],
    options: (args) => {
      const global = globalOptions(args, io);
      const ref = positional(args, 'ref');
      return { global, ...(ref ? { ref: parseRef(ref, global.namespace) } : {}), output: flagValues(timelineFlags, args).output };
    },
    run: async (options) => (await import('./timeline-run.ts')).timeline(options, io),
  };
}
