// `lint [REF]`: the seed guides' practices as checks a CI pipeline runs. Flags and help here; the work in lint-run.ts.
import type { Command } from '../args.ts';
import type { IO } from '../io.ts';

export function lintCommand(io: IO): Command {
  return {
    name: 'lint',
    describe: 'Check Kustomizations and HelmReleases against Flux practice: cycles, missing or wrong-kind dependencies, deep chains, health gating, timeouts, CRDs, sources',
    positionals: [{ name: 'ref', required: false, describe: '[ks|hr]/NAME: only it and what it depends on' }],
    flags: [
      { name: 'output', short: 'o', type: 'string', choices: ['text', 'json', 'yaml', 'sarif'], default: 'text', describe: 'Output format (sarif: SARIF 2.1.0 for code scanning)' },
      { name: 'disable', type: 'strings', describe: 'Skip a rule (repeatable); an object\'s annotation flux-deps.dev/lint-disable: "rule,rule" skips rules for it' },
      { name: 'max-depth', type: 'number', default: 4, describe: 'deep-chain: the most dependsOn levels a path may have' },
      { name: 'fail-on', type: 'string', choices: ['error', 'warning'], default: 'error', describe: 'Exit 1 when a finding of this severity or higher remains' },
    ],
    examples: [
      ['$0 lint --from ./clusters/production', 'Check a repository before it reaches a cluster'],
      ['$0 lint --from . -o sarif > flux-deps.sarif', 'Findings with file and line, for GitHub code scanning'],
      ['$0 lint apps --fail-on warning', 'Check ks/apps and its upstream in the cluster; warnings fail too'],
    ],
    // One import for the whole command: its modules are evaluated only when it runs.
    run: async (args) => (await import('./lint-run.ts')).lint(args, io),
  };
}
