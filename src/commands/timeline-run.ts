// timeline's work, loaded when the command runs: read as a snapshot does (objects, sources, events), build, render.
import type { Args } from '../args.ts';
import { NotFoundError } from '../errors.ts';
import type { IO } from '../io.ts';
import { objectId } from '../model/objects.ts';
import { parseRef } from '../model/refs.ts';
import { buildTimeline } from '../model/timeline.ts';
import { globalOptions } from '../options.ts';
import { openReader } from '../read/open.ts';
import { takeSnapshot } from '../read/snapshot.ts';
import { renderTimelineText } from '../render/timeline-text.ts';

export async function timeline(argv: Args, io: IO): Promise<number> {
  const g = globalOptions(argv, io);
  const ref = typeof argv.ref === 'string' ? parseRef(argv.ref, g.namespace) : undefined;
  const reader = await openReader(g, io);
  try {
    const read = await takeSnapshot(reader, g, reader.capturedAt?.() ?? io.now());
    for (const w of read.warnings) io.err(`⚠ ${w}\n`);
    const id = ref ? objectId(ref.kind, ref.namespace, ref.name) : undefined;
    if (id && !read.objects.some((o) => objectId(o.kind ?? '', o.metadata?.namespace, o.metadata?.name ?? '') === id)) throw new NotFoundError(`${ref?.kind} ${ref?.namespace}/${ref?.name} not found`);
    const t = buildTimeline(read.objects, { namespace: g.namespace, ...(id ? { ref: id } : {}) });
    io.out(argv.output === 'json' ? JSON.stringify(t, null, 2) + '\n' : renderTimelineText(t));
    return 0;
  } finally {
    reader.close();
  }
}
