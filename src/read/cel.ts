// The CEL evaluator for readyExpr and healthCheckExprs, loaded (cel-js is ~150 KB) only when one is present.
import type { World } from '../model/world.ts';

export async function celEvaluator(needed: boolean): Promise<World['evaluateCel']> {
  if (!needed) return undefined;
  const { evaluate } = await import('cel-js');
  return (expression, context) => evaluate(expression, context);
}
