import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { programName, run } from '../../src/cli.ts';
import { describeError } from '../../src/errors.ts';
import { recordingIO } from '../support/io.ts';

// 3 MB of nested flow sequences: the parsers recurse, and the stack ends before the input does.
const dir = mkdtempSync(join(tmpdir(), 'cli-'));
const deep = join(dir, 'deep.yaml');
writeFileSync(deep, '['.repeat(1_500_000) + ']'.repeat(1_500_000));
const deepJSON = join(dir, 'deep.json');
writeFileSync(deepJSON, '['.repeat(1_500_000) + ']'.repeat(1_500_000));

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
    // "did you mean", for mistyped commands and flags
    [['tre'], `✗ unknown command "tre"; did you mean "tree"?; see 'flux-deps --help'\n`],
    [['why-blokced', 'apps'], `✗ unknown command "why-blokced"; did you mean "why-blocked"?; see 'flux-deps --help'\n`],
    [['tree', '--namspace', 'x'], `✗ unknown flag: --namspace; did you mean --namespace?; see 'flux-deps --help'\n`],
    [['wait-for', 'a', '--fail-fats'], `✗ unknown flag: --fail-fats; did you mean --fail-fast?; see 'flux-deps --help'\n`],
    [['tree', '--revision', 'x'], `✗ unknown flag: --revision; see 'flux-deps --help'\n`],
    [['--frobnicate'], `✗ unknown flag: --frobnicate; see 'flux-deps --help'\n`],
    [['--frobnicate=3'], `✗ unknown flag: --frobnicate; see 'flux-deps --help'\n`],
    [['--no-frobnicate'], `✗ unknown flag: --no-frobnicate; see 'flux-deps --help'\n`],
    // helm-controller's requests have no meaning for kustomize-controller
    [['reconcile', 'ks/apps', '--reset'], `✗ --reset is for HelmReleases (helm-controller's requests), not Kustomization flux-system/apps; see 'flux-deps --help'\n`],
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
    [['tree', '-o', 'png'], '--output must be one of text, json, yaml, dot, mermaid, svg, html, not "png"'],
    [['tree', '--depth', 'deep'], '--depth needs a number, not "deep"'],
    [['tree', '--from'], 'flag needs an argument: --from'],
    [['why-blocked'], 'why-blocked needs REF'],
    [['why-blocked', 'a', 'b'], 'unexpected argument "b"'],
    [['wait-for', 'a', '--from', 'x.yaml'], 'wait-for needs a live cluster; --from cannot be used with it'],
    [['reconcile', 'a', '--from', 'x.yaml'], 'reconcile needs a live cluster; --from cannot be used with it'],
    [['tree', '--watch', '--from', 'x.yaml'], 'tree --watch needs a live cluster; --from cannot be used with it'],
    [['wait-for', 'a', '--timeout', 'soon'], 'invalid --timeout "soon": use a duration such as 90s or 5m'],
    [['wait-for', 'a', '--revision', '3f2'], 'invalid --revision "3f2": a digest prefix needs at least 4 hex characters'],
    [['wait-for', 'a', '--revision', 'main@sha1:3f2'], 'invalid --revision "main@sha1:3f2": a digest prefix needs at least 4 hex characters'],
    // a value that starts with a dash is the flag's value, judged as one (not "argument is ambiguous")
    [['tree', '--depth', '-1'], '--depth must be a whole number >= 0, not -1'],
    [['tree', '--depth=-1'], '--depth must be a whole number >= 0, not -1'],
    [['tree', '--depth', '1.5'], '--depth must be a whole number >= 0, not 1.5'],
    [['wait-for', 'x', '--timeout', '-5s'], 'invalid --timeout "-5s": a duration cannot be negative; use one such as 90s or 5m'],
    [['reconcile', 'x', '--timeout', '-5s'], 'invalid --timeout "-5s": a duration cannot be negative; use one such as 90s or 5m'],
    [['tree', '-s', 'not a url'], `invalid --server "not a url": use the API server's URL, such as https://127.0.0.1:6443`],
    [['tree', '--server', 'ftp://x'], `invalid --server "ftp://x": use the API server's URL, such as https://127.0.0.1:6443`],
    [['--kubeconfig', '/etc/passwd', 'tree'], '/etc/passwd is not a kubeconfig (a YAML mapping with clusters, users and contexts)'],
    [['tree', '--from', deep], `${deep}: nested too deeply to read`],
    [['tree', '--from', deepJSON], `${deepJSON}: nested too deeply to read`],
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
    assert.match(io.stdout, /^  -o, --output +Output format\n +\[string\] \[choices: "text", "json", "yaml", "dot", "mermaid", "svg", "html"\] \[default: "text"\]$/m);
    assert.match(io.stdout, /^  flux-deps tree --from \.\/fleet -o svg > graph\.svg /m);
    assert.match(io.stdout, /^  flux-deps tree -A -o html > graph\.html /m);
    assert.match(io.stdout, /^  -n, --namespace +The namespace in scope +\[string\] \[default: "flux-system"\]$/m);
    assert.match(io.stdout, /^Exit codes: 0 success/m);
  });

  it('gives an internal error (a bug) its own exit code, and says where to report it', () => {
    const { exitCode, message } = describeError(new TypeError("Cannot read properties of undefined (reading 'x')\n    at f"));
    assert.equal(exitCode, 70);
    assert.equal(message, "internal error: Cannot read properties of undefined (reading 'x'); this is a bug in flux-deps: please report it at https://github.com/flux-deps/flux-deps/issues with the command and the output of FLUX_DEPS_DEBUG=1");
  });
});
