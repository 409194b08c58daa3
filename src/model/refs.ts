// REF arguments: `[KIND/]NAME`, KIND one of ks, kustomization, hr, helmrelease (any case), as CONTRACT.md says.
import { UsageError } from '../errors.ts';
import { HELMRELEASE, KUSTOMIZATION, type FluxKind, type Ref } from './flux.ts';

const kinds: Record<string, FluxKind> = {
  ks: KUSTOMIZATION,
  kustomization: KUSTOMIZATION,
  kustomizations: KUSTOMIZATION,
  hr: HELMRELEASE,
  helmrelease: HELMRELEASE,
  helmreleases: HELMRELEASE,
};

/** The typed ref a user named on the command line; throws UsageError for an unknown kind or an empty name. */
export function parseRef(arg: string, namespace: string): Ref {
  const slash = arg.indexOf('/');
  const kindWord = slash < 0 ? 'ks' : arg.slice(0, slash);
  const name = slash < 0 ? arg : arg.slice(slash + 1);
  const kind = kinds[kindWord.toLowerCase()];
  if (!kind) throw new UsageError(`unknown kind "${kindWord}" in "${arg}": use ks/NAME or hr/NAME`);
  if (!name || name.includes('/')) throw new UsageError(`invalid reference "${arg}": expected [ks|hr]/NAME`);
  return { kind, namespace, name };
}
