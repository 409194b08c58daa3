// flux-deps as kubectl and the flux CLI run it: found as plugins, working against the live cluster, and
// completing live object names through their completion protocols.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createAll } from '../support/apply.ts';
import { hr, ks } from '../support/fixtures.ts';
import { freshNamespace, testenv } from '../support/testenv.ts';

describe('as a kubectl and flux plugin', function () {
  this.timeout(60_000);
  let ns: string;
  const env = (extra: Record<string, string> = {}) => ({ ...process.env, KUBECONFIG: testenv().kubeconfig('admin'), PATH: `${resolve('bin')}:${process.env.PATH}`, ...extra });
  const kubectl = (...args: string[]) => execFileSync(`${testenv().bin}/kubectl`, args, { encoding: 'utf8', env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
  const plugins = mkdtempSync(join(tmpdir(), 'flux-plugins-'));
  const flux = (...args: string[]) => execFileSync(`${testenv().bin}/flux`, args, { encoding: 'utf8', env: env({ FLUXCD_PLUGINS: plugins }), stdio: ['ignore', 'pipe', 'pipe'] });

  before(async () => {
    ns = await freshNamespace('plugin');
    await createAll([ks('infra').ns(ns).ready().build(), ks('apps').ns(ns).dependsOn('infra').ready().build(), hr('redis').ns(ns).ready().build()]);
    symlinkSync(resolve('bin/flux-deps'), join(plugins, 'flux-deps'));
  });

  it('kubectl finds kubectl-flux_deps and runs it as kubectl flux-deps', () => {
    assert.match(kubectl('plugin', 'list'), /\/bin\/kubectl-flux_deps\n/);
    const out = kubectl('flux-deps', 'tree', '-n', ns);
    assert.match(out, /✔ Kustomization\/infra .*\n└── ✔ Kustomization\/apps /);
    assert.match(kubectl('flux-deps', '--help'), /^Usage: kubectl flux-deps <command> \[flags\]$/m);
  });

  it('kubectl completes live names through kubectl_complete-flux_deps', () => {
    const out = kubectl('__complete', 'flux-deps', 'why-blocked', '-n', ns, '');
    assert.deepEqual(out.trimEnd().split('\n'), ['apps', 'hr/redis', 'infra', ':4']);
  });

  it('flux runs it from its plugin directory as flux deps, and completes through __complete', () => {
    assert.match(flux('deps', 'tree', '-n', ns), /✔ Kustomization\/infra/);
    assert.deepEqual(flux('__complete', 'deps', 'tree', '-n', ns, 'a').trimEnd().split('\n'), ['apps', ':4']);
  });
});
