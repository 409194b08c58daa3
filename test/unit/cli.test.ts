import assert from 'node:assert/strict';
import { programName, run } from '../../src/cli.ts';
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

  const moreErrors: Array<[string[], string]> = [
    [['tree', '-o', 'png'], '--output must be one of text, json, yaml, dot, mermaid, not "png"'],
    [['tree', '--depth', 'deep'], '--depth needs a number, not "deep"'],
    [['tree', '--from'], 'flag needs an argument: --from'],
    [['why-blocked'], 'why-blocked needs REF'],
    [['why-blocked', 'a', 'b'], 'unexpected argument "b"'],
    [['wait-for', 'a', '--from', 'x.yaml'], 'wait-for needs a live cluster; --from cannot be used with it'],
    [['reconcile', 'a', '--from', 'x.yaml'], 'reconcile needs a live cluster; --from cannot be used with it'],
    [['tree', '--watch', '--from', 'x.yaml'], 'tree --watch needs a live cluster; --from cannot be used with it'],
    [['wait-for', 'a', '--timeout', 'soon'], 'invalid --timeout "soon": use a duration such as 90s or 5m'],
  ];
  for (const [argv, message] of moreErrors) {
    it(`says what is wrong with ${argv.join(' ')}`, async () => {
      const io = recordingIO();
      assert.equal(await run(argv, io), 2);
      assert.equal(io.stderr, `✗ ${message}; see 'flux-deps --help'\n`);
    });
  }

  it('takes global flags before the command, as kubectl does', async () => {
    const io = recordingIO({ readStdin: () => 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: a, namespace: team}\n' });
    assert.equal(await run(['-n', 'team', '--from', '-', 'tree'], io), 0, io.stderr);
    assert.match(io.stdout, /Kustomization\/a/);
  });

  it('shows each command’s flags and examples', async () => {
    const io = recordingIO();
    assert.equal(await run(['tree', '--help'], io), 0);
    assert.match(io.stdout, /^Usage: flux-deps tree \[REF\] \[flags\]$/m);
    assert.match(io.stdout, /^  -o, --output text\|json\|yaml\|dot\|mermaid +Output format \(default text\)$/m);
    assert.match(io.stdout, /^  flux-deps tree --from \.\/clusters\/production -o dot/m);
    assert.match(io.stdout, /^  -n, --namespace string +The namespace in scope \(default flux-system\)$/m);
  });
});
