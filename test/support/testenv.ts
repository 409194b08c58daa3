// The test cluster as tests see it: clients for its two users, a namespace per test, status writes through
// the status subresource (create drops status, as the controllers' own writes show), and the built flux CLI.
import * as k8s from '@kubernetes/client-node';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';

export type User = 'admin' | 'viewer';

export interface Env {
  dir: string;
  bin: string;
  kubeconfig(user: User): string;
}

/** Where `testenv/with-cluster.sh` (make test-cluster) put the running cluster. */
export function testenv(): Env {
  const dir = process.env.FLUX_DEPS_TESTENV_DIR;
  const bin = process.env.FLUX_DEPS_TESTENV_BIN;
  if (!dir || !bin) throw new Error('no test cluster: run these tests with `make test-cluster`');
  return { dir, bin, kubeconfig: (user) => `${dir}/${user}.kubeconfig` };
}

export function kubeConfig(user: User): k8s.KubeConfig {
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(testenv().kubeconfig(user));
  return kc;
}

export function clients(user: User = 'admin') {
  const kc = kubeConfig(user);
  return {
    custom: kc.makeApiClient(k8s.CustomObjectsApi),
    core: kc.makeApiClient(k8s.CoreV1Api),
    apps: kc.makeApiClient(k8s.AppsV1Api),
    rbac: kc.makeApiClient(k8s.RbacAuthorizationV1Api),
    authz: kc.makeApiClient(k8s.AuthorizationV1Api),
  };
}

/** A fresh namespace with a readable, unique name. */
export async function freshNamespace(prefix: string): Promise<string> {
  const name = `${prefix}-${randomBytes(3).toString('hex')}`;
  await clients().core.createNamespace({ body: { metadata: { name } } });
  return name;
}

export interface FluxKind {
  group: string;
  version: string;
  plural: string;
  kind: string;
}
export const kustomizations: FluxKind = { group: 'kustomize.toolkit.fluxcd.io', version: 'v1', plural: 'kustomizations', kind: 'Kustomization' };
export const helmReleases: FluxKind = { group: 'helm.toolkit.fluxcd.io', version: 'v2', plural: 'helmreleases', kind: 'HelmRelease' };
export const gitRepositories: FluxKind = { group: 'source.toolkit.fluxcd.io', version: 'v1', plural: 'gitrepositories', kind: 'GitRepository' };

type Obj = { metadata: { name: string; namespace?: string }; spec?: unknown; status?: unknown };

export async function createFlux(kind: FluxKind, namespace: string, obj: Obj): Promise<Obj> {
  const body = { apiVersion: `${kind.group}/${kind.version}`, kind: kind.kind, ...obj, metadata: { ...obj.metadata, namespace } };
  return (await clients().custom.createNamespacedCustomObject({ ...kind, namespace, body })) as Obj;
}

export async function getFlux(kind: FluxKind, namespace: string, name: string, user: User = 'admin'): Promise<Obj> {
  return (await clients(user).custom.getNamespacedCustomObject({ ...kind, namespace, name })) as Obj;
}

/** Writes status the way the controllers do: through the status subresource, spec untouched. */
export async function writeStatus(kind: FluxKind, namespace: string, name: string, status: unknown): Promise<Obj> {
  const current = await getFlux(kind, namespace, name);
  return (await clients().custom.replaceNamespacedCustomObjectStatus({
    ...kind,
    namespace,
    name,
    body: { ...current, status },
  })) as Obj;
}

/** The HTTP status of a failed API call (403, 404, ...). */
export async function apiErrorCode(call: Promise<unknown>): Promise<number> {
  try {
    await call;
  } catch (err) {
    if (err instanceof k8s.ApiException) return err.code;
    throw err;
  }
  throw new Error('expected the API call to fail');
}

/** Polls until check returns a value; cluster tests only (the product watches). */
export async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Until `user` may `verb` the resource in the namespace, as the API server's own SelfSubjectAccessReview says. A Role
 * and RoleBinding just created are not in force yet: the RBAC authorizer reads them from its informers, a moment
 * later (Kubernetes' e2e tests wait the same way). Times out if the grant never takes effect.
 */
export async function untilAllowed(user: User, namespace: string, group: string, resource: string, verb = 'list'): Promise<void> {
  await eventually(`${user} allowed to ${verb} ${resource}.${group} in ${namespace}`, async () => {
    const review = await clients(user).authz.createSelfSubjectAccessReview({
      body: { spec: { resourceAttributes: { namespace, group, resource, verb } } },
    });
    return review.status?.allowed ? true : undefined;
  });
}

/** Runs a binary the test cluster built (flux, kubectl) as the given user. */
export async function runBinary(name: string, args: string[], user: User = 'admin'): Promise<{ stdout: string; stderr: string }> {
  const env = testenv();
  return promisify(execFile)(`${env.bin}/${name}`, args, { env: { ...process.env, KUBECONFIG: env.kubeconfig(user) } });
}

export interface AuditEvent {
  verb: string;
  user: { username: string };
  objectRef?: { resource?: string; subresource?: string; namespace?: string; name?: string; apiGroup?: string };
  responseStatus?: { code: number };
  stage: string;
}

/** Every completed request the API server logged, oldest first. */
export function auditEvents(): AuditEvent[] {
  return readFileSync(`${testenv().dir}/audit.log`, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as AuditEvent)
    .filter((e) => e.stage === 'ResponseComplete');
}
