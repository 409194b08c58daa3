// The Graphviz input of `tree -o svg|html`: `-o dot`'s graph (arrows point at what an object depends on, roots on
// top) with what the picture needs on top of it: each node and edge an SVG id (the object's id; FROM->TO) and
// classes (its state; rootcause, cycle, truncated; an edge's crosskind, missing, cycle), rollout levels as ranks
// with their labels on the left, and a legend (the graph's label: svg.ts groups it as id=legend). DOT node names are n0, n1, ... so svg.ts can find each node's title.
import { shortRevision } from '../model/flux.ts';
import { stateColours, type StateClass } from './dot.ts';
import type { Picture, PictureEdge, PictureNode } from './picture.ts';
import { xmlSafe, xmlText } from './xml-text.ts';

export const edgeLooks = {
  dependency: { color: '#555555', style: 'solid', penwidth: 1 },
  crosskind: { color: '#1565c0', style: 'dashed', penwidth: 1.2 },
  missing: { color: '#c62828', style: 'dotted', penwidth: 1.4 },
  cycle: { color: '#c62828', style: 'bold', penwidth: 2.5 },
} as const;
export type EdgeClass = keyof typeof edgeLooks;

/** The classes of a node's SVG group besides Graphviz's own `node`: its state first. */
export function nodeClasses(n: PictureNode): string[] {
  return [n.state, ...(n.rootCause ? ['rootcause'] : []), ...(n.inCycle ? ['cycle'] : []), ...(n.truncated ? ['truncated'] : [])];
}

/** The classes of an edge's SVG group besides Graphviz's own `edge`; the first decides its look. */
export function edgeClasses(e: PictureEdge): EdgeClass[] {
  const classes: EdgeClass[] = [];
  if (e.cycle) classes.push('cycle');
  if (e.missing) classes.push('missing');
  if (e.crossKind) classes.push('crosskind');
  return classes.length ? classes : ['dependency'];
}

/** The label lines of a node: symbol and kind, namespace/name, state, revision, marks. */
export function pictureLabelLines(n: PictureNode): string[] {
  const state = n.found ? (n.ready === 'True' ? 'Ready' : n.reason || `Ready=${n.ready}`) : n.reason || 'NotFound';
  return [
    `${n.mark} ${n.kind}`,
    `${n.namespace}/${n.name}`,
    n.suspended ? `${state} (suspended)` : state,
    ...(n.revision ? [shortRevision(n.revision)] : []),
    ...(n.rootCause ? [`◀ root cause: ${n.rootCause}`] : []),
    ...(n.inCycle ? ['↻ dependency cycle'] : []),
    ...(n.truncated ? ['… more (--depth)'] : []),
  ];
}

// Graphviz copies labels into the SVG: what XML cannot hold is dropped here already.
const escape = (s: string) => xmlSafe(s).replace(/\\/g, '\\\\').replace(/"/g, '\\"');
const quote = (s: string) => `"${escape(s)}"`;
const label = (lines: string[]) => `"${lines.map(escape).join('\\n')}"`;
// HTML-like labels (the legend) take XML text.
const xml = xmlText;

/** The DOT text of a picture. */
export function pictureDot(p: Picture): string {
  const key = new Map(p.nodes.map((n, i) => [n.id, `n${i}`]));
  const lines = [
    'digraph flux {',
    // The legend is the graph's label: a node of its own, tied to the top rank, made the layout of 1,000 objects a
    // third slower (as did newrank, not needed for ranks without clusters).
    '  rankdir=BT; nodesep=0.3; ranksep=0.5; labelloc=t; labeljust=l;',
    `  label=<${legendTable()}>; fontname="Helvetica"; fontsize=11;`,
    '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=11, margin="0.12,0.06"];',
    '  edge [arrowsize=0.7];',
  ];
  // One rank per rollout level, its label beside it: level 1 on top, as it rolls out first. Declared before the
  // objects, so the labels start (and mostly stay) on the left.
  const rows = [...p.levels.map((ids, i) => ({ name: `level ${i + 1}`, ids })), ...(p.never.length ? [{ name: 'never (cycle)', ids: p.never }] : [])];
  rows.forEach((row, i) => {
    lines.push(`  level${i} [shape=plaintext, style="", id=${quote(`level-${i + 1}`)}, class="level", label=${quote(row.name)}, fontcolor="#757575"];`);
    lines.push(`  { rank=same; level${i}; ${row.ids.map((id) => key.get(id)).join('; ')} }`);
    if (i > 0) lines.push(`  level${i} -> level${i - 1} [style=invis];`);
  });
  for (const n of p.nodes) {
    const c = stateColours[n.state];
    const style = n.found ? 'rounded,filled' : 'rounded,filled,dashed';
    const pen = n.rootCause ? ', penwidth=3, color="#8e0000"' : `, color=${quote(c.stroke)}`;
    lines.push(`  ${key.get(n.id)} [id=${quote(n.id)}, class=${quote(nodeClasses(n).join(' '))}, label=${label(pictureLabelLines(n))}, fillcolor=${quote(c.fill)}${pen}, style=${quote(style)}];`);
  }
  for (const e of p.edges) {
    const classes = edgeClasses(e);
    const look = edgeLooks[classes[0] as EdgeClass];
    lines.push(`  ${key.get(e.from)} -> ${key.get(e.to)} [id=${quote(`${e.from}->${e.to}`)}, class=${quote(classes.join(' '))}, color=${quote(look.color)}, style=${look.style}, penwidth=${look.penwidth}];`);
  }
  lines.push('}');
  return lines.join('\n') + '\n';
}

const stateNames: Record<StateClass, string> = { ready: '✔ Ready', progressing: '◎ Progressing', failed: '✗ Failed', missing: '✗ Not found', suspended: '◎ Suspended' };
const edgeNames: Record<EdgeClass, string> = { dependency: '─── depends on', crosskind: '╌╌╌ on another kind', missing: '┈┈┈ on a missing object', cycle: '━━━ in a cycle' };

// The legend: a table of the state colours and the edge looks.
function legendTable(): string {
  const states = (Object.keys(stateNames) as StateClass[]).map((s) =>
    `<TD BGCOLOR="${stateColours[s].fill}" COLOR="${stateColours[s].stroke}" BORDER="1" STYLE="rounded">${xml(stateNames[s])}</TD>`);
  states.push('<TD BGCOLOR="#ffffff" COLOR="#8e0000" BORDER="3" STYLE="rounded">◀ root cause</TD>');
  const edges = (Object.keys(edgeNames) as EdgeClass[]).map((e) => `<TD><FONT COLOR="${edgeLooks[e].color}">${xml(edgeNames[e])}</FONT></TD>`);
  return `<TABLE BORDER="0" CELLSPACING="4" CELLPADDING="3"><TR><TD ALIGN="LEFT"><B>Legend</B></TD>${states.join('')}</TR><TR><TD></TD>${edges.join('')}<TD></TD><TD></TD></TR></TABLE>`;
}
