// `why-blocked REF`: the exact upstream object and health check holding a rollout, what is wrong, what to run.
import type { Command } from '../args.ts';
import type { IO } from '../io.ts';

export function whyBlockedCommand(io: IO): Command {
  return {
    name: 'why-blocked',
    describe: 'Explain why a Kustomization or HelmRelease is not Ready: the upstream object, health check and pod at fault',
    positionals: [{ name: 'ref', required: true, describe: '[ks|hr]/NAME' }],
    flags: [{ name: 'output', short: 'o', type: 'string', choices: ['text', 'json', 'yaml'], default: 'text', describe: 'Output format' }],
    examples: [
      ['$0 why-blocked apps', 'Which object upstream of ks/apps holds it, and why (exit 1 when blocked)'],
      ['$0 why-blocked hr/podinfo -n team-a -o json', 'The same for scripts'],
      ['$0 why-blocked apps --from incident.yaml', 'On a snapshot taken earlier'],
    ],
    // One import for the whole command: its modules are evaluated only when it runs.
    run: async (args) => (await import('./why-blocked-run.ts')).whyBlocked(args, io),
  };
}
