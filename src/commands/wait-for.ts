// `wait-for REF...`: block until every target is Ready at the awaited revision, by watching; explain on failure.
import type { Args, Command } from '../args.ts';
import { ExitCode, UsageError } from '../errors.ts';
import type { IO } from '../io.ts';
import { globalOptions } from '../options.ts';

export function waitForCommand(io: IO): Command {
  return {
    name: 'wait-for',
    describe: 'Wait until Kustomizations or HelmReleases are Ready at the awaited revision, by watching; explain if not',
    positionals: [{ name: 'refs', required: false, describe: '[ks|hr]/NAME ... (or -l SELECTOR, or --all)' }],
    variadic: true,
    flags: [
      { name: 'revision', type: 'string', describe: 'The revision to wait for: full (main@sha1:3f2a...) or a digest prefix (default: the source’s current artifact)' },
      { name: 'timeout', type: 'string', default: '5m', describe: 'Give up after this long (exit 5)' },
      { name: 'fail-fast', type: 'boolean', describe: 'Exit 1 at the first failure at the awaited revision (health check, build, source)' },
      { name: 'with-upstream', type: 'boolean', describe: 'Also wait for every upstream dependency, and report each' },
      { name: 'all', type: 'boolean', describe: 'Every Kustomization and HelmRelease in scope' },
      { name: 'output', short: 'o', type: 'string', choices: ['text', 'json'], default: 'text', describe: 'json: one event per line on stdout' },
    ],
    examples: [
      ['$0 wait-for apps --revision $(git rev-parse HEAD) --fail-fast', 'In CI: until ks/apps has applied this commit, or fail fast with why'],
      ['$0 wait-for apps --with-upstream --timeout 10m', 'Until apps and everything it depends on is Ready'],
      ['$0 wait-for -l team=payments -o json', 'Every object with the label; events as JSON lines'],
    ],
    run: (args) => waitFor(args, io),
  };
}

async function waitFor(argv: Args, io: IO): Promise<number> {
  const g = globalOptions(argv, io);
  const [{ parseRef }, { parseDuration }, { readFluxObjects }, { buildGraph }, { chooseTargets }, { openLiveReader }, wait, progress, explainRead, explainText] = await Promise.all([
    import('../model/refs.ts'), import('../model/time.ts'), import('../read/gather.ts'), import('../model/graph.ts'), import('../model/targets.ts'),
    import('../read/open.ts'), import('../cluster/wait.ts'), import('../render/progress.ts'),
    import('../read/explain.ts'), import('../render/explanation-text.ts'),
  ]);
  const timeoutMs = parseDuration(argv.timeout);
  if (timeoutMs === undefined) throw new UsageError(`invalid --timeout "${argv.timeout}": use a duration such as 90s or 5m`);
  const refs = ((argv.refs as string[] | undefined) ?? []).map((r) => parseRef(r, g.namespace));
  const json = argv.output === 'json';
  const reader = await openLiveReader(g, io, 'wait-for');
  const spinner = !json && io.stderrIsTTY ? await startSpinner(io, g.color) : undefined;
  try {
    const flux = await readFluxObjects(reader, g);
    for (const w of flux.warnings) io.err(`⚠ ${w}\n`);
    const targets = chooseTargets(buildGraph(flux.objects, g.namespace, flux.unreadable), {
      refs, ...(g.selector ? { selector: g.selector } : {}), all: argv.all === true,
      namespace: g.namespace, allNamespaces: g.allNamespaces, withUpstream: argv['with-upstream'] === true,
    });
    const style = { color: g.color && io.stderrIsTTY };
    const { outcome, states } = await wait.waitFor(reader, targets, {
      timeoutMs,
      interrupted: io.interrupted(),
      failFast: argv['fail-fast'] === true,
      ...(typeof argv.revision === 'string' ? { revision: argv.revision } : {}),
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
      if (!json) io.err(`✔ ${targets.length === 1 ? targets[0]?.id + ' is' : `${targets.length} objects are`} ready\n`);
      return ExitCode.ok;
    }
    // Failed or timed out: say why, for every target still not ready.
    const notReady = [...states].filter(([, s]) => s.verdict !== 'ready').map(([id]) => id);
    const failed = [...states].filter(([, s]) => s.verdict === 'failed').map(([id]) => id);
    io.err(outcome === 'timeout' ? `✗ timed out after ${argv.timeout} waiting for ${notReady.join(', ')}\n` : `✗ ${failed.join(', ')} failed\n`);
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
