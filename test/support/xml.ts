// A strict little XML parser for the tests of tree -o svg: it throws on anything that is not well-formed (an
// unclosed or mismatched tag, an unquoted or repeated attribute, a stray `<` or `&`, an unknown entity, text after
// the root) and returns the element tree to query. Enough for Graphviz's SVG; no DTD is read.

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** The element's own text, entities decoded (children's text not included). */
  text: string;
}

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(s: string, at: number): string {
  if (s.includes('<')) throw new Error(`XML: '<' in text or attribute near offset ${at}`);
  return s.replace(/&([^;\s]*);?/g, (whole, name: string) => {
    if (!whole.endsWith(';')) throw new Error(`XML: bare '&' near offset ${at}`);
    if (name.startsWith('#x')) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(parseInt(name.slice(1), 10));
    const e = entities[name];
    if (e === undefined) throw new Error(`XML: unknown entity &${name}; near offset ${at}`);
    return e;
  });
}

/** Parses a whole document; throws an Error saying where it is not well-formed. */
export function parseXml(source: string): XmlElement {
  let i = 0;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  const skip = (open: string, close: string) => {
    const end = source.indexOf(close, i + open.length);
    if (end < 0) throw new Error(`XML: ${open} not closed (offset ${i})`);
    i = end + close.length;
  };
  while (i < source.length) {
    const lt = source.indexOf('<', i);
    const text = source.slice(i, lt < 0 ? source.length : lt);
    const top = stack[stack.length - 1];
    if (top) top.text += decode(text, i);
    else if (text.trim()) throw new Error(`XML: text outside the root element (offset ${i})`);
    if (lt < 0) break;
    i = lt;
    if (source.startsWith('<?', i)) skip('<?', '?>');
    else if (source.startsWith('<!--', i)) {
      const end = source.indexOf('-->', i + 4);
      if (end < 0 || source.slice(i + 4, end).includes('--')) throw new Error(`XML: a comment not closed or holding "--" (offset ${i})`);
      i = end + 3;
    }
    else if (source.startsWith('<!DOCTYPE', i)) {
      if (root || stack.length) throw new Error('XML: DOCTYPE inside the document');
      skip('<!DOCTYPE', '>');
    } else if (source.startsWith('</', i)) {
      const m = /^<\/([A-Za-z_][\w:.-]*)\s*>/.exec(source.slice(i));
      const open = stack.pop();
      if (!m || !open || open.name !== m[1]) throw new Error(`XML: </${m?.[1] ?? '?'}> does not close <${open?.name ?? 'nothing'}> (offset ${i})`);
      i += m[0].length;
    } else {
      const m = /^<([A-Za-z_][\w:.-]*)((?:\s+[A-Za-z_][\w:.-]*\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/.exec(source.slice(i));
      if (!m) throw new Error(`XML: malformed tag near offset ${i}: ${source.slice(i, i + 60)}`);
      if (root && !stack.length) throw new Error(`XML: a second root element <${m[1]}> (offset ${i})`);
      const attrs: Record<string, string> = {};
      for (const a of (m[2] ?? '').matchAll(/([A-Za-z_][\w:.-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
        const name = a[1] as string;
        if (name in attrs) throw new Error(`XML: attribute ${name} repeated (offset ${i})`);
        attrs[name] = decode(a[2] ?? a[3] ?? '', i);
      }
      const element: XmlElement = { name: m[1] as string, attrs, children: [], text: '' };
      (stack[stack.length - 1]?.children ?? []).push(element);
      if (!root) root = element;
      if (!m[3]) stack.push(element);
      i += m[0].length;
    }
  }
  if (stack.length) throw new Error(`XML: <${stack[stack.length - 1]?.name}> never closed`);
  if (!root) throw new Error('XML: no root element');
  return root;
}

/** Every element below (and including) `e`, document order. */
export function allElements(e: XmlElement): XmlElement[] {
  return [e, ...e.children.flatMap(allElements)];
}
