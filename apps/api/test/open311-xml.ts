/**
 * A small XML reader, as a generic Open311 client would read an answer: it knows nothing of the
 * server's writer. It checks the declaration, nesting and entities, and gives a tree; `records`
 * turns a GeoReport list (`<service_requests><request>…`) into objects of text values.
 */
export interface XmlElement {
  name: string;
  children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' };

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (whole, ref: string) => {
    if (ref.startsWith('#x') || ref.startsWith('#X')) return String.fromCodePoint(parseInt(ref.slice(2), 16));
    if (ref.startsWith('#')) return String.fromCodePoint(Number(ref.slice(1)));
    const named = ENTITIES[ref];
    if (named === undefined) throw new Error(`unknown entity ${whole}`);
    return named;
  });
}

export function parseXml(source: string): XmlElement {
  const declaration = /^<\?xml\s+version="1\.0"\s+encoding="utf-8"\s*\?>/i.exec(source);
  if (!declaration) throw new Error('no XML declaration with encoding="utf-8"');
  let at = declaration[0].length;
  const root: XmlElement = { name: '#document', children: [], text: '' };
  const stack: XmlElement[] = [root];
  const token = /<\/([\w:.-]+)\s*>|<([\w:.-]+)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|<!--[\s\S]*?-->|([^<]+)/y;
  while (at < source.length) {
    token.lastIndex = at;
    const m = token.exec(source);
    if (!m) throw new Error(`not well-formed at ${at}: ${source.slice(at, at + 40)}`);
    at = token.lastIndex;
    const top = stack[stack.length - 1]!;
    if (m[1]) {
      if (top.name !== m[1]) throw new Error(`</${m[1]}> closes <${top.name}>`);
      stack.pop();
    } else if (m[2]) {
      const element: XmlElement = { name: m[2], children: [], text: '' };
      top.children.push(element);
      if (!m[4]) stack.push(element);
    } else if (m[5] !== undefined) {
      if (top === root) {
        if (m[5].trim()) throw new Error('text outside the root element');
      } else top.text += decode(m[5]);
    }
  }
  if (stack.length !== 1) throw new Error(`<${stack[stack.length - 1]!.name}> is never closed`);
  if (root.children.length !== 1) throw new Error('not exactly one root element');
  return root.children[0]!;
}

/** The entries of a list document: each child of the root, as `{ field: text }`. */
export function records(source: string, rootName: string, itemName: string): Record<string, string>[] {
  const root = parseXml(source);
  if (root.name !== rootName) throw new Error(`root is <${root.name}>, not <${rootName}>`);
  return root.children.map((item) => {
    if (item.name !== itemName) throw new Error(`<${rootName}> holds <${item.name}>, not <${itemName}>`);
    return Object.fromEntries(item.children.map((field) => [field.name, field.text]));
  });
}
