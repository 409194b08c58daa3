// What the program's bundle swaps or leaves out, shared by make build (scripts/build.ts) and the single
// executables (scripts/dist.ts), so both run the same program.
import type { Plugin } from 'esbuild';

// string-width without emoji-regex (scripts/shims/string-width.cjs says why and what differs); and cli-table3's
// @colors/colors, never called: our tables ask it for no colours (render/table.ts colours cells itself).
export const tableShims: Plugin = {
  name: 'table-shims',
  setup(b) {
    // cli-table3's (string-width 4): its emoji-regex cost ~13 ms a run.
    b.onResolve({ filter: /^string-width$/ }, (a) => (a.importer.endsWith('shims/string-width.cjs') ? undefined : { path: `${process.cwd()}/scripts/shims/string-width.cjs` }));
    b.onResolve({ filter: /^@colors\/colors\/safe$/ }, () => ({ path: 'colors', namespace: 'no-colors' }));
    b.onLoad({ filter: /.*/, namespace: 'no-colors' }, () => ({ contents: 'module.exports = {};', loader: 'js' }));
  },
};
