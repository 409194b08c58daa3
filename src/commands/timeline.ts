// `timeline [REF]`: where the last rollout's time went, level by level. Flags and help here.
import type { Command } from '../args.ts';
import type { IO } from '../io.ts';

export function timelineCommand(io: IO): Command {
  return {
    name: 'timeline',
    describe: 'Show where the last rollout’s time went: per object when it started and became Ready, how long it only waited',
    positionals: [{ name: 'ref', required: false, describe: '[ks|hr]/NAME: only it and what it depends on' }],
    flags: [{ name: 'output', short: 'o', type: 'string', choices: ['text', 'json'], default: 'text', describe: 'Output format' }],
    examples: [
      ['$0 timeline', 'Every object in flux-system: started, Ready, took, waited, requeues; the critical path'],
      ['$0 timeline apps -o json', 'The same for ks/apps and its upstream, as data'],
      ['$0 timeline --from incident.yaml', 'From a snapshot taken with flux-deps snapshot'],
    ],
    run: async (args) => (await import('./timeline-run.ts')).timeline(args, io),
  };
}
