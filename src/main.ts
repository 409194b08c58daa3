// The program's entry point and the only place that exits the process. It stays tiny: start-up is a feature,
// so the command line and everything heavier load only after the cheap checks.
// A namespace import: a named one of enableCompileCache would fail to link on the old Node we must refuse politely.
import * as nodeModule from 'node:module';
import { versionLine } from './version.ts';

// npm installs us wherever `node` is; client-node 2.x needs 22.19, so say that rather than crash later.
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 19)) {
  process.stderr.write(`✗ flux-deps needs Node.js >= 22.19; this is ${process.version}\n`);
  process.exit(2);
}

// V8's code cache on disk: the second start skips compiling the bundle (~15 ms of a ~70 ms start).
nodeModule.enableCompileCache?.();

const argv = process.argv.slice(2);
if (argv.length === 1 && argv[0] === '--version') {
  process.stdout.write(versionLine() + '\n');
  process.exit(0);
}

const { runProcess } = await import('./cli.ts');
process.exit(await runProcess(argv));
