// `snapshot`: one YAML List of everything the read commands need, for offline analysis with --from.
import type { Args, Command } from '../args.ts';
import type { IO } from '../io.ts';
import { globalOptions } from '../options.ts';

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
    run: (args) => snapshot(args, io),
  };
}

async function snapshot(argv: Args, io: IO): Promise<number> {
  const g = globalOptions(argv, io);
  const [{ openReader }, { takeSnapshot }, { toYaml }] = await Promise.all([
    import('../read/open.ts'), import('../read/snapshot.ts'), import('../render/yaml.ts'),
  ]);
  const reader = await openReader(g, io);
  try {
    const { objects, warnings } = await takeSnapshot(reader, g, io.now());
    for (const w of warnings) io.err(`⚠ ${w}\n`);
    // Keys in kubectl's order, so that --from reads it kind by kind (read/kubectl-list.ts).
    io.out(toYaml({ apiVersion: 'v1', items: objects, kind: 'List', metadata: { resourceVersion: '' } }));
    return 0;
  } finally {
    reader.close();
  }
}
