// Completion in Cobra's __complete protocol, and the bash script that speaks it.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { run } from '../../src/cli.ts';
import { recordingIO } from '../support/io.ts';

async function complete(...words: string[]): Promise<string[]> {
  const io = recordingIO();
  assert.equal(await run(['__complete', ...words], io), 0);
  return io.stdout.trimEnd().split('\n');
}

describe('completion', () => {
  const cases: Array<[string[], string[]]> = [
    [['w'], ['why-blocked\tExplain why a Kustomization or HelmRelease is not Ready: the upstream object, health check and pod at fault', 'wait-for\tWait until Kustomizations or HelmReleases are Ready at the awaited revision, by watching; explain if not', ':4']],
    [['tree', '--dep'], ['--depth\tStop the walk after N levels', ':4']],
    [['tree', '--no-co'], ['--no-color\tColour on a terminal; --no-color (or NO_COLOR) turns it off', ':4']],
    [['why-blocked', '-o', ''], ['text', 'json', 'yaml', ':4']],
    [['tree', '-o', ''], ['text', 'json', 'yaml', 'dot', 'mermaid', 'svg', 'html', ':4']],
    [['tree', '--from', ''], [':0']],
    [['completion', ''], ['bash', 'zsh', 'fish', ':4']],
    [['m'], ['mcp\tServe the read commands (and reconcile, with --allow-reconcile) as Model Context Protocol tools on stdio, for AI assistants', ':4']],
    [['mcp', '--allow'], ['--allow-reconcile\tOffer the reconcile tool (it writes the reconcile.fluxcd.io/requestedAt annotation); without it the server only reads', ':4']],
    [['why-blocked', '--from', 'examples/seed-chain.yaml', 'mi'], ['middleware', ':4']],
    [['tree', '--from', 'test/golden/tree/multi-namespace.yaml', '-n', 'team-a', ''], ['apps', 'hr/cache', 'hr/redis', ':4']],
  ];
  for (const [words, expected] of cases) {
    it(`__complete ${words.map((w) => w || "''").join(' ')}`, async () => assert.deepEqual(await complete(...words), expected));
  }

  it('answers nothing, not an error, when names cannot be read', async () => {
    assert.deepEqual(await complete('tree', '--from', '/no/such/file', ''), [':4']);
  });

  it('prints scripts for bash, zsh and fish, and refuses others', async () => {
    for (const shell of ['bash', 'zsh', 'fish']) {
      const io = recordingIO();
      assert.equal(await run(['completion', shell], io), 0);
      assert.match(io.stdout, /flux-deps __complete|\$\{COMP_WORDS\[0\]\}" __complete|words\[1\]\} __complete/);
    }
    const io = recordingIO();
    assert.equal(await run(['completion', 'powershell'], io), 2);
  });

  it('completes in a real bash through the script', () => {
    const script = 'source <(flux-deps completion bash); COMP_WORDS=(flux-deps why-blocked --from examples/seed-chain.yaml a); COMP_CWORD=4; _flux_deps; echo "${COMPREPLY[@]}"';
    const out = execFileSync('bash', ['-c', script], { encoding: 'utf8', env: { PATH: `${resolve('bin')}:/usr/bin:/bin` } });
    assert.equal(out.trim(), 'app');
  });

  it('kubectl_complete-flux_deps answers the same protocol', () => {
    const out = execFileSync('bin/kubectl_complete-flux_deps', ['tree', '--out'], { encoding: 'utf8' });
    assert.equal(out, '--output\tOutput format\n:4\n');
  });
});
