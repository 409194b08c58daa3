// Bundles the program and writes the checkout's bin/ launchers: dist/flux-deps.cjs (the entry, tiny), dist/program.cjs
// (everything else, one file) and beside it the libraries only some runs load (bundle-shims.ts: besides).
// Bundled because start-up is a feature: Node resolving and reading hundreds of modules costs more than the
// program's work for a small graph. One program file rather than lazy chunks: with V8's code cache made after a run
// (src/code-cache.ts) a start compiles nothing it ran before, and reading one file costs less than the module
// loader's ~0.3 ms per chunk; what a command does not run is never evaluated.
import { build, type Plugin } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import { besideBuilds, besidePlugin, programDefine, tableShims, yargsPlatform } from './bundle-shims.ts';

// A young generation of 8 MB from the start: big snapshots and inventories peak a third lower than with V8's
// default (5,000 Kustomizations with 100,000 inventory entries: 354 -> 232 MiB; make bench), and starting at its
// full size spares the scavenges and the full collection that growing to it cost while a large LIST is parsed
// (tree -A on 1,000 Kustomizations: GC 28 -> 22 ms, no mark-compact). V8 reads them only at start-up.
const nodeFlags = '--max-semi-space-size=8 --min-semi-space-size=8';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
const commit = gitCommit();

// Node's built-ins through process.getBuiltinModule (Node 22.3+), not `import`: an ES import of a built-in makes
// Node build a facade that reads every export, and node:util's and node:fs's lazy getters then load modules we
// never use (~4 ms each of a ~40 ms start). An import gets a module whose exports each read one property, so the
// bundle keeps and reads only those it uses; CommonJS dependencies' require() gets the module itself. On a Node
// too old for getBuiltinModule both are empty, and main.ts says which Node it needs.
const require = createRequire(import.meta.url);
const builtins: Plugin = {
  name: 'builtins',
  setup(b) {
    // One module per importer (`id|importer`): a shared one would be a chunk of its own, one more file to load.
    b.onResolve({ filter: /^(node:)?[a-z_]+(\/[a-z_]+)?$/ }, (a) =>
      isBuiltin(a.path) ? { path: `${a.path}|${a.importer}`, namespace: a.kind === 'require-call' ? 'builtin-cjs' : 'builtin-esm' } : undefined,
    );
    const id = (path: string) => path.slice(0, path.indexOf('|'));
    const get = (path: string) => `process.getBuiltinModule?.(${JSON.stringify(id(path))}) ?? {}`;
    b.onLoad({ filter: /.*/, namespace: 'builtin-cjs' }, (a) => ({ contents: `module.exports = ${get(a.path)};`, loader: 'js' }));
    b.onLoad({ filter: /.*/, namespace: 'builtin-esm' }, (a) => {
      const names = Object.keys(require(id(a.path)) as object).filter((k) => /^[A-Za-z_$][\w$]*$/.test(k) && k !== 'default');
      const exports = names.map((k) => `export const ${k} = /* @__PURE__ */ pick(${JSON.stringify(k)});`);
      return { contents: [`const m = ${get(a.path)};`, 'const pick = (k) => m[k];', 'export default m;', ...exports].join('\n'), loader: 'js' };
    });
  },
};

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node22',
  minify: true,
  legalComments: 'eof',
  logLevel: 'warning',
  define: { __FLUX_DEPS_VERSION__: JSON.stringify(pkg.version), __FLUX_DEPS_COMMIT__: JSON.stringify(commit) },
} as const;
rmSync('dist', { recursive: true, force: true });
// The entry: checks, then runs the program through the code cache (src/code-cache.ts).
await build({ ...common, entryPoints: ['src/main.ts'], outfile: 'dist/flux-deps.cjs', plugins: [builtins], banner: { js: `#!/usr/bin/env -S node ${nodeFlags}` } });
chmodSync('dist/flux-deps.cjs', 0o755);
// The program, one file: its dynamic import()s become lazy requires of modules inside it, so a command still runs
// only its own modules' code, and the code cache holds what it compiled.
await build({ ...common, entryPoints: ['src/cli.ts'], outfile: 'dist/program.cjs', plugins: [builtins, besidePlugin, tableShims, yargsPlatform], supported: { 'dynamic-import': false },
  define: { ...common.define, ...programDefine } });
for (const beside of besideBuilds('dist')) await build({ ...common, ...beside, plugins: [builtins, tableShims] });

// kubectl 1.26+ completes `kubectl flux-deps <TAB>` by running kubectl_complete-flux_deps with the words.
writeFileSync('dist/kubectl_complete-flux_deps.cjs', `#!/usr/bin/env -S node ${nodeFlags}\nprocess.argv.splice(2, 0, '__complete');\nrequire('./flux-deps.cjs');\n`, { mode: 0o755 });

// The launchers run the bundle with the project's pinned Node 24, whatever `node` is on PATH.
mkdirSync('bin', { recursive: true });
writeFileSync(
  'bin/kubectl_complete-flux_deps',
  `#!/bin/sh
# Generated by make build: kubectl calls this to complete \`kubectl flux-deps <TAB>\`.
exec "$(dirname "$(readlink -f "$0")")/kubectl-flux_deps" __complete "$@"
`,
  { mode: 0o755 },
);
for (const name of ['flux-deps', 'kubectl-flux_deps']) {
  writeFileSync(
    `bin/${name}`,
    `#!/bin/sh
# Generated by make build: runs this checkout's dist/flux-deps.cjs with the project's pinned Node.js.
# Shell expansions rather than dirname and a subshell: each fork costs a millisecond of a ~40 ms start.
bin=$0
[ -L "$bin" ] && bin=$(readlink -f "$bin")
case $bin in */*) ;; *) bin=./$bin ;; esac
root="\${bin%/*}/.."
FLUX_DEPS_INVOKED_AS=${name} exec "$root/node_modules/node/bin/node" ${nodeFlags} "$root/dist/flux-deps.cjs" "$@"
`,
    { mode: 0o755 },
  );
}

function gitCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}
