// Reading a Flux object's status conditions, the same way in every real-controller test.
import type { KubeObject } from '../../src/model/objects.ts';

export type Condition = { type: string; status: string; reason?: string; message?: string };

export function conditionOf(obj: KubeObject, type: string): Condition | undefined {
  return ((obj.status?.conditions ?? []) as Condition[]).find((c) => c.type === type);
}

export const readyOf = (obj: KubeObject): Condition | undefined => conditionOf(obj, 'Ready');
