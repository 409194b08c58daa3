// `snapshot`: one YAML List of everything the read commands need, for offline analysis with --from.
import type { Command } from '../args.ts';
import type { IO } from '../io.ts';
import { globalOptions, type GlobalOptions } from '../options.ts';

/** Everything snapshot runs on. */
export interface SnapshotRun {
  global: GlobalOptions;
}

export function snapshotCommand(io: IO): Command<SnapshotRun> {
  return {
    name: 'snapshot',
    describe: 'Write the Flux objects in scope and everything about them as one YAML List, for --from (never Secret data)',
    positionals: [],
    flags: [],
    examples: [
      ['$0 snapshot > incident.yaml', 'Capture flux-system now'],
      ['$0 why-blocked apps --from incident.yaml', 'Look at it later, without the cluster'],
    ],
    options: (args) => ({ global: globalOptions(args, io) }),
    // One import for the whole command: its modules are evaluated only when it runs.
    run: async (options) => (await import('./snapshot-run.ts')).snapshot(options, io),
  };
}
