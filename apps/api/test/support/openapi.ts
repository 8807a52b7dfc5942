/**
 * The served OpenAPI document with its named schemas written out where they are referenced, for
 * tests that read a body or answer schema as one tree (the document names them under
 * `components.schemas`, as a client generator wants).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = Record<string, any>;

export function inlineRefs<T extends Doc>(doc: T): T {
  const schemas = (doc.components?.schemas ?? {}) as Record<string, unknown>;
  const walk = (node: unknown, depth: number): unknown => {
    if (depth > 64) throw new Error('the document refers to itself too deeply');
    if (Array.isArray(node)) return node.map((item) => walk(item, depth + 1));
    if (typeof node !== 'object' || node === null) return node;
    const ref = (node as { $ref?: unknown }).$ref;
    if (typeof ref === 'string' && ref.startsWith('#/components/schemas/')) {
      const target = schemas[ref.slice('#/components/schemas/'.length)];
      if (target === undefined) throw new Error(`the document refers to a schema it does not name: ${ref}`);
      return walk(target, depth + 1);
    }
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, walk(value, depth + 1)]));
  };
  return { ...doc, paths: walk(doc.paths, 0) } as T;
}
