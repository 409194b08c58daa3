// tree's work, loaded when the command runs: read, build the view (model/tree-view.ts), render.
import { terminalWidth, type IO } from '../io.ts';
import { dependenciesOf, fluxKindOf } from '../model/flux.ts';
import { healthExprsOf } from '../model/health-exprs.ts';
import type { KubeObject } from '../model/objects.ts';
import * as view from '../model/tree-view.ts';
import type { TreeOptions } from '../model/tree-view.ts';
import { readTree, type TreeRead } from '../read/tree-read.ts';
import { celEvaluator } from '../read/cel.ts';
import { openReader } from '../read/open.ts';
import * as dot from '../render/dot.ts';
import * as data from '../render/graph-data.ts';
import * as mermaid from '../render/mermaid.ts';
import * as text from '../render/tree-text.ts';
import type { TreeRun } from './tree.ts';

/** Runs tree: read, build the view, render. */
export async function tree(o: TreeRun, io: IO): Promise<number> {
  const g = o.global;
  const options = o.tree;
  if (o.watch) {
    const watch = await import('./tree-watch.ts');
    return watch.watchTree(g, options, { json: o.output === 'json', levels: o.levels }, io, await watch.liveSource(g, io));
  }
  const reader = await openReader(g, io);
  try {
    const read = await readTree(reader, g, options);
    for (const w of read.warnings) io.err(`⚠ ${w}\n`);
    // A snapshot's ages as they were when it was taken.
    const now = reader.capturedAt?.() ?? io.now();
    const result = await treeViewOf(read, options, now);
    const output = o.output;
    io.summary?.(result.shown.size === 0 ? text.emptyMessage(result) : text.summaryLine(result));
    if (result.shown.size === 0 && output === 'text') {
      io.err(text.emptyMessage(result) + '\n');
      return 0;
    }
    if (output === 'text') io.out(text.renderTreeText(result, { color: g.color && io.stdoutIsTTY, now, levels: o.levels, ...terminalWidth(io) }));
    else if (output === 'json') writeBuffered(io, data.jsonPieces(data.graphData(result)));
    else if (output === 'yaml') io.out((await import('../render/yaml.ts')).toYaml(data.graphData(result)));
    else if (output === 'dot') io.out(dot.renderDot(data.graphData(result)));
    else if (output === 'mermaid') io.out(mermaid.renderMermaid(data.graphData(result)));
    else io.out(await (await import('./tree-picture.ts')).renderPicture(result, output, now));
    return 0;
  } finally {
    reader.close();
  }
}

/** The view tree prints for what was read: the same for tree and every frame of tree --watch. */
export async function treeViewOf(read: Pick<TreeRead, 'objects' | 'unreadable'>, options: TreeOptions, now: Date): Promise<view.TreeView> {
  const withUnreadable = { ...options, ...(read.unreadable ? { unreadable: read.unreadable } : {}) };
  // CEL only when a dependsOn entry has a readyExpr or a Kustomization healthCheckExprs.
  const evaluateCel = await celEvaluator(read.objects.some((o) => celIn(o)));
  // A REF not read is not found (3), or not readable and why (4): model/unread.ts decides.
  return view.buildTreeView(read.objects, withUnreadable, now, evaluateCel);
}

/** Writes many small pieces as few large writes: one write(2) per piece made a 1,300-node graph 50 ms slower. */
function writeBuffered(io: IO, pieces: Iterable<string>): void {
  let buffer = '';
  for (const piece of pieces) {
    buffer += piece;
    if (buffer.length > 1 << 16) {
      io.out(buffer);
      buffer = '';
    }
  }
  if (buffer) io.out(buffer);
}

/** Whether marking root causes needs CEL: a readyExpr, or healthCheckExprs. */
function celIn(obj: KubeObject): boolean {
  const kind = fluxKindOf(obj);
  return !!kind && (dependenciesOf(obj, kind, '').some((d) => d.readyExpr) || healthExprsOf(obj).length > 0);
}
