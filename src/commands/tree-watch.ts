// tree --watch: the same tree, kept live from watches (one per kind and namespace): redrawn in place on a
// terminal, one line per change otherwise, one JSON event per change with -o json. Runs until Ctrl-C.
import { watchSet } from '../cluster/watch-set.ts';
import { ExitCode } from '../errors.ts';
import type { IO } from '../io.ts';
import { fluxApis, type FluxKind } from '../model/flux.ts';
import type { GraphNode } from '../model/graph.ts';
import { buildTreeView, type TreeOptions } from '../model/tree-view.ts';
import type { GlobalOptions } from '../options.ts';
import { readFluxObjects, sourceTargets } from '../read/gather.ts';
import { openLiveReader } from '../read/open.ts';
import type { ListQuery } from '../read/reader.ts';
import { changeLine } from '../render/progress.ts';
import { renderTreeText } from '../render/tree-text.ts';

export async function watchTree(g: GlobalOptions, options: TreeOptions, json: boolean, levels: boolean, io: IO): Promise<number> {
  const reader = await openLiveReader(g, io, 'tree --watch');
  const interrupted = io.interrupted();
  try {
    // Watch the namespaces the first read needed (scope, plus those dependencies live in) and their sources.
    const first = await readFluxObjects(reader, g);
    for (const w of first.warnings) io.err(`⚠ ${w}\n`);
    const namespaces = g.allNamespaces ? [undefined] : [...new Set([g.namespace, ...first.objects.map((o) => o.metadata?.namespace ?? g.namespace)])];
    const queries: ListQuery[] = namespaces.flatMap((namespace) =>
      (Object.keys(fluxApis) as FluxKind[]).map((kind) => ({ apiVersion: `${fluxApis[kind].group}/${fluxApis[kind].version}`, kind, ...(namespace ? { namespace } : {}) })),
    );
    const sourceQueries = new Map(sourceTargets(first.objects, g.namespace).map((r) => [`${r.kind}|${r.namespace}`, { apiVersion: r.apiVersion, kind: r.kind, namespace: r.namespace }]));
    const tty = io.stdoutIsTTY && !json;
    const color = g.color && io.stdoutIsTTY;
    let before = new Map<string, GraphNode>();

    const redraw = (objects: Parameters<typeof buildTreeView>[0]) => {
      let view;
      try {
        view = buildTreeView(objects, options, io.now());
      } catch (err) {
        io.err(`⚠ ${(err as Error).message}\n`);
        return;
      }
      if (tty) {
        io.out(`\u001b[H\u001b[2J${renderTreeText(view, { color, now: io.now(), levels })}\n${io.now().toISOString().slice(11, 19)} watching; Ctrl-C to stop\n`);
      } else {
        // In rollout order, so a recovering chain reads top to bottom.
        for (const id of [...view.levels.levels.flat(), ...view.levels.blocked]) {
          const n = view.graph.nodes.get(id) as GraphNode;
          const was = before.get(id);
          if (was && was.ready === n.ready && was.reason === n.reason && was.revision === n.revision && was.message === n.message) continue;
          const state = { verdict: n.ready === 'True' ? ('ready' as const) : n.ready === 'False' ? ('failed' as const) : ('waiting' as const), reason: n.reason, message: n.message, revision: n.revision };
          if (json) io.out(JSON.stringify({ time: io.now().toISOString(), id, event: was ? 'changed' : 'listed', ready: n.ready, reason: n.reason, message: n.message, revision: n.revision }) + '\n');
          else io.out(changeLine(io.now(), id, state, { color }));
        }
      }
      before = new Map([...view.shown].map((id) => [id, view.graph.nodes.get(id) as GraphNode]));
    };
    await watchSet(reader, [...queries, ...sourceQueries.values()], redraw, (m) => io.err(`⚠ ${m}\n`), interrupted);
    return ExitCode.interrupted;
  } finally {
    reader.close();
  }
}
