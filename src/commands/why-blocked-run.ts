// why-blocked's work, loaded when the command runs: read the target's upstream, explain, render.
import { ExitCode } from '../errors.ts';
import type { IO } from '../io.ts';
import { objectId } from '../model/objects.ts';
import { missingObjectError } from '../model/unread.ts';
import { readAndExplain } from '../read/explain.ts';
import { openReader } from '../read/open.ts';
import * as text from '../render/explanation-text.ts';
import type { WhyBlockedRun } from './why-blocked.ts';

export async function whyBlocked(o: WhyBlockedRun, io: IO): Promise<number> {
  const g = o.global;
  const ref = o.ref;
  const id = objectId(ref.kind, ref.namespace, ref.name);
  const reader = await openReader(g, io);
  try {
    const read = await readAndExplain(reader, g, [id], reader.capturedAt?.() ?? io.now());
    for (const w of read.warnings) io.err(`⚠ ${w}\n`);
    const explanation = read.explanations.get(id);
    // Not found, or not readable (and why): exit 3 or 4 (model/unread.ts).
    if (!explanation) throw missingObjectError(ref, read.unreadable);
    io.summary?.(explanation.summary);
    const output = o.output;
    if (output === 'json') io.out(JSON.stringify(explanation, null, 2) + '\n');
    else if (output === 'yaml') io.out((await import('../render/yaml.ts')).toYaml(explanation));
    else io.out(text.renderExplanation(explanation, { color: g.color && io.stdoutIsTTY }));
    return explanation.blocked ? ExitCode.no : ExitCode.ok;
  } finally {
    reader.close();
  }
}
