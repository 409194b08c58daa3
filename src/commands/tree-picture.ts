// tree -o svg|html, loaded only for them (tree-run.ts imports it then): the view as a picture, its DOT laid out by
// Graphviz in WebAssembly (render/graphviz.ts, the one asynchronous step), and for html the page holding it.
import type { TreeView } from '../model/tree-view.ts';
import { layoutSvg } from '../render/graphviz.ts';
import { pictureDot } from '../render/picture-dot.ts';
import { pictureOf } from '../render/picture.ts';
import { finishSvg } from '../render/svg.ts';

/** The picture of `view` as SVG, or as the HTML page holding it. */
export async function renderPicture(view: TreeView, output: 'svg' | 'html', now: Date): Promise<string> {
  const picture = pictureOf(view, now);
  const svg = finishSvg(await layoutSvg(pictureDot(picture)), picture);
  return output === 'svg' ? svg : (await import('../render/html.ts')).renderHtml(svg, picture);
}
