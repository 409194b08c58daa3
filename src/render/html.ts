// `tree -o html`: one self-contained page (no request leaves it: its content security policy allows none) holding
// the SVG, the details of every node as JSON, and the script (html-page.ts) that shows them on hover and click,
// filters by a search box, and follows the reader's light or dark scheme.
import { pageScript, pageStyle } from './html-page.ts';
import type { Picture } from './picture.ts';
import { xmlText } from './xml-text.ts';

const text = xmlText;
// JSON inside <script>: no "</script>" or "<!--" can end it early.
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

/** The page for `svg` (finishSvg's), the drawing of `p`. */
export function renderHtml(svg: string, p: Picture): string {
  const drawing = svg.slice(svg.indexOf('<svg'));
  const details = {
    at: p.at,
    nodes: p.nodes.map((n) => ({
      id: n.id, kind: n.kind, namespace: n.namespace, name: n.name, state: n.state, mark: n.mark, found: n.found,
      ready: n.ready, reason: n.reason, message: n.message, suspended: n.suspended, revision: n.revision,
      since: n.lastTransitionTime, age: n.age, level: n.level, rootCause: n.rootCause,
      ...(n.explanation ? { explanation: n.explanation } : {}),
      ...(n.inventory ? { inventory: n.inventory } : {}),
    })),
    edges: p.edges.map((e) => ({ from: e.from, to: e.to })),
  };
  const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  const counts = [
    count(p.nodes.length, 'object', 'objects'),
    `${p.nodes.filter((n) => n.state !== 'ready').length} not ready`,
    count(p.nodes.filter((n) => n.rootCause).length, 'root cause', 'root causes'),
  ].join(', ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${text(`flux-deps: ${p.title}`)}</title>
<style>${pageStyle}</style>
</head>
<body>
<header>
<h1>${text(p.title)}</h1>
<p class="summary">${text(counts)} · statuses as of ${text(p.at)}</p>
<input id="search" type="search" placeholder="Search names, kinds, reasons, messages" aria-label="Search" autocomplete="off">
<span id="matches" aria-live="polite"></span>
<button id="fit" type="button">Fit to window</button>
</header>
<main>
<div id="graph">${drawing}</div>
<aside id="details" aria-live="polite"><p class="hint">Hover over an object for its details; click to keep them.</p></aside>
</main>
<script type="application/json" id="flux-deps-data">${scriptJson(details)}</script>
<script>${pageScript}</script>
</body>
</html>
`;
}
