// Rules on sourceRefs: a source that does not exist (where its kind was read), one in another namespace.
import { fluxKindOf, sourceRefOf } from '../flux.ts';
import { objectId } from '../objects.ts';
import { found, type LintContext } from './context.ts';
import type { LintFinding } from './rules.ts';

function sourceRules(ctx: LintContext): LintFinding[] {
  const read = new Set(ctx.input.sourcesRead);
  const out: LintFinding[] = [];
  for (const id of ctx.scope) {
    const node = ctx.graph.nodes.get(id);
    const kind = node?.object && fluxKindOf(node.object);
    if (!node?.found || !node.object || !kind) continue;
    const ref = sourceRefOf(node.object, kind, node.namespace);
    if (!ref) continue;
    const sourceId = objectId(ref.kind, ref.namespace, ref.name);
    if (ref.namespace !== node.namespace) {
      out.push(found('cross-namespace-source', id, `reads ${sourceId} from namespace ${ref.namespace}: refused by controllers started with --no-cross-namespace-refs`,
        'keep the source in the same namespace where that flag may be set'));
    }
    const wasRead = read.has(`${ref.kind}/${ref.namespace}`) || read.has(`${ref.kind}/*`);
    if (wasRead && !ctx.byId.has(sourceId)) {
      out.push(found('source-missing', id, `its source ${sourceId} does not exist: it never gets an artifact to apply`,
        `fix the sourceRef, or create ${sourceId}`));
    }
  }
  return out;
}

const checks = [sourceRules];
export { checks as sourceRules };
