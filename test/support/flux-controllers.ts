// The real source-, kustomize- and helm-controller of the test cluster's `flux` profile (testenv/up.sh): they
// own only objects carrying its label, so the tests that play the controllers' part keep their own objects.
import { runBinary, testenv } from './testenv.ts';

/** The label (`key=value`) the real controllers watch; throws when the cluster runs none. */
export function controllerLabel(): { key: string; value: string } {
  const label = process.env.FLUX_DEPS_CONTROLLER_LABEL;
  if (!label || process.env.FLUX_DEPS_TESTENV_PROFILE !== 'flux') {
    throw new Error(`the test cluster runs no Flux controllers (profile ${process.env.FLUX_DEPS_TESTENV_PROFILE ?? '?'}): run with make test-cluster (PROFILE=flux)`);
  }
  const [key = '', value = ''] = label.split('=');
  return { key, value };
}

/** Metadata for an object the real controllers reconcile. */
export function owned(name: string): { name: string; labels: Record<string, string> } {
  const { key, value } = controllerLabel();
  return { name, labels: { [key]: value } };
}

/** A GitRepository the real source-controller fetches: every ten minutes, or when asked (requestReconcile). */
export function ownedGitRepository(namespace: string, name: string, url: string, branch = 'main') {
  return { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', metadata: { ...owned(name), namespace }, spec: { interval: '10m', url, ref: { branch } } };
}

/** A Kustomization the real kustomize-controller reconciles; the spec is the test's own. */
export function ownedKustomization(namespace: string, name: string, spec: Record<string, unknown>) {
  return { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { ...owned(name), namespace }, spec };
}

/** Asks a controller to reconcile now, as `flux reconcile` does: the requestedAt annotation (kubectl, not flux-deps). */
export async function requestReconcile(resource: string, namespace: string, name: string): Promise<void> {
  await runBinary('kubectl', ['annotate', '--overwrite', '-n', namespace, `${resource}/${name}`, `reconcile.fluxcd.io/requestedAt=${new Date().toISOString()}`]);
}

/** The last lines of a controller's log, for a failing test's message. */
export async function controllerLog(name: 'source-controller' | 'kustomize-controller' | 'helm-controller', lines = 15): Promise<string> {
  const { readFileSync } = await import('node:fs');
  return readFileSync(`${testenv().dir}/logs/${name}.log`, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

/**
 * A message with its variable parts replaced, so a controller's message and a test fixture's compare by shape:
 * revisions, Go durations, object ids in a health-check list, a dependency's `'ns/name'`.
 */
export function messageShape(message: string): string {
  return message
    .replace(/\b[\w.-]+@sha1:[0-9a-f]{40}\b/g, '<revision>')
    .replace(/\b(\d+(\.\d+)?(ns|µs|us|ms|s|m|h))+\b/g, '<duration>')
    .replace(/\b[A-Z]\w*\/[\w.-]+\/[\w.-]+ status: '\w+'/g, "<Kind/ns/name> status: '<status>'")
    .replace(/'[\w.-]+\/[\w.-]+'/g, "'<ns>/<name>'");
}
