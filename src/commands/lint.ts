// `lint [REF]`: the seed guides' practices as checks a CI pipeline runs. Flags, help and typed options here; the
// work in lint-run.ts.
import { flagValues, positional, type Command, type Flag } from '../args.ts';
import { UsageError } from '../errors.ts';
import { countValue } from '../flag-values.ts';
import type { IO } from '../io.ts';
import { isRuleId, rules, type RuleId, type Severity } from '../model/lint/rules.ts';
import { objectId } from '../model/objects.ts';
import { parseRef } from '../model/refs.ts';
import { allContextsFlag, globalOptions, type GlobalOptions } from '../options.ts';

export const lintCommandFlags = [
  { name: 'output', short: 'o', type: 'string', choices: ['text', 'json', 'yaml', 'sarif'], default: 'text', describe: 'Output format (sarif: SARIF 2.1.0 for code scanning)' },
  { name: 'disable', type: 'strings', describe: 'Skip a rule (repeatable); an object\'s annotation flux-deps.dev/lint-disable: "rule,rule" skips rules for it' },
  { name: 'max-depth', type: 'number', default: 4, describe: 'deep-chain: the most dependsOn levels a path may have' },
  { name: 'fail-on', type: 'string', choices: ['error', 'warning'], default: 'error', describe: 'Exit 1 when a finding of this severity or higher remains' },
  allContextsFlag,
] as const satisfies readonly Flag[];

/** Everything lint runs on. */
export interface LintRun {
  global: GlobalOptions;
  /** REF's id: only it and its upstream. */
  ref?: string;
  disabled: RuleId[];
  maxDepth: number;
  failOn: Severity;
  output: 'text' | 'json' | 'yaml' | 'sarif';
}

export function lintCommand(io: IO): Command<LintRun> {
  return {
    name: 'lint',
    describe: 'Check Kustomizations and HelmReleases against Flux practice: cycles, missing or wrong-kind dependencies, deep chains, health gating, timeouts, CRDs, sources',
    positionals: [{ name: 'ref', required: false, describe: '[ks|hr]/NAME: only it and what it depends on' }],
    flags: lintCommandFlags,
    examples: [
      ['$0 lint --from ./clusters/production', 'Check a repository before it reaches a cluster'],
      ['$0 lint --from . -o sarif > flux-deps.sarif', 'Findings with file and line, for GitHub code scanning'],
      ['$0 lint apps --fail-on warning', 'Check ks/apps and its upstream in the cluster; warnings fail too'],
    ],
    options: (args) => {
      const global = globalOptions(args, io);
      const f = flagValues(lintCommandFlags, args);
      const disabled = (f.disable ?? []).flatMap((d) => d.split(',')).map((d) => d.trim()).filter(Boolean);
      for (const d of disabled) if (!isRuleId(d)) throw new UsageError(`--disable ${d}: unknown rule; rules: ${rules.map((r) => r.id).join(', ')}`);
      const arg = positional(args, 'ref');
      const ref = arg === undefined ? undefined : parseRef(arg, global.namespace);
      return {
        global, ...(ref ? { ref: objectId(ref.kind, ref.namespace, ref.name) } : {}),
        disabled: disabled as RuleId[], maxDepth: countValue('max-depth', f['max-depth'], 1), failOn: f['fail-on'], output: f.output,
      };
    },
    // One import for the whole command: its modules are evaluated only when it runs.
    run: async (options) => (await import('./lint-run.ts')).lint(options, io),
    fleet: {
      answers: { 0: 'passed', 1: 'failed' },
      refuse: (args) => (args.output === 'sarif' ? '-o sarif reports one source: use json or yaml with several contexts' : undefined),
    },
  };
}
