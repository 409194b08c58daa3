// The entry point of the single executable (Node's SEA, built by `make dist`): the same program as main.ts, for a
// binary that carries its own Node 24, so there is no version to check and no compile cache to enable.
import { run } from './cli.ts';
import { processIO, written } from './io.ts';

// A CommonJS script (no top-level await): exits once stdout and stderr have taken everything, as main.ts does.
run(process.argv.slice(2), processIO()).then(async (code) => {
  await written();
  process.exit(code);
});
