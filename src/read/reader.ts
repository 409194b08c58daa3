// One reader interface for the live cluster and --from files, so every command works offline for free.
import type { KubeObject } from '../model/objects.ts';
import type { UnreadReason } from '../model/unread.ts';

export interface ListQuery {
  apiVersion: string;
  kind: string;
  /** Undefined: every namespace (or a cluster-scoped kind). */
  namespace?: string;
}

export interface ListResult {
  items: KubeObject[];
  /** Why nothing could be read (RBAC, an API not installed or not answering): the caller warns and goes on. */
  unreadable?: string;
  /** With `unreadable`: which of those it was, for the answer to say (model/unread.ts). */
  reason?: UnreadReason;
  /** The list's resourceVersion (live only): where a watch of the same query starts. */
  resourceVersion?: string;
}

export interface Reader {
  list(query: ListQuery): Promise<ListResult>;
  /** The namespaces there are, for reading namespace by namespace when a cluster-wide LIST is forbidden. */
  namespaces(): Promise<string[] | undefined>;
  /** When the objects were read, if not now: a snapshot's time, so that its replay tells ages as they were. */
  capturedAt?(): Date | undefined;
  close(): void;
}
