// A set of informers seen as one live list of objects: after every one has listed, `changed` gets the whole
// current list each time something changes (bursts coalesced), until the signal aborts.
import type { KubeObject } from '../model/objects.ts';
import type { ListQuery } from '../read/reader.ts';
import { inform } from './informer.ts';
import type { LiveReader } from './live-reader.ts';

export async function watchSet(reader: LiveReader, queries: ListQuery[], changed: (objects: KubeObject[]) => void, notice: (m: string) => void, signal: AbortSignal): Promise<void> {
  const caches = queries.map(() => new Map<string, KubeObject>());
  let synced = 0;
  let timer: NodeJS.Timeout | undefined;
  const emit = () => {
    if (synced < queries.length || timer) return;
    // Coalesce a burst (a controller writing several objects) into one redraw.
    timer = setTimeout(() => {
      timer = undefined;
      changed(caches.flatMap((c) => [...c.values()]));
    }, 50);
  };
  try {
    await Promise.all(queries.map((q, i) => inform(reader, q, caches[i] as Map<string, KubeObject>, { change: emit, notice, synced: () => (synced++, emit()) }, signal)));
  } finally {
    clearTimeout(timer);
  }
}
