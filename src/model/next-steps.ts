// The commands to run next for a root cause: the flux and kubectl commands an on-call engineer would type.
import type { RootCause } from './blockers.ts';
import { fluxSourceCommands, HELMRELEASE, KUSTOMIZATION, resumeCommand } from './flux.ts';

const fluxKind: Record<string, string> = { [KUSTOMIZATION]: 'kustomization', [HELMRELEASE]: 'helmrelease' };

function parts(id: string): { kind: string; namespace: string; name: string } {
  const [kind = '', a = '', b] = id.split('/');
  return b === undefined ? { kind, namespace: '', name: a } : { kind, namespace: a, name: b };
}

const ns = (namespace: string) => (namespace ? ` -n ${namespace}` : '');

/** A root cause that is only the controller not having looked again yet: until its dependency requeue, or its interval. */
export type StaleWait = 'dependency requeue' | 'interval';

/** What to run next, most useful first. */
export function nextSteps(cause: RootCause, waiting?: StaleWait): string[] {
  const at = parts(cause.object);
  const flux = fluxKind[at.kind];
  const dependent = cause.path.length > 1 ? parts(cause.path[cause.path.length - 2] as string) : undefined;
  const reconcile = (id: { kind: string; namespace: string; name: string }) =>
    `flux reconcile ${fluxKind[id.kind] ?? 'kustomization'} ${id.name}${ns(id.namespace)} --with-source`;
  const fluxLogs = `flux logs --kind=${at.kind} --name=${at.name}${at.namespace ? ` --namespace=${at.namespace}` : ''}`;

  switch (cause.reason) {
    case 'HealthCheckFailed':
    case 'Progressing': {
      // Waiting out the 30 s dependency requeue (blockers.ts staleWait): a reconcile request checks now.
      if (waiting === 'dependency requeue' && flux) return [`flux reconcile ${flux} ${at.name}${ns(at.namespace)}   # check now rather than within 30s`];
      const steps = cause.objects.slice(0, 2).flatMap((o) => inspect(o.id, o.details));
      if (cause.reason === 'Progressing' && flux) steps.push(`flux events --for ${at.kind}/${at.name}${ns(at.namespace)}`);
      if (flux) steps.push(`${reconcile(at)}   # once fixed in Git`);
      return steps;
    }
    case 'Suspended':
      return [resumeCommand(at.kind, at.name, at.namespace)];
    case 'NotFound':
      if (fluxSourceCommands[at.kind] || at.kind === 'ExternalArtifact') return [`flux get sources all${ns(at.namespace)}`];
      return [
        `kubectl get ${flux ?? at.kind.toLowerCase()}s${ns(at.namespace)}   # the names that exist`,
        ...(dependent ? [`kubectl get ${fluxKind[dependent.kind] ?? 'kustomization'} ${dependent.name}${ns(dependent.namespace)} -o jsonpath='{.spec.dependsOn}'`] : []),
      ];
    case 'SourceNotReady': {
      const secret = cause.notes.map((n) => /^its credentials: Secret \S+?\/(\S+)/.exec(n)?.[1]).find(Boolean);
      if (fluxSourceCommands[at.kind]) {
        return [
          `flux get sources ${fluxSourceCommands[at.kind]} ${at.name}${ns(at.namespace)}`,
          `kubectl describe ${at.kind.toLowerCase()} ${at.name}${ns(at.namespace)}`,
          ...(secret ? [`kubectl get secret ${secret}${ns(at.namespace)}   # the credentials it uses`] : []),
        ];
      }
      return [`kubectl describe ${flux ?? at.kind.toLowerCase()} ${at.name}${ns(at.namespace)}`];
    }
    case 'DependencyCycle':
      return [`flux-deps tree ${flux === 'helmrelease' ? 'hr/' : ''}${at.name}${ns(at.namespace)}   # then remove one dependsOn entry of the cycle`];
    case 'ReconciliationFailed': {
      // helm-controller retries an exhausted release only once its failure count is reset.
      const exhausted = at.kind === HELMRELEASE && cause.notes.some((n) => n.startsWith('Stalled (RetriesExceeded)'));
      // A substituteFrom object that does not exist (post-build.ts): create it, then ask, as nothing watches it.
      const missing = cause.objects.find((o) => o.status === 'NotFound' && /^(ConfigMap|Secret)\//.test(o.id));
      if (missing) {
        const m = parts(missing.id);
        const create = m.kind === 'Secret' ? `kubectl create secret generic ${m.name}` : `kubectl create configmap ${m.name}`;
        return [`${create}${ns(m.namespace)} --from-literal=KEY=VALUE   # the variables it substitutes`, `flux reconcile kustomization ${at.name}${ns(at.namespace)}   # once it exists`];
      }
      // The ServiceAccount spec.serviceAccountName impersonates, refused: does it exist, what may it do.
      const account = cause.serviceAccount;
      if (account) {
        const user = `system:serviceaccount:${account.namespace}:${account.name}`;
        return [`kubectl get serviceaccount ${account.name}${ns(account.namespace)}`, `kubectl auth can-i --list${ns(at.namespace)} --as ${user}`, `kubectl get rolebindings,clusterrolebindings -A -o wide | grep ${account.name}`];
      }
      return [
        ...cause.objects.slice(0, 2).flatMap((o) => inspect(o.id, o.details)),
        `kubectl describe ${flux ?? at.kind.toLowerCase()} ${at.name}${ns(at.namespace)}`,
        fluxLogs,
        ...(exhausted ? [
          `flux reconcile helmrelease ${at.name}${ns(at.namespace)} --reset   # once the cause is fixed`,
          `flux-deps reconcile hr/${at.name}${ns(at.namespace)} --reset   # the same, waiting by watch and explaining a failure`,
        ] : []),
      ];
    }
    case 'RevisionNotUpToDate':
      return [reconcile(at)];
    case 'ReadyExprFalse':
      return [`kubectl get ${flux ?? at.kind.toLowerCase()} ${at.name}${ns(at.namespace)} -o yaml`];
    case 'NotReconciled': {
      const controller = at.kind === HELMRELEASE ? 'helm-controller' : 'kustomize-controller';
      return [`kubectl get deployment ${controller} -n flux-system`, fluxLogs];
    }
  }
}

/** How to look closer at an unhealthy object: its first troubled pod if the details name one, else the object. */
function inspect(id: string, details: string[]): string[] {
  const o = parts(id);
  const pod = details.map((d) => /^pod (\S+): (?:container (\S+): )?(\S+)/.exec(d)).find(Boolean);
  if (!pod) return [`kubectl describe ${o.kind.toLowerCase()} ${o.name}${ns(o.namespace)}`];
  const steps = [`kubectl describe pod ${pod[1]}${ns(o.namespace)}`];
  // --previous only where a container restarted (CrashLoopBackOff): a terminated one's own logs are still there.
  const logs = `kubectl logs ${pod[1]}${ns(o.namespace)}${pod[2] ? ` -c ${pod[2]}` : ''}`;
  if (pod[3]?.startsWith('CrashLoopBackOff')) steps.push(`${logs} --previous`);
  else if (pod[3] === 'terminated,') steps.push(logs);
  return steps;
}
