// The Reader over --from input (read/files.ts): LISTs answered from the input's objects, a kubectl List's kinds
// parsed when first asked for, and a snapshot replayed as the live run it was taken from.
import { groupOf, type KubeObject } from '../model/objects.ts';
import type { UnreadReason } from '../model/unread.ts';
import type { InputPart } from './files.ts';
import type { ListQuery, ListResult, Reader } from './reader.ts';

/** What `snapshot` could not read and when it read the rest, written into its output for a faithful replay. */
export const SNAPSHOT_INFO = { apiVersion: 'flux-deps.io/v1', kind: 'SnapshotInfo' } as const;

/**
 * A reader over the input's objects; objects without a namespace count as the default namespace's, and objects
 * missing from the input are not found (CONTRACT.md). A snapshot's replay is the live run it was taken from: what
 * it could not read is unreadable again (with the same warning), and ages are told from its time.
 */
export class FileReader implements Reader {
  private readonly parts: Array<Pick<InputPart, 'kind' | 'objects'>>;
  private readonly defaultNamespace: string;
  private info?: SnapshotFacts | null;

  constructor(parts: Array<Pick<InputPart, 'kind' | 'objects'>>, defaultNamespace: string) {
    this.parts = parts;
    this.defaultNamespace = defaultNamespace;
  }

  async list(q: ListQuery): Promise<ListResult> {
    const group = groupOf(q.apiVersion);
    const items = this.ofKind(q.kind).filter(
      (o) => o.kind === q.kind && groupOf(o.apiVersion) === group &&
        (q.namespace === undefined || (o.metadata?.namespace || this.defaultNamespace) === q.namespace),
    );
    const where = q.namespace ? ` in ${q.namespace}` : '';
    const key = `${q.kind}/${q.namespace ?? '*'}`;
    const info = this.snapshot();
    if (!info?.unreadable.includes(key)) return { items };
    // Why, where the snapshot says (since it does): its answer is the live one's.
    const reason = info.reasons[key];
    return { items, unreadable: `the snapshot could not read ${q.kind} objects${where}${reason ? ` (${snapshotWhy[reason]})` : ''}`, reason: reason ?? 'unrecorded' };
  }

  capturedAt(): Date | undefined {
    return this.snapshot()?.capturedAt;
  }

  private ofKind(kind: string): KubeObject[] {
    return this.parts.filter((p) => p.kind === undefined || p.kind === kind).flatMap((p) => p.objects());
  }

  private snapshot(): SnapshotFacts | null {
    return (this.info ??= snapshotInfo(this.ofKind(SNAPSHOT_INFO.kind)));
  }

  async namespaces(): Promise<string[]> {
    return [...new Set(this.parts.flatMap((p) => p.objects()).map((o) => o.metadata?.namespace || this.defaultNamespace))].sort();
  }

  close(): void {}
}

interface SnapshotFacts {
  /** `Kind/namespace` (or `Kind/*`) lists it could not make. */
  unreadable: string[];
  /** Why, by the same keys (snapshots written before they said have none). */
  reasons: Record<string, SnapshotReason>;
  capturedAt?: Date;
}

/**
 * The reasons a snapshot records for a list it could not make: every reason a live read gives, so that one added
 * to model/unread.ts must be given its words here too (the two it leaves out are a replay's and a watch's own).
 */
export type SnapshotReason = Exclude<UnreadReason, 'unrecorded' | 'listing'>;

/** Whether a read's reason is one a snapshot records. */
export function isSnapshotReason(reason: UnreadReason | undefined): reason is SnapshotReason {
  return reason !== undefined && reason in snapshotWhy;
}
const snapshotWhy: Record<SnapshotReason, string> = { forbidden: 'forbidden', notServed: 'not served by the cluster', notInstalled: 'not served by the cluster', unavailable: 'its API was unavailable' };

function snapshotInfo(objects: KubeObject[]): SnapshotFacts | null {
  const info = objects.find((o) => o.kind === SNAPSHOT_INFO.kind && o.apiVersion === SNAPSHOT_INFO.apiVersion);
  if (!info) return null;
  const unreadable = Array.isArray(info.unreadable) ? info.unreadable.filter((x): x is string => typeof x === 'string') : [];
  const reasons: Record<string, SnapshotReason> = {};
  const recorded = typeof info.reasons === 'object' && info.reasons !== null ? (info.reasons as Record<string, unknown>) : {};
  for (const [key, reason] of Object.entries(recorded)) if (typeof reason === 'string' && isSnapshotReason(reason as UnreadReason)) reasons[key] = reason as SnapshotReason;
  const at = typeof info.capturedAt === 'string' ? new Date(info.capturedAt) : undefined;
  return { unreadable, reasons, ...(at && !Number.isNaN(at.getTime()) ? { capturedAt: at } : {}) };
}
