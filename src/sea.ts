// The entry point of the single executable (Node's SEA, built by `make dist`): the same program as main.ts, for a
// binary that carries its own Node 24, so there is no version to check and no compile cache to enable.
import { runProcess } from './cli.ts';
import { versionLine } from './version.ts';

const argv = process.argv.slice(2);
if (argv.length === 1 && argv[0] === '--version') {
  // As main.ts: the plain answer before anything else is set up.
  process.stdout.write(versionLine() + '\n');
  process.exit(0);
}

// A CommonJS script: no top-level await.
runProcess(argv).then((code) => process.exit(code));
