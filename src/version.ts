// Set by the bundler (scripts/build.ts); absent when the sources run directly under test.
declare const __FLUX_DEPS_VERSION__: string | undefined;
declare const __FLUX_DEPS_COMMIT__: string | undefined;

export const version = typeof __FLUX_DEPS_VERSION__ === 'string' ? __FLUX_DEPS_VERSION__ : '0.0.0-dev';
export const commit = typeof __FLUX_DEPS_COMMIT__ === 'string' ? __FLUX_DEPS_COMMIT__ : 'unknown';

/** The --version line: version, commit and the Node.js running us (a support question's first three answers). */
export function versionLine(): string {
  return `flux-deps ${version} (commit ${commit}, node ${process.version})`;
}
