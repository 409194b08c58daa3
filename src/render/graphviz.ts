// Graphviz's layout, compiled to WebAssembly (@viz-js/viz): the one asynchronous step of `tree -o svg|html`.
// Imported only by those outputs: make build ships the module beside the program (dist/graphviz.cjs, 1.5 MB) and
// make dist as an asset of the single executable, so no other command reads it. @viz-js/viz rather than
// @hpcc-js/wasm-graphviz: half the time to load (65 vs 120 ms), as fast to lay out, measured in issue 15's commit.
import { instance } from '@viz-js/viz';

/** The SVG Graphviz's dot layout draws for `dot`. */
export async function layoutSvg(dot: string): Promise<string> {
  const viz = await instance();
  const result = viz.render(dot, { format: 'svg' });
  // Our own DOT failing to lay out is a bug of ours: an internal error naming Graphviz's message.
  if (result.status !== 'success') throw new Error(`Graphviz: ${result.errors.map((e) => e.message).join('; ')}`);
  return result.output;
}
