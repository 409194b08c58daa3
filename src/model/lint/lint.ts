// lint: the seed guides' practices as checks on plain objects. Pure: the same objects give the same findings,
// live or from files. Rules live by concern in graph-rules, health-rules, apply-rules and source-rules.
import { fluxKindOf } from '../flux.ts';
import { buildGraph, compareIds } from '../graph.ts';
import { compareStrings, objectId, type KubeObject } from '../objects.ts';
import { closure } from '../walk.ts';
import { applyRules } from './apply-rules.ts';
import type { LintContext, LintInput, LintOptions } from './context.ts';
import { graphRules } from './graph-rules.ts';
import { healthRules } from './health-rules.ts';
import { DISABLE_ANNOTATION, isRuleId, severities, type LintFinding } from './rules.ts';
import { sourceRules } from './source-rules.ts';

export type { LintInput, LintOptions } from './context.ts';

export interface LintResult {
  findings: LintFinding[];
  /** Objects linted (found Kustomizations and HelmReleases). */
  checked: number;
  /** Problems with the input itself, such as an annotation naming an unknown rule. */
  warnings: string[];
}

const checks = [...graphRules, ...healthRules, ...applyRules, ...sourceRules];

/** Every finding for the objects in scope, minus disabled rules and rules an object's annotation silences, sorted. */
export function lint(input: LintInput, options: LintOptions): LintResult {
  const graph = buildGraph(input.objects, input.defaultNamespace, input.unreadable);
  if (options.ref && !graph.nodes.get(options.ref)?.found) throw new Error(`${options.ref} is not among the objects read`);
  const scope = options.ref ? closure(graph, [options.ref], 'upstream') : new Set(graph.nodes.keys());
  const ctx: LintContext = { input, options, graph, scope, byId: indexById(input.objects, input.defaultNamespace) };
  const warnings: string[] = [];
  const disabled = new Set<string>(options.disabled);
  const findings = checks
    .flatMap((check) => check(ctx))
    .filter((f) => !disabled.has(f.rule) && !silenced(ctx.byId.get(f.object), f.rule, f.object, warnings))
    .map((f) => {
      const at = input.locations?.get(f.object);
      return at ? { ...f, location: at } : f;
    })
    .sort(compareFindings);
  const checked = [...scope].filter((id) => graph.nodes.get(id)?.found && graph.nodes.get(id)?.object && fluxKindOf(graph.nodes.get(id)?.object as KubeObject)).length;
  return { findings, checked, warnings: [...new Set(warnings)].sort(compareStrings) };
}

/** Errors first, then by object, rule and message: the same order on every run. */
export function compareFindings(a: LintFinding, b: LintFinding): number {
  return severities.indexOf(a.severity) - severities.indexOf(b.severity) || compareIds(a.object, b.object) ||
    compareStrings(a.rule, b.rule) || compareStrings(a.message, b.message);
}

function silenced(obj: KubeObject | undefined, rule: string, id: string, warnings: string[]): boolean {
  const value = obj?.metadata?.annotations?.[DISABLE_ANNOTATION];
  if (typeof value !== 'string') return false;
  const names = value.split(',').map((s) => s.trim()).filter(Boolean);
  for (const n of names) if (n !== 'all' && !isRuleId(n)) warnings.push(`${id}: annotation ${DISABLE_ANNOTATION} names unknown rule "${n}"`);
  return names.includes('all') || names.includes(rule);
}

function indexById(objects: KubeObject[], defaultNamespace: string): Map<string, KubeObject> {
  const byId = new Map<string, KubeObject>();
  for (const o of objects) {
    const name = o.metadata?.name;
    if (!name || !o.kind) continue;
    const namespace = fluxKindOf(o) ? o.metadata?.namespace || defaultNamespace : o.metadata?.namespace;
    byId.set(objectId(o.kind, namespace, name), o);
  }
  return byId;
}
