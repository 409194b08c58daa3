// What a failed Kustomization's message says beyond itself, by kustomize-controller v1.9.6's exact words (seen on
// the real controller, test/cluster/real-exercises.test.ts and real-cases.test.ts): an object named in
// spec.postBuild.substituteFrom that does not exist, a spec.path not in the artifact, the ServiceAccount it
// impersonates refused by the API server.
import type { CheckedObject } from './health-checks.ts';
import type { KubeObject } from './objects.ts';

export interface FailureCause {
  objects: CheckedObject[];
  notes: string[];
  /** The ServiceAccount the controller impersonated and the API server refused (next-steps.ts looks into it). */
  serviceAccount?: ServiceAccountRef;
}

export interface ServiceAccountRef {
  namespace: string;
  name: string;
}

// `post build failed for 'ConfigMap.v1.[noGrp]/settings': substitute from 'ConfigMap/cluster-vars' error:
// configmaps "cluster-vars" not found` (BuildFailed; fluxcd/pkg/kustomize LoadVariables). The referenced object
// is always in the Kustomization's own namespace; an entry marked `optional: true` is skipped when missing.
const missingSubstitution = /substitute from '(ConfigMap|Secret)\/([^']+)' error: \w+ "[^"]*" not found/;
// `kustomization path not found: stat /tmp/kustomization-493980359/no-such-path: no such file or directory`
// (ArtifactFailed, like a missing artifact: the source is fine, the path is not in it). A prefix is the exact
// contract here: the controller writes `fmt.Errorf("kustomization path not found: %w", err)` around os.Stat's
// error, whose rest (a temporary directory, the OS's words) varies.
const missingPathPrefix = 'kustomization path not found: ';

/** A Ready reason and message saying spec.path is not in the source's artifact (the Kustomization's own failure). */
export function isMissingPath(reason: string | undefined, message: string | undefined): boolean {
  return reason === 'ArtifactFailed' && (message ?? '').startsWith(missingPathPrefix);
}
// `... is forbidden: User "system:serviceaccount:<ns>:<name>" cannot patch resource ...`: with
// spec.serviceAccountName the controller impersonates that account, which need not exist.
const refusedAccount = /User "system:serviceaccount:([^:"]+):([^"]+)" cannot/;

/** The cause a failed Kustomization's Ready message names, if it is one of these. */
export function failureCause(obj: KubeObject, reason: string, message: string, namespace: string): FailureCause | undefined {
  const substitution = reason === 'BuildFailed' ? missingSubstitution.exec(message) : null;
  if (substitution) {
    const [, kind = '', name = ''] = substitution;
    return {
      objects: [{ id: `${kind}/${namespace}/${name}`, status: 'NotFound', message: 'named in spec.postBuild.substituteFrom, it does not exist', details: [] }],
      notes: ['create it, or mark its substituteFrom entry optional: true (its variables then take their ${var:=default} defaults); kustomize-controller does not notice it appear unless it is labelled reconcile.fluxcd.io/watch=Enabled'],
    };
  }
  if (isMissingPath(reason, message)) {
    return { objects: [], notes: [`spec.path ${String(obj.spec?.path ?? '(none)')} is not a directory of its source's artifact: fix the path, or add the directory to the repository`] };
  }
  const account = refusedAccount.exec(message);
  const named = typeof obj.spec?.serviceAccountName === 'string' ? obj.spec.serviceAccountName : undefined;
  if (account && named === account[2]) {
    const serviceAccount = { namespace: account[1] ?? '', name: account[2] };
    return {
      objects: [],
      notes: [`kustomize-controller acts as ServiceAccount ${serviceAccount.namespace}/${serviceAccount.name} (spec.serviceAccountName), and the API server refused it: the account does not exist, or no RoleBinding grants it this`],
      serviceAccount,
    };
  }
  return undefined;
}
