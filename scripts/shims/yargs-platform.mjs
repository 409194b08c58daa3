// The bundle's yargs platform (make build puts it in place of yargs' lib/platform-shims/esm.mjs): what yargs needs
// to parse, and no more, loaded at start; what only help needs, loaded when help is rendered. yargs' own shim costs
// every run 40-55 ms before a command starts (make bench): it imports string-width 8 (Intl.Segmenter and Unicode
// regular expressions) and cliui, node:assert, reads process.stdout.columns (which builds the TTY stream) and
// looks up a locale file through y18n. Here: the same English messages, printf-formatted as y18n does; asserts
// of two lines; cliui and string-width only on --help; the terminal width only asked then.
import Parser from 'yargs-parser';
import { getProcessArgvBin } from '../../node_modules/yargs/build/lib/utils/process-argv.js';

const { format, inspect } = process.getBuiltinModule('node:util');
const path = process.getBuiltinModule('node:path');
const fs = process.getBuiltinModule('node:fs');

const fail = (message) => {
  throw new Error(message);
};

export default {
  assert: {
    notStrictEqual: (a, b, message) => a !== b || fail(message ?? `${inspect(a)} == ${inspect(b)}`),
    strictEqual: (a, b, message) => a === b || fail(message ?? `${inspect(a)} != ${inspect(b)}`),
  },
  // Only usage (help and the failure's usage) builds a cliui; flux-deps fails with its own one line.
  cliui: (opts) => { const m = require('cliui'); return (m.default ?? m)(opts); },
  findUp: () => undefined,
  getEnv: (key) => process.env[key],
  inspect,
  getProcessArgvBin,
  mainFilename: process.cwd(),
  Parser,
  path: { basename: path.basename, dirname: path.dirname, extname: path.extname, relative: path.relative, resolve: path.resolve, join: path.join },
  process: {
    argv: () => process.argv,
    cwd: process.cwd,
    emitWarning: (warning, type) => process.emitWarning(warning, type),
    execPath: () => process.execPath,
    exit: (code) => process.exit(code),
    nextTick: process.nextTick,
    get stdColumns() {
      return process.stdout.isTTY ? process.stdout.columns : null;
    },
  },
  readFileSync: fs.readFileSync,
  readdirSync: fs.readdirSync,
  require: (id) => fail(`flux-deps' yargs loads no modules (${id})`),
  getCallerFile: () => '',
  stringWidth: (s) => { const m = require('string-width'); return (m.default ?? m)(s); },
  y18n: {
    __: (s, ...args) => format(s, ...args),
    __n: (one, other, n, ...args) => format(n === 1 ? one : other, ...args),
    setLocale: () => {},
    getLocale: () => 'en',
    updateLocale: () => {},
  },
};
