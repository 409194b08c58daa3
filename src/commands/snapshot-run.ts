// snapshot's work, loaded when the command runs: read everything about the scope, write one YAML List.
import type { Args } from '../args.ts';
import type { IO } from '../io.ts';
import { globalOptions } from '../options.ts';
import { openReader } from '../read/open.ts';
import { takeSnapshot } from '../read/snapshot.ts';
import { toYaml } from '../render/yaml.ts';

export async function snapshot(argv: Args, io: IO): Promise<number> {
  const g = globalOptions(argv, io);
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
