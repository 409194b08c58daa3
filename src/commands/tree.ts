// `tree [REF]`: the dependsOn graph with live status. Flags and help here; the work is model and render.
import type { Command } from '../args.ts';
import type { IO } from '../io.ts';

export const outputs = ['text', 'json', 'yaml', 'dot', 'mermaid'] as const;

export function treeCommand(io: IO): Command {
  return {
    name: 'tree',
    describe: 'Show the dependsOn graph of Kustomizations and HelmReleases with live status',
    positionals: [{ name: 'ref', required: false, describe: '[ks|hr]/NAME: what it depends on (with --downstream: what depends on it)' }],
    flags: [
      { name: 'upstream', type: 'boolean', describe: 'With REF: what REF depends on, transitively (the default)' },
      { name: 'downstream', type: 'boolean', describe: 'With REF: what depends on REF, transitively' },
      { name: 'depth', type: 'number', describe: 'Stop the walk after N levels' },
      { name: 'inventory', type: 'boolean', describe: "List each Kustomization's managed objects with their health" },
      { name: 'levels', type: 'boolean', describe: 'Show the rollout levels: what can reconcile in parallel' },
      { name: 'output', short: 'o', type: 'string', choices: outputs, default: 'text', describe: 'Output format' },
      { name: 'watch', short: 'w', type: 'boolean', describe: 'Keep watching: redraw on a terminal, a line (or JSON event) per change otherwise' },
    ],
    examples: [
      ['$0 tree', 'Every Kustomization and HelmRelease in flux-system, roots first, root causes marked'],
      ['$0 tree apps', 'What ks/apps depends on, with the state of each'],
      ['$0 tree infra --downstream --levels', 'What waits on ks/infra, level by level'],
      ['$0 tree -A -o mermaid > graph.md', 'Document the whole graph'],
      ['$0 tree apps --watch', 'Watch the chain up to ks/apps recover, level by level'],
      ['$0 tree --from ./clusters/production -o dot | dot -Tsvg > graph.svg', "Draw a repository's graph before it reaches a cluster"],
    ],
    // One import for the whole command: its modules are evaluated only when it runs.
    run: async (args) => (await import('./tree-run.ts')).tree(args, io),
  };
}
