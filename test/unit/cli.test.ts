import assert from 'node:assert/strict';
import { programName, run, usageMessage } from '../../src/cli.ts';
import { recordingIO } from '../support/io.ts';

describe('command line', () => {
  it('prints help on stdout and exits 0, bare or with --help', async () => {
    for (const argv of [[], ['--help'], ['-h']]) {
      const io = recordingIO();
      assert.equal(await run(argv, io), 0);
      assert.match(io.stdout, /Usage: flux-deps <command> \[flags\]/);
      assert.match(io.stdout, /Exit codes: 0 success/);
      assert.equal(io.stderr, '');
    }
  });

  it('prints version, commit and Node.js version', async () => {
    const io = recordingIO();
    assert.equal(await run(['--version'], io), 0);
    assert.match(io.stdout, /^flux-deps \S+ \(commit \S+, node v\d+\.\d+\.\d+\)\n$/);
  });

  it('names itself as kubectl does when called as kubectl-flux_deps', async () => {
    const io = recordingIO({ argv0: '/usr/local/bin/kubectl-flux_deps' });
    await run(['--help'], io);
    assert.match(io.stdout, /Usage: kubectl flux-deps <command>/);
    assert.equal(programName('/x/flux-deps'), 'flux-deps');
  });

  const usageErrors: Array<[string[], string]> = [
    [['frobnicate'], `✗ unknown command "frobnicate"; see 'flux-deps --help'\n`],
    [['--frobnicate'], `✗ unknown flag: --frobnicate; see 'flux-deps --help'\n`],
    [['--frobnicate=3'], `✗ unknown flag: --frobnicate; see 'flux-deps --help'\n`],
    [['--no-frobnicate'], `✗ unknown flag: --no-frobnicate; see 'flux-deps --help'\n`],
  ];
  for (const [argv, expected] of usageErrors) {
    it(`exits 2 with one line for ${argv.join(' ')}`, async () => {
      const io = recordingIO();
      assert.equal(await run(argv, io), 2);
      assert.equal(io.stderr, expected);
      assert.equal(io.stdout, '');
    });
  }

  it('leaves messages it does not recognise as they are', () => {
    assert.equal(usageMessage('Not enough arguments', []), 'Not enough arguments');
  });
});
