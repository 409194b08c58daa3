// A finding: what is wrong with one object, before the walk (blockers.ts) adds the path to it and next steps.
import type { BlockReason, RootCause } from './blockers.ts';

export type Finding = Omit<RootCause, 'path' | 'next'>;

export const finding = (object: string, reason: BlockReason, message: string, extra: Partial<Finding> = {}): Finding => ({
  object, reason, message, objects: [], source: 'live', notes: [], ...extra,
});
