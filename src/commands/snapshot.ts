// `snapshot`: one YAML List of everything the read commands need, for offline analysis with --from.
import type { Command } from '../args.ts';
import type { IO } from '../io.ts';

export function snapshotCommand(io: IO): Command {
  return {
    name: 'snapshot',
    describe: 'Write the Flux objects in scope and everything about them as one YAML List, for --from (never Secret data)',
    positionals: [],
    flags: [],
    examples: [
      ['$0 snapshot > incident.yaml', 'Capture flux-system now'],
      ['$0 why-blocked apps --from incident.yaml', 'Look at it later, without the cluster'],
    ],
    // One import for the whole command: its modules are evaluated only when it runs.
    run: async (args) => (await import('./snapshot-run.ts')).snapshot(args, io),
  };
}
