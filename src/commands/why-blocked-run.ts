// why-blocked's work, loaded when the command runs: read the target's upstream, explain, render.
import { ClusterError, ExitCode, NotFoundError } from '../errors.ts';
import type { IO } from '../io.ts';
import { objectId } from '../model/objects.ts';
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
    if (!explanation) {
      if (read.unreadable.includes(`${ref.kind}/${ref.namespace}`)) throw new ClusterError(`cannot read ${ref.kind}s in namespace ${ref.namespace} (forbidden)`);
      throw new NotFoundError(`${ref.kind} ${ref.namespace}/${ref.name} not found`);
    }
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
