// tree --watch: the same tree, kept live from watches (one per kind and namespace): redrawn in place on a
// terminal, one line per change otherwise, one JSON event per change with -o json. Runs until Ctrl-C.
// Its first frame is tree's own read and view (read/tree-read.ts, treeViewOf); later frames pick from the
// watches' caches by the same plan, and the watches grow as the objects come to need more.
import { inform } from '../cluster/informer.ts';
import { WatchSet, type Inform } from '../cluster/watch-set.ts';
import { ExitCode } from '../errors.ts';
import type { IO } from '../io.ts';
import type { GraphNode } from '../model/graph.ts';
import type { KubeObject } from '../model/objects.ts';
import type { TreeOptions, TreeView } from '../model/tree-view.ts';
import { unreadKey, worthWarning } from '../model/unread.ts';
import type { GlobalOptions } from '../options.ts';
import { fluxQueries, namespacesToFollow, queryKey } from '../read/gather.ts';
import { openLiveReader } from '../read/open.ts';
import type { ListQuery, Reader } from '../read/reader.ts';
import { pickTree, readTree, treeQueries } from '../read/tree-read.ts';
import { changeLine } from '../render/progress.ts';
import { renderTreeText } from '../render/tree-text.ts';
import { treeViewOf } from './tree-run.ts';

/** Where a watch reads: the live cluster, or (in tests) anything that lists and informs. */
export interface WatchSource {
  reader: Reader;
  inform: Inform;
}

export async function liveSource(g: GlobalOptions, io: IO): Promise<WatchSource> {
  const reader = await openLiveReader(g, io, 'tree --watch');
  return { reader, inform: (q, cache, on, signal) => inform(reader, q, cache, on, signal) };
}

export async function watchTree(g: GlobalOptions, options: TreeOptions, out: { json: boolean; levels: boolean }, io: IO, source: WatchSource): Promise<number> {
  const interrupted = io.interrupted();
  const tty = io.stdoutIsTTY && !out.json;
  const color = g.color && io.stdoutIsTTY;
  let before = new Map<string, GraphNode>();
  const show = (view: TreeView) => {
    if (tty) {
      io.out(`\u001b[H\u001b[2J${renderTreeText(view, { color, now: io.now(), levels: out.levels, ...(io.columns ? { width: io.columns } : {}) })}\n${io.now().toISOString().slice(11, 19)} watching; Ctrl-C to stop\n`);
    } else {
      // In rollout order, so a recovering chain reads top to bottom.
      for (const id of [...view.levels.levels.flat(), ...view.levels.blocked]) {
        const n = view.graph.nodes.get(id) as GraphNode;
        const was = before.get(id);
        if (was && was.ready === n.ready && was.reason === n.reason && was.revision === n.revision && was.message === n.message) continue;
        const state = { verdict: n.ready === 'True' ? ('ready' as const) : n.ready === 'False' ? ('failed' as const) : ('waiting' as const), reason: n.reason, message: n.message, revision: n.revision };
        if (out.json) io.out(JSON.stringify({ time: io.now().toISOString(), id, event: was ? 'changed' : 'listed', ready: n.ready, reason: n.reason, message: n.message, revision: n.revision }) + '\n');
        else io.out(changeLine(io.now(), id, state, { color }));
      }
    }
    before = new Map([...view.shown].map((id) => [id, view.graph.nodes.get(id) as GraphNode]));
  };

  try {
    const first = await readTree(source.reader, g, options);
    for (const w of first.warnings) io.err(`⚠ ${w}\n`);
    show(await treeViewOf(first, options, io.now()));

    // What cannot be watched, by `Kind/namespace`. An API that did not answer the first read is watched all the
    // same (the informer retries): not listed yet until it answers.
    const unreadable = new Map((first.unreadable ?? []).filter((u) => u.reason !== 'unavailable').map((u) => [unreadKey(u), u]));
    const namespaces = new Set(first.queries.flatMap((q) => (q.namespace ? [q.namespace] : [])));
    const readable = (qs: ListQuery[]) => qs.filter((q) => !unreadable.has(`${q.kind}/${q.namespace ?? ''}`));
    let drawing = Promise.resolve();
    const redraw = (cached: KubeObject[], pending: ListQuery[]) => {
      // What a watch has not listed yet is shown as such (never as missing), and the rest is drawn without waiting.
      const listing = pending.map((q) => `${q.kind}/${q.namespace ?? ''}`);
      const seen = listing.length ? { ...options, pending: listing } : options;
      const current = { ...seen, ...(unreadable.size ? { unreadable: [...unreadable.values()] } : {}) };
      const objects = pickTree(cached, g, current);
      // What the objects now need: sources, kinds and namespaces they did not name before.
      const follow = g.allNamespaces ? [] : namespacesToFollow(objects, namespaces, g.namespace);
      follow.forEach((ns) => namespaces.add(ns));
      set.add(readable([...follow.flatMap(fluxQueries), ...treeQueries(objects, g, current)]));
      drawing = drawing.then(async () => {
        try {
          show(await treeViewOf({ objects, unreadable: [...unreadable.values()] }, seen, io.now()));
        } catch (err) {
          io.err(`⚠ ${(err as Error).message}\n`);
        }
      });
    };
    const set: WatchSet = new WatchSet(source.inform, {
      changed: redraw,
      notice: (m) => io.err(`⚠ ${m}\n`),
      unreadable: (q, message, reason) => {
        unreadable.set(`${q.kind}/${q.namespace ?? ''}`, { kind: q.kind, apiVersion: q.apiVersion, namespace: q.namespace ?? '', reason });
        if (worthWarning(reason)) io.err(`⚠ ${message}\n`);
      },
    }, interrupted);
    set.add(readable(dedupe(first.queries)));
    await set.done;
    return ExitCode.interrupted;
  } finally {
    source.reader.close();
  }
}

function dedupe(queries: ListQuery[]): ListQuery[] {
  return [...new Map(queries.map((q) => [queryKey(q), q])).values()];
}
