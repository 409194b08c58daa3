// What the program's bundle swaps or leaves out, shared by make build (scripts/build.ts) and the single
// executables (scripts/dist.ts), so both run the same program.
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import type { Plugin } from 'esbuild';
import { besideKey } from '../src/code-cache.ts';

// string-width without emoji-regex (scripts/shims/string-width.cjs says why and what differs); and cli-table3's
// @colors/colors, never called: our tables ask it for no colours (render/table.ts colours cells itself).
export const tableShims: Plugin = {
  name: 'table-shims',
  setup(b) {
    // Every importer's: cli-table3's (string-width 4), and yargs' help (cliui, wrap-ansi: string-width 7 and 8, whose
    // Intl.Segmenter and Unicode regular expressions cost ~20 ms the first time, the issue measured).
    b.onResolve({ filter: /^string-width$/ }, (a) => (a.importer.endsWith('shims/string-width.cjs') ? undefined : { path: `${process.cwd()}/scripts/shims/string-width.cjs` }));
    b.onResolve({ filter: /^@colors\/colors\/safe$/ }, () => ({ path: 'colors', namespace: 'no-colors' }));
    b.onLoad({ filter: /.*/, namespace: 'no-colors' }, () => ({ contents: 'module.exports = {};', loader: 'js' }));
  },
};

// yargs with a platform of its own (scripts/shims/yargs-platform.mjs says what it leaves out, and why).
export const yargsPlatform: Plugin = {
  name: 'yargs-platform',
  setup(b) {
    b.onResolve({ filter: /platform-shims\/esm\.mjs$/ }, (a) => (a.importer.includes('/yargs/') ? { path: `${process.cwd()}/scripts/shims/yargs-platform.mjs` } : undefined));
    // yargs renders the whole help text after every command it parses (cacheHelpMessage, for a failing async
    // handler's message): ~20 ms a run. flux-deps' commands have no yargs handler and fail with their own line.
    // argsert checks the types of our calls to yargs' own API (each check parses a usage string): tsc does that.
    b.onLoad({ filter: /\/yargs\/build\/lib\/argsert\.js$/ }, () => ({ contents: 'export function argsert() {}', loader: 'js' }));
    b.onLoad({ filter: /\/yargs\/build\/lib\/command\.js$/ }, (a) => {
      const text = readFileSync(a.path, 'utf8');
      const call = 'yargs.getInternalMethods().getUsageInstance().cacheHelpMessage();';
      if (!text.includes(call)) throw new Error(`yargs changed: ${call} not in ${a.path}`);
      return { contents: text.replace(call, ''), loader: 'js' };
    });
  },
};

// Libraries only some runs need, each a file of its own beside the program (dist/, or an asset of the single
// executable): a run reads and deserializes only what it loads (tree --from reads half as much; src/code-cache.ts,
// provideBesides, runs them through the same code cache). client-node: exec and auth-provider credentials only;
// yaml: -o yaml, snapshot, lint; cel-js: readyExpr and healthCheckExprs; ora: wait-for's spinner on a terminal;
// @viz-js/viz (Graphviz as WebAssembly, 1.5 MB): tree -o svg|html.
export const besides: Record<string, string> = { '@kubernetes/client-node': 'client-node.cjs', yaml: 'yaml.cjs', 'cel-js': 'cel.cjs', ora: 'ora.cjs', '@viz-js/viz': 'graphviz.cjs' };

// Our own modules that are the one door to libraries only one command needs, beside the program the same way:
// src/mcp/sdk.ts, the MCP SDK and zod (0.7 MB, more than the program), read only by `flux-deps mcp`.
export const besideModules: Record<string, string> = { 'src/mcp/sdk.ts': 'mcp-sdk.cjs' };

/** Every file beside the program. */
export const besideFiles = [...Object.values(besides), ...Object.values(besideModules)];

/** In the program, each of `besides` and `besideModules` is the module its entry loads from beside it (code-cache.ts: besideKey). */
export const besidePlugin: Plugin = {
  name: 'besides',
  setup(b) {
    const names = Object.keys(besides).map((n) => n.replace(/[/.]/g, '\\$&'));
    const beside = (file: string) => ({ path: file, namespace: 'beside' });
    b.onResolve({ filter: new RegExp(`^(${names.join('|')})$`) }, (a) => beside(besides[a.path] as string));
    b.onResolve({ filter: /^\.\.?\// }, (a) => {
      const file = besideModules[relative(process.cwd(), resolve(a.resolveDir, a.path))];
      return file ? beside(file) : undefined;
    });
    b.onLoad({ filter: /.*/, namespace: 'beside' }, (a) => ({ contents: `module.exports = globalThis[Symbol.for(${JSON.stringify(besideKey.description)})](${JSON.stringify(a.path)});`, loader: 'js' }));
  },
};

// ES packages the program imports only as `default` (`const { default: ora } = await import('ora')`): their file
// beside exports that alone. The program, an ES module bundled in Node's mode, takes a CommonJS module's whole
// exports for its default, so an exports object holding `default` would be called as the spinner itself.
const defaultOnly = new Set(['ora']);

/** The esbuild options that make each of `besides` and `besideModules` a file of its own. */
export function besideBuilds(outdir: string) {
  const exported = (pkg: string) => `require(${JSON.stringify(pkg)})${defaultOnly.has(pkg) ? '.default' : ''}`;
  return [
    ...Object.entries(besides).map(([pkg, file]) => ({ stdin: { contents: `module.exports = ${exported(pkg)};`, resolveDir: process.cwd() }, outfile: `${outdir}/${file}` })),
    ...Object.entries(besideModules).map(([source, file]) => ({ entryPoints: [source], outfile: `${outdir}/${file}` })),
  ];
}

// yargs-parser makes a require() from import.meta.url at load, for config files flux-deps never reads: any
// absolute URL does (a CommonJS bundle has no import.meta).
const programDefine = { 'import.meta.url': '"file:///flux-deps/program.cjs"' };

/**
 * The esbuild options of the program itself (src/cli.ts, one file), after the caller's own (`define`, `plugins`
 * run first): its dynamic import()s become lazy requires inside it, and it gets every swap above.
 */
export function programBuild(outfile: string, define: Record<string, string>, plugins: Plugin[] = []) {
  return {
    entryPoints: ['src/cli.ts'], outfile, supported: { 'dynamic-import': false },
    plugins: [...plugins, besidePlugin, tableShims, yargsPlatform], define: { ...define, ...programDefine },
  };
}
