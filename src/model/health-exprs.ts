// spec.healthCheckExprs: a Kustomization's own health rules for kinds kstatus cannot judge (custom resources),
// applied as kustomize-controller applies them (fluxcd/pkg runtime/cel, status_evaluator.go): an observed
// generation behind is InProgress; then inProgress, failed, current, the first true wins; none true is InProgress.
import { healthOf, type Health } from './kstatus.ts';
import { groupOf, type KubeObject } from './objects.ts';

export interface HealthExpr {
  group: string;
  /** Empty: every kind of the group. */
  kind: string;
  current: string;
  inProgress?: string;
  failed?: string;
}

type Evaluate = (expression: string, context: Record<string, unknown>) => unknown;

/** The entries of a Kustomization's spec.healthCheckExprs that have the required `current`. */
export function healthExprsOf(ks: KubeObject): HealthExpr[] {
  const entries: unknown = ks.spec?.healthCheckExprs;
  if (!Array.isArray(entries)) return [];
  return entries.flatMap((e): HealthExpr[] => {
    if (typeof e !== 'object' || e === null || typeof e.current !== 'string' || !e.current) return [];
    const text = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
    const inProgress = text(e.inProgress);
    const failed = text(e.failed);
    return [{ group: groupOf(text(e.apiVersion)), kind: text(e.kind) ?? '', current: e.current, ...(inProgress ? { inProgress } : {}), ...(failed ? { failed } : {}) }];
  });
}

/** The entry that judges an object: its exact group and kind, else its group's kind-less entry. */
export function exprFor(exprs: HealthExpr[], obj: KubeObject): HealthExpr | undefined {
  const group = groupOf(obj.apiVersion);
  // kustomize-controller asks Flux's own Job reader before the CEL one: an entry for batch Jobs is never used.
  if (group === 'batch' && obj.kind === 'Job') return undefined;
  return exprs.find((e) => e.group === group && e.kind === obj.kind) ?? exprs.find((e) => e.group === group && e.kind === '');
}

/** An object's health as a health check judges it: by the entry that covers it when CEL is at hand, else kstatus. */
export function checkedHealth(exprs: HealthExpr[], obj: KubeObject, now: Date, evaluate?: Evaluate): Health {
  const expr = evaluate && exprFor(exprs, obj);
  return expr && evaluate ? exprHealth(expr, obj, evaluate) : healthOf(obj, now);
}

/** The object's health by the expressions; the object's top-level fields are the CEL variables. */
export function exprHealth(expr: HealthExpr, obj: KubeObject, evaluate: Evaluate): Health {
  const generation = obj.metadata?.generation;
  const observed = obj.status?.observedGeneration;
  if (Number.isInteger(generation) && Number.isInteger(observed) && generation !== observed) {
    return { status: 'InProgress', message: `${obj.kind} generation is ${generation}, but latest observed generation is ${observed}` };
  }
  const rules: Array<[keyof HealthExpr, Health['status']]> = [['inProgress', 'InProgress'], ['failed', 'Failed'], ['current', 'Current']];
  for (const [name, status] of rules) {
    const expression = expr[name];
    if (!expression) continue;
    let result: unknown;
    try {
      result = evaluate(expression, obj as Record<string, unknown>);
    } catch (err) {
      // cel-js ends some errors with the whole object as JSON (`not found in context: {...}`): one line, no object.
      return { status: 'Unknown', message: `healthCheckExprs: ${name} (${expression}) failed: ${(err as Error).message.split('\n')[0]?.split(': {')[0]}` };
    }
    if (typeof result !== 'boolean') return { status: 'Unknown', message: `healthCheckExprs: ${name} (${expression}) is not a boolean` };
    if (result) return { status, message: `healthCheckExprs: ${name} (${expression}) is true` };
  }
  return { status: 'InProgress', message: `healthCheckExprs: current (${expr.current}) is false` };
}
