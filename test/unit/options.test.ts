// The command line's boundary: argv becomes one typed value per command (Command.options), table-tested.
import assert from 'node:assert/strict';
import { parseCommandLine } from '../../src/args.ts';
import { commandsFor } from '../../src/cli.ts';
import { UsageError } from '../../src/errors.ts';
import { globalFlags } from '../../src/options.ts';
import { recordingIO } from '../support/io.ts';

const io = recordingIO({ env: {} });
const optionsOf = (argv: string[]) => {
  const parsed = parseCommandLine(argv, 'flux-deps', globalFlags(io.env), commandsFor(io), '');
  assert.equal(parsed.kind, 'run');
  const run = parsed as Extract<typeof parsed, { kind: 'run' }>;
  return run.command.options(run.args);
};
const global = (extra: object = {}) => ({ cluster: {}, namespace: 'flux-system', allNamespaces: false, color: true, ...extra });
const ks = (name: string, namespace = 'flux-system') => ({ kind: 'Kustomization', namespace, name });
const hr = (name: string, namespace = 'flux-system') => ({ kind: 'HelmRelease', namespace, name });
const tree = (extra: object = {}) => ({ namespace: 'flux-system', allNamespaces: false, direction: 'upstream', inventory: false, ...extra });

const table: Array<[string[], unknown]> = [
  [['tree'], { global: global(), tree: tree(), output: 'text', levels: false, watch: false }],
  [['tree', 'apps', '--downstream', '--depth', '2', '--levels', '-o', 'json'], { global: global(), tree: tree({ ref: ks('apps'), direction: 'downstream', depth: 2 }), output: 'json', levels: true, watch: false }],
  [['-n', 'team', 'tree', 'hr/db', '--inventory', '-w'], { global: global({ namespace: 'team' }), tree: tree({ namespace: 'team', ref: hr('db', 'team'), inventory: true }), output: 'text', levels: false, watch: true }],
  [['tree', '-A', '-l', 'team=a', '--from', 'x.yaml', '--no-color'], { global: global({ allNamespaces: true, selector: 'team=a', from: 'x.yaml', color: false }), tree: tree({ allNamespaces: true, selector: 'team=a' }), output: 'text', levels: false, watch: false }],
  [['why-blocked', 'hr/podinfo', '-o', 'yaml', '--context', 'prod', '--as-group', 'a', '--as-group', 'b'], { global: global({ cluster: { context: 'prod', asGroup: ['a', 'b'] } }), ref: hr('podinfo'), output: 'yaml' }],
  // a list flag given once is a list of one (it was a lone string, and --as-group was dropped); others keep the last
  [['why-blocked', 'apps', '--as', 'jane', '--as-group', 'system:masters', '-n', 'a', '-n', 'b'], { global: global({ namespace: 'b', cluster: { as: 'jane', asGroup: ['system:masters'] } }), ref: ks('apps', 'b'), output: 'text' }],
  [['wait-for', 'apps', 'hr/db', '--revision', 'abc1234', '--fail-fast', '--timeout', '90s'], { global: global(), refs: [ks('apps'), hr('db')], timeout: '90s', timeoutMs: 90_000, revision: 'abc1234', failFast: true, withUpstream: false, all: false, output: 'text' }],
  [['wait-for', '--all', '--with-upstream', '-o', 'json'], { global: global(), refs: [], timeout: '5m', timeoutMs: 300_000, failFast: false, withUpstream: true, all: true, output: 'json' }],
  [['reconcile', 'apps', '--with-source', '--with-upstream', '--no-wait', '--server', 'https://k:6443', '--token', 't'], { global: global({ cluster: { server: 'https://k:6443', token: 't' } }), ref: ks('apps'), timeout: '5m', timeoutMs: 300_000, withSource: true, withUpstream: true, releaseRequests: [], noWait: true }],
  // helm-controller's requests, for HelmReleases (a Kustomization has none: below)
  [['reconcile', 'hr/db', '--reset', '--force'], { global: global(), ref: hr('db'), timeout: '5m', timeoutMs: 300_000, withSource: false, withUpstream: false, releaseRequests: ['reset', 'force'], noWait: false }],
  [['snapshot', '-n', 'prod', '--kubeconfig', 'k.yaml', '--request-timeout', '10s', '--insecure-skip-tls-verify'], { global: global({ namespace: 'prod', cluster: { kubeconfig: 'k.yaml', requestTimeout: '10s', insecureSkipTlsVerify: true } }) }],
  [['completion', 'zsh'], { shell: 'zsh' }],
];

describe('typed options per command', () => {
  for (const [argv, expected] of table) {
    it(argv.join(' '), () => assert.deepEqual(optionsOf(argv), expected));
  }
  it('--reset and --force on a Kustomization are a usage error naming it', () => {
    for (const flag of ['--reset', '--force']) {
      assert.throws(() => optionsOf(['reconcile', 'apps', flag]), (e: Error) => e instanceof UsageError && e.message === `${flag} is for HelmReleases (helm-controller's requests), not Kustomization flux-system/apps`);
    }
  });
  it('the namespace default follows FLUX_SYSTEM_NAMESPACE', () => {
    const env = { FLUX_SYSTEM_NAMESPACE: 'flux' };
    const e = recordingIO({ env });
    const parsed = parseCommandLine(['snapshot'], 'flux-deps', globalFlags(env), commandsFor(e), '') as { kind: 'run'; command: { options(a: unknown): unknown }; args: unknown };
    assert.deepEqual(parsed.command.options(parsed.args), { global: global({ namespace: 'flux' }) });
  });
});
