// The entry point of the single executable (Node's SEA, built by `make dist`): main.ts for a binary that carries
// its own Node 24 and its program as an asset, so there is no version to check and no file to read.
import { getAsset } from 'node:sea';
import { provideBesides, runProgram, stampOf } from './code-cache.ts';
import { versionLine } from './version.ts';

const argv = process.argv.slice(2);
if (argv.length === 1 && argv[0] === '--version') {
  // As main.ts: the plain answer before anything else is set up.
  process.stdout.write(versionLine() + '\n');
  process.exit(0);
}

// The executable is the build: its size and time stamp its code cache (release archives all carry time 0).
const program = { source: getAsset('program.cjs', 'utf8'), filename: 'flux-deps/program.cjs', stamp: stampOf(process.execPath) };
provideBesides((file) => getAsset(file, 'utf8'), program, argv, process.env, require);
const { runProcess } = runProgram(program, argv, process.env, require) as typeof import('./cli.ts');
// A CommonJS script: no top-level await.
runProcess(argv).then((code) => process.exit(code));
