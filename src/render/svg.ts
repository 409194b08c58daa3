// The finished SVG of `tree -o svg`: Graphviz's drawing with each node's <title> (what a viewer shows on hover)
// saying the object's id, state, message and revision (with --inventory, its objects' health), and each edge's which
// object depends on which.
import type { Picture } from './picture.ts';
import { xmlText } from './xml-text.ts';

const text = xmlText;

/** A node's title: id, state and reason, revision, message (whole: a title is where long messages are read), inventory. */
export function nodeTitle(n: Picture['nodes'][number]): string {
  return [
    `${n.mark} ${n.id}`,
    `Ready: ${n.found ? n.ready : 'NotFound'}${n.reason ? ` (${n.reason})` : ''}${n.suspended ? ', suspended' : ''}`,
    ...(n.revision ? [`revision: ${n.revision}`] : []),
    ...(n.rootCause ? [`root cause: ${n.rootCause}`] : []),
    ...(n.message ? [n.message] : []),
    // --inventory: the objects and their health, as the text tree lists them (a message only when not Current).
    ...(n.inventory ? [`inventory (${n.inventory.length}):`, ...n.inventory.map((i) => `  ${i.status} ${i.id}${i.status !== 'Current' && i.message ? `: ${i.message}` : ''}`)] : []),
  ].join('\n');
}

/** Graphviz's SVG of pictureDot(p), its titles replaced by ours. DOT names n<i> are p.nodes' indexes. */
export function finishSvg(svg: string, p: Picture): string {
  const title = (i: string) => text(nodeTitle(p.nodes[Number(i)] as Picture['nodes'][number]));
  const id = (i: string) => p.nodes[Number(i)]?.id ?? '';
  return svg
    // Graphviz draws the graph's label, the legend, right after the background, as loose shapes: one group of them.
    .replace(/(<g id="graph0" class="graph"[^>]*>\n(?:<title>flux<\/title>\n)?<polygon [^>]*\/>\n)([\s\S]*?)(?=<!--|<g |<\/g>\n<\/svg>)/, '$1<g id="legend" class="legend">\n$2</g>\n')
    .replace('<title>flux</title>', `<title>${text(p.title)}</title>`)
    .replace(/<title>n(\d+)<\/title>/g, (_, i: string) => `<title>${title(i)}</title>`)
    .replace(/<title>n(\d+)&#45;&gt;n(\d+)<\/title>/g, (_, a: string, b: string) => `<title>${text(`${id(a)} depends on ${id(b)}`)}</title>`)
    // Graphviz's comment before each node and edge repeats its DOT name, which means nothing outside this program.
    .replace(/<!-- (?:n\d+|level\d+|legend)(?:&#45;&gt;(?:n\d+|level\d+|legend))? -->\n/g, '')
    // Graphviz writes every '-' as &#45; (a comment may not hold "--"): the rest is plain text, where '-' can be
    // itself, so ids read (and grep) as written: id="Kustomization/flux-system/apps".
    .replace(/&#45;/g, '-');
}
