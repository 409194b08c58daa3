// The tools' input schemas for the SDK (zod, which the SDK turns into the JSON Schema clients list), made from the
// plain parameter lists of mcp/tools.ts.
import type { Param } from './tools.ts';
import { z } from './sdk.ts';

/** A zod shape with one property per parameter, optional unless the parameter is required. */
export function inputShape(params: Record<string, Param>): Record<string, z.ZodType> {
  const shape: Record<string, z.ZodType> = {};
  for (const [name, p] of Object.entries(params)) {
    const type = p.type === 'boolean' ? z.boolean()
      : p.type === 'integer' ? z.number().int().min(p.min ?? 0)
      : p.type === 'strings' ? z.array(z.string())
      : p.choices ? z.enum(p.choices as [string, ...string[]])
      : z.string();
    shape[name] = (p.required ? type : type.optional()).describe(p.describe);
  }
  return shape;
}
