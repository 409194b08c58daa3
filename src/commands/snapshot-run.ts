// snapshot's work, loaded when the command runs: read everything about the scope, write one YAML List.
import type { IO } from '../io.ts';
import { compareStrings } from '../model/objects.ts';
import { isSnapshotReason, SNAPSHOT_INFO, type SnapshotReason } from '../read/file-reader.ts';
import { openReader } from '../read/open.ts';
import type { Reader } from '../read/reader.ts';
import { takeSnapshot } from '../read/snapshot.ts';
import { toYaml } from '../render/yaml.ts';
import type { SnapshotRun } from './snapshot.ts';

export async function snapshot(o: SnapshotRun, io: IO): Promise<number> {
  const g = o.global;
  const reader = await openReader(g, io);
  try {
    // The lists it could not make and why, so that a replay warns and doubts as this run does (read/files.ts).
    const unreadable = new Set<string>();
    const reasons = new Map<string, SnapshotReason>();
    const recording: Reader = {
      list: async (q) => {
        const result = await reader.list(q);
        const key = `${q.kind}/${q.namespace ?? '*'}`;
        if (result.unreadable) unreadable.add(key);
        if (result.unreadable && isSnapshotReason(result.reason)) reasons.set(key, result.reason);
        return result;
      },
      namespaces: () => reader.namespaces(),
      close: () => reader.close(),
    };
    // Read now from a cluster; from files, when their snapshot was taken, if they say.
    const capturedAt = g.from === undefined ? io.now() : reader.capturedAt?.();
    const { objects, warnings } = await takeSnapshot(recording, g, capturedAt ?? io.now());
    for (const w of warnings) io.err(`⚠ ${w}\n`);
    const info = {
      ...SNAPSHOT_INFO,
      metadata: { name: 'flux-deps-snapshot' },
      ...(capturedAt ? { capturedAt: capturedAt.toISOString() } : {}),
      unreadable: [...unreadable].sort(),
      ...(reasons.size ? { reasons: Object.fromEntries([...reasons].sort(([a], [b]) => compareStrings(a, b))) } : {}),
    };
    // Keys in kubectl's order, so that --from reads it kind by kind (read/kubectl-list.ts).
    io.out(toYaml({ apiVersion: 'v1', items: [...objects, info], kind: 'List', metadata: { resourceVersion: '' } }));
    return 0;
  } finally {
    reader.close();
  }
}
