// Rules on what a Kustomization applies: CRDs pruned or mixed with their resources, prune left off.
import { KUSTOMIZATION } from '../flux.ts';
import { appliedBy, isCrd, type AppliedObject } from './applied.ts';
import { found, type LintContext } from './context.ts';
import { ofKind } from './health-rules.ts';
import type { LintFinding } from './rules.ts';

function crdRules(ctx: LintContext): LintFinding[] {
  const out: LintFinding[] = [];
  for (const [id, ks] of ofKind(ctx, KUSTOMIZATION)) {
    const applied = appliedBy(ctx, id, ks);
    const crds = applied.objects.filter(isCrd);
    const prune = ks.spec?.prune === true;
    const where = applied.from === 'inventory' ? 'its inventory' : 'the manifests under its path';
    if (crds.length === 0) {
      if (!prune) {
        out.push(found('prune-disabled', id, `prune is not true: objects removed from Git stay in the cluster${applied.known ? '' : ' (what it applies is not known here)'}`,
          'set spec.prune: true, unless keeping removed objects is meant'));
      }
      continue;
    }
    const names = crds.map((c) => c.name).sort();
    const listed = names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', ');
    if (prune) {
      out.push(found('crds-pruned', id, `applies ${crds.length} CustomResourceDefinition${crds.length === 1 ? '' : 's'} (${listed}, from ${where}) with prune: true: deleting one deletes every resource of it`,
        'apply the CRDs from a Kustomization of their own with prune: false'));
    }
    const resources = applied.objects.filter((o) => !isCrd(o) && crds.some((c) => defines(c, o)));
    if (resources.length > 0) {
      const sample = resources.map((r) => r.id).sort()[0];
      out.push(found('crds-mixed', id, `applies CustomResourceDefinitions together with ${resources.length} resource${resources.length === 1 ? '' : 's'} of them (${sample}${resources.length > 1 ? ', ...' : ''})`,
        'put the CRDs in a Kustomization of their own that this one dependsOn'));
    }
  }
  return out;
}

/** Whether the CRD defines the object's kind: by group and kind when the CRD was read, by group from its name else. */
function defines(crd: AppliedObject, o: AppliedObject): boolean {
  const spec = crd.object?.spec;
  if (typeof spec?.group === 'string' && typeof spec?.names?.kind === 'string') return spec.group === o.group && spec.names.kind === o.kind;
  const group = crd.name.slice(crd.name.indexOf('.') + 1);
  return crd.name.includes('.') && group === o.group;
}

export const applyRules = [crdRules];
