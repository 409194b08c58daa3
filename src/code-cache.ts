// Runs the bundled program (one CommonJS file) with V8's code cache, made at the end of a run rather than before it.
//
// Node's own compile cache (module.enableCompileCache) is made when a file is compiled, before it runs: it holds the
// top level, and every function a command calls was compiled again at every start (why-blocked: ~9 ms of ~75,
// make bench). This cache is made at exit, with everything the run compiled in it; one per command, since each run
// compiles only its own command's path. It lives in the user's cache directory, under a key naming the build (V8
// itself checks only the source's length) and the Node that made it. A cache V8 rejects is rewritten; a cache that
// cannot be read or written costs only the time it would have saved.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { Script } from 'node:vm';
import { commit, version } from './version.ts';

/** The program's source, the file name its stack traces show, and a stamp that changes with every build. */
export interface Program {
  source: string;
  filename: string;
  stamp: string;
}

/** A stamp for the build a file holds: version, commit, and the file's size and time (a checkout rebuilds often). */
export function stampOf(file: string): string {
  const { size, mtimeMs } = statSync(file);
  return `${version}-${commit}-${size}-${Math.trunc(mtimeMs)}`;
}

// The commands (cli.ts registers them; a unit test keeps this list in step). Anything else shares one cache.
const commands = /^(tree|why-blocked|timeline|wait-for|reconcile|snapshot|lint|mcp|completion|__complete|__completeNoDesc)$/;

/** Which cache a command line uses: its command's own, as it compiles only that command's code. */
export function cacheName(argv: readonly string[]): string {
  return commands.test(argv[0] ?? '') ? argv[0] as string : 'other';
}

/** The directory for this build's caches, or undefined when caching is off (as for Node's own compile cache). */
export function cacheDir(env: NodeJS.ProcessEnv, stamp: string): string | undefined {
  if (env.NODE_DISABLE_COMPILE_CACHE) return undefined;
  const base = env.XDG_CACHE_HOME || (env.HOME ? `${env.HOME}/.cache` : undefined);
  return base ? `${base}/flux-deps/code/${stamp}-node${process.versions.node}-${process.arch}`.replace(/[^\w./-]/g, '_') : undefined;
}

/**
 * Compiles and runs the program (or `part`, a library beside it) as Node runs a CommonJS module, and returns its
 * exports. `require` is the caller's: it gives the program Node's built-ins.
 */
export function runProgram(program: Program, argv: readonly string[], env: NodeJS.ProcessEnv, require: NodeJS.Require, part?: string): Record<string, unknown> {
  const dir = cacheDir(env, program.stamp);
  const file = dir && `${dir}/${cacheName(argv)}${part ? `.${part}` : ''}.v8`;
  const cachedData = file ? readIfThere(file) : undefined;
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${program.source}\n})`, {
    filename: program.filename,
    cachedData,
  });
  if (dir && file && (cachedData === undefined || script.cachedDataRejected)) process.once('exit', () => save(dir, file, script));
  const module = { exports: {} as Record<string, unknown> };
  const dirname = program.filename.slice(0, program.filename.lastIndexOf('/'));
  (script.runInThisContext() as (...a: unknown[]) => void)(module.exports, require, module, program.filename, dirname);
  return module.exports;
}

/**
 * Libraries only some runs need (yaml, CEL, the spinner, client-node: scripts/bundle-shims.ts) are files of their
 * own beside the program, so that a run reads and deserializes only what it loads. The program asks for one by
 * file name through this global, which the entry (main.ts, sea.ts) sets: it knows where the files are, and runs
 * them through the same code cache, in the program's build directory.
 */
export const besideKey = Symbol.for('flux-deps.beside');
export type BesideLoader = (file: string) => Record<string, unknown>;

export function provideBesides(load: (file: string) => string, program: Program, argv: readonly string[], env: NodeJS.ProcessEnv, require: NodeJS.Require): void {
  const loaded = new Map<string, Record<string, unknown>>();
  const loader: BesideLoader = (file) => {
    let exports = loaded.get(file);
    if (!exports) {
      exports = runProgram({ source: load(file), filename: `${program.filename.slice(0, program.filename.lastIndexOf('/'))}/${file}`, stamp: program.stamp }, argv, env, require, file.replace(/\.cjs$/, ''));
      loaded.set(file, exports);
    }
    return exports;
  };
  (globalThis as Record<symbol, unknown>)[besideKey] = loader;
}

function readIfThere(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

const day = 24 * 60 * 60 * 1000;

// At exit, once per build and command: written beside and renamed, so a concurrent run reads all or nothing. Other
// builds' caches untouched for a day go (a checkout makes a new build at every `make build`).
function save(dir: string, file: string, script: Script): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const partial = `${file}.${process.pid}`;
    writeFileSync(partial, script.createCachedData(), { mode: 0o600 });
    renameSync(partial, file);
    const parent = dir.slice(0, dir.lastIndexOf('/'));
    for (const other of readdirSync(parent)) {
      const path = `${parent}/${other}`;
      if (path !== dir && statSync(path).mtimeMs < Date.now() - day) rmSync(path, { recursive: true, force: true });
    }
  } catch {
    // A read-only or full disk: the next start compiles as it would have without a cache.
  }
}
