// The style and script of `tree -o html`'s page, inlined into it (render/html.ts). The script reads the node details
// from the page's JSON and builds what it shows with textContent only: messages are cluster data, never markup.
// One listener on the drawing serves every node, so a page of 1,000 objects stays responsive.

// Light: the SVG's own colours (render/dot.ts's stateColours). Dark: the same states, darker, overriding them.
export const pageStyle = `
:root { --bg: #ffffff; --fg: #1f2328; --muted: #656d76; --line: #d0d7de; --panel: #f6f8fa; --edge: #555555; --accent: #1565c0; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #0d1117; --fg: #e6edf3; --muted: #8d96a0; --line: #30363d; --panel: #161b22; --edge: #9aa4ad; --accent: #58a6ff; }
  #graph .node.ready > path, #graph .node.ready > polygon, #legend [fill="#d4edda"] { fill: #12351f; stroke: #3fb950; }
  #graph .node.failed > path, #graph .node.failed > polygon, #legend [fill="#f8d7da"] { fill: #47161b; stroke: #f85149; }
  #graph .node.progressing > path, #graph .node.progressing > polygon, #legend [fill="#fff3cd"] { fill: #3d2e05; stroke: #d29922; }
  #graph .node.missing > path, #graph .node.missing > polygon, #legend [fill="#eeeeee"] { fill: #262a30; stroke: #f85149; }
  #graph .node.suspended > path, #graph .node.suspended > polygon, #legend [fill="#e2e3e5"] { fill: #2d3139; stroke: #8d96a0; }
  #graph .node.rootcause > path, #graph .node.rootcause > polygon, #legend [fill="#ffffff"] { stroke: #ff7b72; }
  #legend [fill="#ffffff"] { fill: var(--bg); }
  #legend [stroke="#8e0000"] { stroke: #ff7b72; }
  #graph .edge.dependency > path { stroke: var(--edge); }
  #graph .edge.dependency > polygon { fill: var(--edge); stroke: var(--edge); }
  #graph .edge.crosskind > path, #graph .edge.crosskind > polygon, #legend text[fill="#1565c0"] { stroke: #58a6ff; }
  #graph .edge.crosskind > polygon, #legend text[fill="#1565c0"] { fill: #58a6ff; stroke: none; }
  #graph .edge.missing > path, #graph .edge.cycle > path { stroke: #f85149; }
  #graph .edge.missing > polygon, #graph .edge.cycle > polygon, #legend text[fill="#c62828"] { fill: #f85149; stroke: #f85149; }
  #legend text[fill="#c62828"] { stroke: none; }
  #graph text:not([fill]) { fill: var(--fg); }
  #graph .level text, #legend text[fill="#555555"] { fill: var(--muted); }
}
* { box-sizing: border-box; }
html, body { margin: 0; height: 100%; }
body { display: flex; flex-direction: column; background: var(--bg); color: var(--fg); font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; }
header { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem 1rem; padding: 0.6rem 1rem; border-bottom: 1px solid var(--line); }
h1 { font-size: 1.05rem; margin: 0; }
.summary { margin: 0; color: var(--muted); }
#search { flex: 0 1 22rem; padding: 0.3rem 0.5rem; border: 1px solid var(--line); border-radius: 6px; background: var(--panel); color: var(--fg); font: inherit; }
#matches { color: var(--muted); min-width: 5rem; }
button { padding: 0.3rem 0.7rem; border: 1px solid var(--line); border-radius: 6px; background: var(--panel); color: var(--fg); font: inherit; cursor: pointer; }
main { flex: 1; display: flex; min-height: 0; }
#graph { flex: 1; overflow: auto; padding: 0.5rem; }
#graph.fit svg { width: 100%; height: 100%; }
#graph .graph > polygon { fill: transparent; }
#graph .node[id*="/"] { cursor: pointer; }
#graph .node.selected > path, #graph .node.selected > polygon { stroke: var(--accent); stroke-width: 4px; }
#graph .match > path, #graph .match > polygon { stroke: var(--accent); stroke-width: 3px; }
#graph .dim { opacity: 0.15; }
aside { width: 28rem; max-width: 45%; overflow: auto; padding: 0.8rem 1rem; border-left: 1px solid var(--line); background: var(--panel); }
aside h2 { font-size: 1rem; margin: 0 0 0.6rem; word-break: break-all; }
aside h3 { font-size: 0.9rem; margin: 1rem 0 0.4rem; }
aside .hint { color: var(--muted); }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 0.8rem; margin: 0; }
dt { color: var(--muted); }
dd { margin: 0; white-space: pre-wrap; word-break: break-word; }
pre { white-space: pre-wrap; word-break: break-word; font: 12px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; margin: 0; }
table { border-collapse: collapse; width: 100%; font-size: 12px; }
td, th { text-align: left; padding: 0.15rem 0.4rem 0.15rem 0; vertical-align: top; word-break: break-word; }
.state-ready { color: #2e7d32; } .state-failed, .state-missing { color: #c62828; } .state-progressing { color: #b07d00; } .state-suspended { color: var(--muted); }
@media (prefers-color-scheme: dark) { .state-ready { color: #3fb950; } .state-failed, .state-missing { color: #f85149; } .state-progressing { color: #d29922; } }
`;

export const pageScript = `
(() => {
  const data = JSON.parse(document.getElementById('flux-deps-data').textContent);
  const byId = new Map(data.nodes.map((n) => [n.id, n]));
  const graph = document.getElementById('graph');
  const svg = graph.querySelector('svg');
  const details = document.getElementById('details');
  const hint = details.firstElementChild;
  const search = document.getElementById('search');
  const matches = document.getElementById('matches');
  const groups = new Map(data.nodes.map((n) => [n.id, document.getElementById(n.id)]).filter(([, g]) => g));
  const edges = data.edges.map((e) => ({ ...e, g: document.getElementById(e.from + '->' + e.to) })).filter((e) => e.g);
  const haystack = new Map(data.nodes.map((n) => [n.id, [n.id, n.state, n.reason, n.message, n.revision, n.rootCause || ''].join('\\n').toLowerCase()]));
  let pinned = null;

  const el = (tag, className, text) => {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const show = (n) => {
    const rows = [
      ['State', n.state + (n.suspended ? ' (suspended)' : '')],
      ['Ready', n.found ? n.ready : 'NotFound'],
      ['Reason', n.reason],
      ['Message', n.message],
      ['Revision', n.revision],
      ['Age', n.age ? n.age + ' (since ' + n.since + ')' : ''],
      ['Level', n.level === null ? 'never: a dependency cycle upstream' : String(n.level)],
      ['Root cause', n.rootCause || ''],
    ];
    const list = el('dl');
    for (const [k, v] of rows) if (v) list.append(el('dt', '', k), el('dd', '', v));
    const parts = [el('h2', 'state-' + n.state, n.mark + ' ' + n.id), list];
    if (n.explanation) parts.push(el('h3', '', 'Why blocked'), el('pre', 'explanation', n.explanation));
    if (n.inventory) {
      parts.push(el('h3', '', 'Inventory (' + n.inventory.length + ')'));
      const table = el('table', 'inventory');
      for (const i of n.inventory) {
        const row = el('tr');
        row.append(el('td', '', i.id), el('td', i.status === 'Current' ? 'state-ready' : i.status === 'InProgress' ? 'state-progressing' : 'state-failed', i.status), el('td', '', i.status === 'Current' ? '' : i.message));
        table.append(row);
      }
      parts.push(table);
    }
    details.replaceChildren(...parts);
    details.dataset.node = n.id;
  };
  const nodeOf = (target) => {
    const g = target.closest && target.closest('g.node');
    return g && byId.has(g.id) ? g : null;
  };
  const select = (g) => {
    if (pinned) pinned.classList.remove('selected');
    pinned = g;
    if (g) {
      g.classList.add('selected');
      show(byId.get(g.id));
    } else {
      details.replaceChildren(hint);
      delete details.dataset.node;
    }
  };
  svg.addEventListener('mouseover', (e) => {
    const g = nodeOf(e.target);
    if (g && !pinned) show(byId.get(g.id));
  });
  svg.addEventListener('click', (e) => select(nodeOf(e.target)));
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') select(null);
  });

  const filter = () => {
    const q = search.value.trim().toLowerCase();
    let count = 0;
    for (const [id, g] of groups) {
      const hit = !q || haystack.get(id).includes(q);
      g.classList.toggle('dim', !hit);
      g.classList.toggle('match', !!q && hit);
      if (hit) count++;
    }
    for (const e of edges) e.g.classList.toggle('dim', !!q && (groups.get(e.from).classList.contains('dim') || groups.get(e.to).classList.contains('dim')));
    matches.textContent = q ? count + ' of ' + groups.size : '';
  };
  search.addEventListener('input', filter);
  search.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter') return;
    const first = [...groups.values()].find((g) => g.classList.contains('match'));
    if (first) {
      select(first);
      first.scrollIntoView({ block: 'center', inline: 'center' });
    }
  });
  document.getElementById('fit').addEventListener('click', (e) => {
    graph.classList.toggle('fit');
    e.target.textContent = graph.classList.contains('fit') ? 'Actual size' : 'Fit to window';
  });
})();
`;
