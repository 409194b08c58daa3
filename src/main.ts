// The program's entry point (dist/flux-deps.cjs) and the only place that exits the process. It stays tiny: start-up
// is a feature, so the program itself (dist/program.cjs, the bundle of cli.ts) loads only after the cheap checks,
// through V8's code cache (code-cache.ts).
import { readFileSync } from 'node:fs';
import { provideBesides, runProgram, stampOf } from './code-cache.ts';
import { versionLine } from './version.ts';

// npm installs us wherever `node` is; client-node 2.x needs 22.19, so say that rather than crash later.
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 19)) {
  process.stderr.write(`✗ flux-deps needs Node.js >= 22.19; this is ${process.version}\n`);
  process.exit(2);
}

const argv = process.argv.slice(2);
if (argv.length === 1 && argv[0] === '--version') {
  process.stdout.write(versionLine() + '\n');
  process.exit(0);
}

// A CommonJS bundle: __dirname is where make build put the program beside this file.
const filename = `${__dirname}/program.cjs`;
const program = { source: readFileSync(filename, 'utf8'), filename, stamp: stampOf(filename) };
provideBesides((file) => readFileSync(`${__dirname}/${file}`, 'utf8'), program, argv, process.env, require);
const { runProcess } = runProgram(program, argv, process.env, require) as typeof import('./cli.ts');
runProcess(argv).then((code) => process.exit(code));
