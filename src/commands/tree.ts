// `tree [REF]`: the dependsOn graph with live status. Flags, help and the typed options here; the work is
// tree-run.ts (model and render), imported when it runs.
import { flagValues, positional, type Command, type Flag } from '../args.ts';
import { UsageError } from '../errors.ts';
import { countValue } from '../flag-values.ts';
import type { IO } from '../io.ts';
import { parseRef } from '../model/refs.ts';
import type { TreeOptions } from '../model/tree-view.ts';
import { allContextsFlag, globalOptions, type GlobalOptions } from '../options.ts';

export const outputs = ['text', 'json', 'yaml', 'dot', 'mermaid', 'svg', 'html'] as const;

export const treeFlags = [
  { name: 'upstream', type: 'boolean', describe: 'With REF: what REF depends on, transitively (the default)' },
  { name: 'downstream', type: 'boolean', describe: 'With REF: what depends on REF, transitively' },
  { name: 'depth', type: 'number', describe: 'Stop the walk after N levels' },
  { name: 'inventory', type: 'boolean', describe: "List each Kustomization's managed objects with their health" },
  { name: 'levels', type: 'boolean', describe: 'Show the rollout levels: what can reconcile in parallel' },
  { name: 'output', short: 'o', type: 'string', choices: outputs, default: 'text', describe: 'Output format' },
  { name: 'watch', short: 'w', type: 'boolean', describe: 'Keep watching: redraw on a terminal, a line (or JSON event) per change otherwise' },
  allContextsFlag,
] as const satisfies readonly Flag[];

/** Everything tree runs on. */
export interface TreeRun {
  global: GlobalOptions;
  tree: TreeOptions;
  output: (typeof outputs)[number];
  levels: boolean;
  watch: boolean;
}

export function treeCommand(io: IO): Command<TreeRun> {
  return {
    name: 'tree',
    describe: 'Show the dependsOn graph of Kustomizations and HelmReleases with live status',
    positionals: [{ name: 'ref', required: false, describe: '[ks|hr]/NAME: what it depends on (with --downstream: what depends on it)' }],
    flags: treeFlags,
    examples: [
      ['$0 tree', 'Every Kustomization and HelmRelease in flux-system, roots first, root causes marked'],
      ['$0 tree apps', 'What ks/apps depends on, with the state of each'],
      ['$0 tree infra --downstream --levels', 'What waits on ks/infra, level by level'],
      ['$0 tree -A -o mermaid > graph.md', 'Document the whole graph'],
      ['$0 tree apps --watch', 'Watch the chain up to ks/apps recover, level by level'],
      ['$0 tree --from ./fleet -o svg > graph.svg', "Draw a repository's graph before it reaches a cluster"],
      ['$0 tree -A -o html > graph.html', 'One self-contained page: the picture, details on hover and click, a search box'],
    ],
    options: (args) => {
      const global = globalOptions(args, io);
      const f = flagValues(treeFlags, args);
      const arg = positional(args, 'ref');
      const ref = arg === undefined ? undefined : parseRef(arg, global.namespace);
      if (f.upstream && f.downstream) throw new UsageError('--upstream and --downstream exclude each other');
      if ((f.upstream || f.downstream) && !ref) throw new UsageError('--upstream and --downstream need a REF');
      if (f.watch && f.output !== 'text' && f.output !== 'json') throw new UsageError('--watch prints text or json');
      const depth = f.depth === undefined ? undefined : countValue('depth', f.depth);
      const tree: TreeOptions = {
        namespace: global.namespace,
        allNamespaces: global.allNamespaces,
        ...(global.selector ? { selector: global.selector } : {}),
        ...(ref ? { ref } : {}),
        direction: f.downstream ? 'downstream' : 'upstream',
        ...(depth !== undefined ? { depth } : {}),
        inventory: f.inventory,
        // The HTML page shows why each blocked object is blocked.
        ...(f.output === 'html' ? { explanations: true } : {}),
      };
      return { global, tree, output: f.output, levels: f.levels, watch: f.watch };
    },
    // One import for the whole command: its modules are evaluated only when it runs.
    run: async (options) => (await import('./tree-run.ts')).tree(options, io),
    fleet: {
      answers: { 0: 'ok' },
      refuse: (args) => (args.watch === true ? '--watch follows one cluster: it cannot be used with several contexts'
        : ['dot', 'mermaid', 'svg', 'html'].includes(String(args.output)) ? `-o ${args.output} draws one cluster's graph: use json or yaml with several contexts` : undefined),
    },
  };
}
