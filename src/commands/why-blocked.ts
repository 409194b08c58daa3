// `why-blocked REF`: the exact upstream object and health check holding a rollout, what is wrong, what to run.
import type { Args, Command } from '../args.ts';
import { ClusterError, ExitCode, NotFoundError } from '../errors.ts';
import type { IO } from '../io.ts';
import { globalOptions } from '../options.ts';

export function whyBlockedCommand(io: IO): Command {
  return {
    name: 'why-blocked',
    describe: 'Explain why a Kustomization or HelmRelease is not Ready: the upstream object, health check and pod at fault',
    positionals: [{ name: 'ref', required: true, describe: '[ks|hr]/NAME' }],
    flags: [{ name: 'output', short: 'o', type: 'string', choices: ['text', 'json', 'yaml'], default: 'text', describe: 'Output format' }],
    examples: [
      ['$0 why-blocked apps', 'Which object upstream of ks/apps holds it, and why (exit 1 when blocked)'],
      ['$0 why-blocked hr/podinfo -n team-a -o json', 'The same for scripts'],
      ['$0 why-blocked apps --from incident.yaml', 'On a snapshot taken earlier'],
    ],
    run: (args) => whyBlocked(args, io),
  };
}

async function whyBlocked(argv: Args, io: IO): Promise<number> {
  const g = globalOptions(argv, io);
  const [{ parseRef }, { openReader }, { readAndExplain }, text, { objectId }] = await Promise.all([
    import('../model/refs.ts'), import('../read/open.ts'), import('../read/explain.ts'), import('../render/explanation-text.ts'),
    import('../model/objects.ts'),
  ]);
  const ref = parseRef(String(argv.ref), g.namespace);
  const id = objectId(ref.kind, ref.namespace, ref.name);
  const reader = await openReader(g, io);
  try {
    const read = await readAndExplain(reader, g, [id], io.now());
    for (const w of read.warnings) io.err(`⚠ ${w}\n`);
    const explanation = read.explanations.get(id);
    if (!explanation) {
      if (read.unreadable.includes(`${ref.kind}/${ref.namespace}`)) throw new ClusterError(`cannot read ${ref.kind}s in namespace ${ref.namespace} (forbidden)`);
      throw new NotFoundError(`${ref.kind} ${ref.namespace}/${ref.name} not found`);
    }
    const output = argv.output as 'text' | 'json' | 'yaml';
    if (output === 'json') io.out(JSON.stringify(explanation, null, 2) + '\n');
    else if (output === 'yaml') io.out((await import('../render/yaml.ts')).toYaml(explanation));
    else io.out(text.renderExplanation(explanation, { color: g.color && io.stdoutIsTTY }));
    return explanation.blocked ? ExitCode.no : ExitCode.ok;
  } finally {
    reader.close();
  }
}
