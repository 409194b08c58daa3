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
  const [{ openReader }, { takeSnapshot }, { stringify }] = await Promise.all([
    import('../read/open.ts'), import('../read/snapshot.ts'), import('yaml'),
  ]);
  const reader = await openReader(g, io);
  try {
    const { objects, warnings } = await takeSnapshot(reader, g, io.now());
    for (const w of warnings) io.err(`⚠ ${w}\n`);
    io.out(stringify({ apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' }, items: objects }));
    return 0;
  } finally {
    reader.close();
  }
}
