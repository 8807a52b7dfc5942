import { STATUS_CODES } from 'node:http';

/**
 * Finishes the OpenAPI document @fastify/swagger writes from the route schemas, so that a client
 * generator gets types with names and a reader gets a document that says what each answer is:
 *
 * - every schema exported by `@sports/contracts` that a route uses is named under
 *   `components.schemas` (by its export name) and referenced, nested ones too; a page of a named item
 *   is `<Item>Page`; a request or answer that is no contract is named after its operation
 *   (`<OperationId>Request`, `<OperationId>Response`);
 * - every error answer is `application/problem+json` (Open311's own `<errors>` excepted);
 * - every answer has a description; an operation that names no security scheme says it needs none;
 * - `servers` is the public base URL.
 *
 * The route schemas themselves are untouched: validation and serialisation see what they always saw.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

interface Operation {
  operationId?: string;
  security?: Record<string, string[]>[];
  requestBody?: { content?: Record<string, { schema?: JsonObject }> };
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: JsonObject }> }>;
}

export interface OpenApiDocument {
  servers?: { url: string; description?: string }[];
  paths?: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, JsonObject>; [key: string]: unknown };
  [key: string]: unknown;
}

/** What an answer of each status means when its route says nothing more. */
const RESPONSE_DESCRIPTIONS: Record<string, string> = {
  '200': 'OK',
  '201': 'Created',
  '202': 'Accepted',
  '204': 'Done; no content',
  '304': 'Not modified: the copy the client holds is current',
  '400': 'Bad input: the fields at fault are listed in `errors`; nothing was changed',
  '401': 'Not signed in, or the sign-in has expired',
  '403': 'Signed in, but not allowed to do this here',
  '404': 'Not found (or not visible to the caller)',
  '405': 'The path exists but not with this method; `Allow` lists the methods it takes',
  '409': 'Conflicts with the current state (taken, already done, changed meanwhile)',
  '413': 'The body or upload is too large',
  '415': 'The body is not of a media type this operation takes',
  '422': 'A rule of the platform says no (quota, window, suspension…); `detail` says which',
  '429': 'Too many requests; `Retry-After` says when to try again',
  '503': 'Temporarily unavailable; `Retry-After` says when to try again',
};

const JSON_MEDIA = /^application\/([\w.-]+\+)?json$/;

/**
 * A stable text of a schema: keys sorted, so that equal schemas compare equal whatever their key
 * order; a one-value `enum` read as the `const` it is (the document writes TypeBox's consts so).
 */
function canonical(given: Json | undefined): string {
  if (given === null || typeof given !== 'object') return JSON.stringify(given);
  if (Array.isArray(given)) return `[${given.map(canonical).join(',')}]`;
  const { enum: choices, ...rest } = given;
  const value: JsonObject = Array.isArray(choices) && choices.length === 1 && rest.const === undefined ? { ...rest, const: choices[0]! } : given;
  return `{${Object.keys(value)
    .filter((key) => value[key] !== undefined && key !== '$id' && key !== 'title')
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`)
    .join(',')}}`;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether a schema is worth a name: a structure or a choice, not a bare string or number. */
function nameable(schema: JsonObject): boolean {
  return schema.type === 'object' || schema.type === 'array' || Array.isArray(schema.anyOf) || Array.isArray(schema.oneOf) || Array.isArray(schema.enum);
}

function pascal(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** The exported TypeBox schemas of a module, by export name; the first name of equal schemas wins. */
export function schemaRegistry(exports: Record<string, unknown>): Map<string, string> {
  const byCanonical = new Map<string, string>();
  for (const [name, value] of Object.entries(exports)) {
    if (!isObject(value) || typeof value === 'function' || !/^[A-Z]/.test(name)) continue;
    const schema = JSON.parse(JSON.stringify(value)) as JsonObject;
    if (!nameable(schema)) continue;
    const key = canonical(schema);
    if (!byCanonical.has(key)) byCanonical.set(key, name);
  }
  return byCanonical;
}

export function finishDocument(doc: OpenApiDocument, registry: Map<string, string>, publicBaseUrl: string): OpenApiDocument {
  const schemas: Record<string, JsonObject> = { ...(doc.components?.schemas ?? {}) };

  /** Files a schema under a name (once) and answers the reference to it. */
  function named(name: string, schema: JsonObject): JsonObject {
    if (!schemas[name]) {
      schemas[name] = {}; // reserved first, so that a schema that contains itself ends
      schemas[name] = refsWithin(schema, name);
    }
    return { $ref: `#/components/schemas/${name}` };
  }

  /** A schema with every nested contract schema replaced by its reference. */
  function refsWithin(schema: JsonObject, self?: string): JsonObject {
    const out: JsonObject = {};
    for (const [key, value] of Object.entries(schema)) {
      if (key === 'properties' && isObject(value)) {
        out[key] = Object.fromEntries(Object.entries(value).map(([p, s]) => [p, isObject(s) ? reference(s, self) : s]));
      } else if ((key === 'items' || key === 'additionalProperties' || key === 'not') && isObject(value)) {
        out[key] = reference(value, self);
      } else if ((key === 'anyOf' || key === 'oneOf' || key === 'allOf') && Array.isArray(value)) {
        out[key] = value.map((s) => (isObject(s) ? reference(s, self) : s));
      } else out[key] = value;
    }
    return out;
  }

  /** A schema as a reference when it is a contract (or a page of one), else with its insides referenced. */
  function reference(schema: JsonObject, self?: string): JsonObject {
    if (typeof schema.$ref === 'string') return schema;
    const name = nameable(schema) ? registry.get(canonical(schema)) : undefined;
    if (name && name !== self) return named(name, schema);
    const inner = refsWithin(schema, self);
    const page = pageOf(inner);
    return page ? named(`${page}Page`, inner) : inner;
  }

  for (const [path, operations] of Object.entries(doc.paths ?? {})) {
    const open311 = path.startsWith('/open311/');
    for (const operation of Object.values(operations)) {
      const id = pascal(operation.operationId ?? 'operation');
      // An operation that names no scheme needs none (a signed-in caller may still be recognised).
      operation.security ??= [];
      for (const [type, media] of Object.entries(operation.requestBody?.content ?? {})) {
        if (!media.schema) continue;
        const body = reference(media.schema);
        media.schema = JSON_MEDIA.test(type) && !body.$ref ? named(`${id}Request`, body) : body;
      }
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        if (!response.description || response.description === 'Default Response') {
          response.description = RESPONSE_DESCRIPTIONS[status] ?? STATUS_CODES[Number(status)] ?? 'Answer';
        }
        const error = Number(status) >= 400;
        if (error && !open311 && response.content) {
          const [first] = Object.values(response.content);
          response.content = { 'application/problem+json': { schema: first?.schema ? reference(first.schema) : { $ref: '#/components/schemas/Problem' } } };
          continue;
        }
        for (const [type, media] of Object.entries(response.content ?? {})) {
          if (!media.schema) continue;
          const answer = reference(media.schema);
          const structured = JSON_MEDIA.test(type) || type === 'text/xml';
          media.schema = structured && !answer.$ref && nameable(answer) ? named(`${id}${error ? 'Error' : 'Response'}`, answer) : answer;
        }
      }
    }
  }

  return {
    ...doc,
    servers: [{ url: publicBaseUrl, description: 'This deployment (PUBLIC_BASE_URL)' }],
    components: { ...doc.components, schemas },
  };
}

/** The item's name when a schema is a page of a named item (`{items: Item[], page, pageSize, total}`). */
function pageOf(schema: JsonObject): string | undefined {
  const properties = schema.properties;
  if (schema.type !== 'object' || !isObject(properties)) return undefined;
  if (Object.keys(properties).sort().join() !== 'items,page,pageSize,total') return undefined;
  const items = properties.items;
  const ref = isObject(items) && isObject(items.items) ? items.items.$ref : undefined;
  return typeof ref === 'string' ? ref.replace('#/components/schemas/', '') : undefined;
}
