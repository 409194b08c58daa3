// `snapshot`: one YAML List of everything the read commands need, for offline analysis with --from.
import type { Argv } from 'yargs';
import type { IO } from '../io.ts';
import { globalOptions } from '../options.ts';

export function snapshotCommand(io: IO, exit: (code: number) => void) {
  return {
    command: 'snapshot',
    describe: 'Write the Flux objects in scope and everything about them to stdout, for --from (never Secret data)',
    builder: (y: Argv) =>
      y
        .example('$0 snapshot > incident.yaml', 'Capture flux-system now')
        .example('$0 tree --from incident.yaml', 'Look at it later, without the cluster'),
    handler: async (argv: Record<string, unknown>) => exit(await snapshot(argv, io)),
  };
}

async function snapshot(argv: Record<string, unknown>, io: IO): Promise<number> {
  const g = globalOptions(argv, io);
  const [{ openReader }, { takeSnapshot }, { stringify }] = await Promise.all([
    import('../read/open.ts'), import('../read/snapshot.ts'), import('yaml'),
  ]);
  const reader = openReader(g, io);
  try {
    const { objects, warnings } = await takeSnapshot(reader, g, io.now());
    for (const w of warnings) io.err(`⚠ ${w}\n`);
    io.out(stringify({ apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' }, items: objects }));
    return 0;
  } finally {
    reader.close();
  }
}
