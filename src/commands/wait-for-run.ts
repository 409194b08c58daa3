// wait-for's work, loaded when the command runs: choose the targets, watch until they are ready, explain if not.
import * as wait from '../cluster/wait.ts';
import { ExitCode } from '../errors.ts';
import type { IO } from '../io.ts';
import { buildGraph } from '../model/graph.ts';
import { chooseTargets } from '../model/targets.ts';
import * as explainRead from '../read/explain.ts';
import { readFluxObjects } from '../read/gather.ts';
import { openLiveReader } from '../read/open.ts';
import * as explainText from '../render/explanation-text.ts';
import * as progress from '../render/progress.ts';
import type { WaitForRun } from './wait-for.ts';

export async function waitFor(o: WaitForRun, io: IO): Promise<number> {
  const g = o.global;
  const { timeoutMs, refs } = o;
  const json = o.output === 'json';
  const reader = await openLiveReader(g, io, 'wait-for');
  const spinner = !json && io.stderrIsTTY ? await startSpinner(io, g.color) : undefined;
  try {
    const flux = await readFluxObjects(reader, g);
    for (const w of flux.warnings) io.err(`⚠ ${w}\n`);
    const targets = chooseTargets(buildGraph(flux.objects, g.namespace, flux.unreadable), {
      refs, ...(g.selector ? { selector: g.selector } : {}), all: o.all,
      namespace: g.namespace, allNamespaces: g.allNamespaces, withUpstream: o.withUpstream,
    });
    const style = { color: g.color && io.stderrIsTTY };
    const { outcome, states } = await wait.waitFor(reader, targets, {
      timeoutMs,
      interrupted: io.interrupted(),
      failFast: o.failFast,
      ...(o.revision !== undefined ? { revision: o.revision } : {}),
    }, {
      changed: (id, state, all) => {
        if (json) io.out(JSON.stringify(progress.waitEvent(io.now(), id, state)) + '\n');
        else if (spinner) spinner.text = progress.summaryLine(all);
        else io.err(progress.changeLine(io.now(), id, state, style));
      },
      notice: (message) => io.err(`⚠ ${message}\n`),
    });
    spinner?.stop();
    if (outcome === 'interrupted') {
      io.err('✗ interrupted\n');
      return ExitCode.interrupted;
    }
    if (outcome === 'ready') {
      const said = `${targets.length === 1 ? targets[0]?.id + ' is' : `${targets.length} objects are`} ready`;
      io.summary?.(said);
      if (!json) io.err(`✔ ${said}\n`);
      return ExitCode.ok;
    }
    // Failed or timed out: say why, for every target still not ready.
    const notReady = [...states].filter(([, s]) => s.verdict !== 'ready').map(([id]) => id);
    const failed = [...states].filter(([, s]) => s.verdict === 'failed').map(([id]) => id);
    const said = outcome === 'timeout' ? `timed out after ${o.timeout} waiting for ${notReady.join(', ')}` : `${failed.join(', ')} failed`;
    io.summary?.(said);
    io.err(`✗ ${said}\n`);
    const explained = await explainRead.readAndExplain(reader, g, notReady, io.now());
    // A target already on another's path is explained there: print each chain once.
    const all = [...explained.explanations.values()].filter((e) => e.blocked);
    const onAPath = (id: string) => all.some((e) => e.target !== id && e.rootCauses.some((c) => c.path.includes(id)));
    for (const e of all) if (!onAPath(e.target)) io.err('\n' + explainText.renderExplanation(e, { color: style.color }));
    return outcome === 'timeout' ? ExitCode.timeout : ExitCode.no;
  } finally {
    spinner?.stop();
    reader.close();
  }
}

/** ora on a terminal (stderr): loaded only there. */
async function startSpinner(io: IO, color: boolean): Promise<{ text: string; stop(): void }> {
  const { default: ora } = await import('ora');
  return ora({ text: 'reading', stream: process.stderr, color: color ? 'cyan' : false, isEnabled: io.stderrIsTTY }).start();
}
