// tree --watch's source over --from files, for tests that run the watch without a cluster.
import type { WatchSource } from '../../src/commands/tree-watch.ts';
import type { KubeObject } from '../../src/model/objects.ts';

/** Informs from --from files: each informer lists once, then holds until the watch stops. */
export function fileSource(reader: WatchSource['reader']): WatchSource {
  return {
    reader,
    inform: async (q, cache, on, signal) => {
      for (const o of (await reader.list(q)).items) cache.set(`${o.kind}/${o.metadata?.namespace}/${o.metadata?.name}`, o as KubeObject);
      on.synced();
      await new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
    },
  };
}
