// The entry point of the single executable (Node's SEA, built by `make dist`): the same program as main.ts, for a
// binary that carries its own Node 24, so there is no version to check and no compile cache to enable.
import { run } from './cli.ts';
import { processIO } from './io.ts';

run(process.argv.slice(2), processIO()).then((code) => process.exit(code));
