// timeline's work, loaded when the command runs: read as a snapshot does (objects, sources, events), build, render.
import { NotFoundError } from '../errors.ts';
import type { IO } from '../io.ts';
import { objectId } from '../model/objects.ts';
import { buildTimeline } from '../model/timeline.ts';
import { openReader } from '../read/open.ts';
import { takeSnapshot } from '../read/snapshot.ts';
import { renderTimelineText } from '../render/timeline-text.ts';
import type { TimelineRun } from './timeline.ts';

export async function timeline(o: TimelineRun, io: IO): Promise<number> {
  const g = o.global;
  const ref = o.ref;
  const reader = await openReader(g, io);
  try {
    const read = await takeSnapshot(reader, g, reader.capturedAt?.() ?? io.now());
    for (const w of read.warnings) io.err(`⚠ ${w}\n`);
    const id = ref ? objectId(ref.kind, ref.namespace, ref.name) : undefined;
    if (id && !read.objects.some((o) => objectId(o.kind ?? '', o.metadata?.namespace, o.metadata?.name ?? '') === id)) throw new NotFoundError(`${ref?.kind} ${ref?.namespace}/${ref?.name} not found`);
    const t = buildTimeline(read.objects, { namespace: g.namespace, ...(id ? { ref: id } : {}) });
    if (o.output === 'json') io.out(JSON.stringify(t, null, 2) + '\n');
    else if (o.output === 'yaml') io.out((await import('../render/yaml.ts')).toYaml(t));
    else io.out(renderTimelineText(t));
    return 0;
  } finally {
    reader.close();
  }
}
