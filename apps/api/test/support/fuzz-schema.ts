import { randomUUID } from 'node:crypto';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import { FORMATS } from '@sports/domain';

/**
 * The OpenAPI document read as the fuzz suite needs it: each operation with its parameters and body
 * schema, a valid request to start from, and an oracle that says whether a changed request still
 * satisfies the document (a change the document allows is no bad request, and is not sent).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Schema = Record<string, any>;

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  schema: Schema;
}

export interface Operation {
  key: string;
  method: string;
  /** The path template, `/api/v1/venues/{id}`. */
  path: string;
  parameters: Parameter[];
  /** Media type → schema of the body, as the document lists them. */
  body?: Record<string, Schema>;
  secured: boolean;
}

export function operationsOf(doc: Schema): Operation[] {
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries<Schema>(doc.paths)) {
    for (const [method, op] of Object.entries<Schema>(item)) {
      if (!['get', 'put', 'post', 'patch', 'delete'].includes(method)) continue;
      const body = op.requestBody?.content
        ? Object.fromEntries(Object.entries<Schema>(op.requestBody.content).map(([type, media]) => [type, media.schema ?? {}]))
        : undefined;
      operations.push({
        key: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        parameters: (op.parameters ?? []).map((p: Schema) => ({ name: p.name, in: p.in, required: Boolean(p.required), schema: p.schema ?? {} })),
        ...(body ? { body } : {}),
        secured: Array.isArray(op.security) && op.security.length > 0,
      });
    }
  }
  return operations;
}

// ---------------------------------------------------------------------------------------------
// The oracle: does a value satisfy the document?

function validator(coerceTypes: false | 'array'): Ajv {
  // As the server: defaults fill what is left out (a parameter with a default is not missing).
  const ajv = new Ajv({ strict: false, allErrors: false, strictNumbers: true, coerceTypes, useDefaults: true, validateFormats: true });
  addFormats(ajv, { mode: 'full' });
  for (const [name, validate] of Object.entries(FORMATS)) ajv.addFormat(name, { type: 'string', validate });
  return ajv;
}
const strict = validator(false);
const coercing = validator('array');
const compiledStrict = new WeakMap<Schema, ValidateFunction>();
const compiledText = new WeakMap<Schema, ValidateFunction>();

/** Whether `value` satisfies `schema`: typed as JSON is, or (for query, path and header) as text is coerced. */
export function satisfies(schema: Schema, value: unknown, text = false): boolean {
  const cache = text ? compiledText : compiledStrict;
  let validate = cache.get(schema);
  if (!validate) {
    validate = (text ? coercing : strict).compile(structuredClone(schema));
    cache.set(schema, validate);
  }
  // Coercion writes into its input: check a copy.
  return validate(structuredClone(value)) as boolean;
}

const textValidators = new WeakMap<Schema, ValidateFunction>();
/** The parameters of one location (query, header) as one object schema, for the coercing oracle. */
export function parametersSatisfy(parameters: Parameter[], values: Record<string, unknown>): boolean {
  const schema = {
    type: 'object',
    properties: Object.fromEntries(parameters.map((p) => [p.name, p.schema])),
    required: parameters.filter((p) => p.required).map((p) => p.name),
  };
  const marker = parameters as unknown as Schema;
  let validate = textValidators.get(marker);
  if (!validate) {
    validate = coercing.compile(schema);
    textValidators.set(marker, validate);
  }
  return validate(structuredClone(values)) as boolean;
}

// ---------------------------------------------------------------------------------------------
// A valid value for a schema, to start from.

/** Real ids by field name, so that a request is refused for what was changed, not for a dangling id. */
export type IdsByName = Record<string, string>;

const SAMPLE_FORMATS: Record<string, string> = {
  date: '2026-12-10',
  'date-time': '2026-12-10T10:00:00+08:00',
  email: 'fuzz@example.com',
  uri: 'https://example.com/x',
  time: '10:00:00',
};

function matching(pattern: string, minLength = 0, maxLength = Infinity): string {
  const re = new RegExp(pattern, 'u');
  const candidates = fc.sample(fc.stringMatching(re), { numRuns: 200, seed: 42 });
  const fit = candidates.find((s) => s.length >= minLength && s.length <= maxLength && s.trim() === s && satisfiesPattern(re, s));
  if (fit === undefined) throw new Error(`no sample for /${pattern}/ within ${minLength}..${maxLength}`);
  return fit;
}
// eslint-disable-next-line no-control-regex -- a valid sample holds no control character
const satisfiesPattern = (re: RegExp, s: string) => re.test(s) && !/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u.test(s);

function firstType(schema: Schema): string | undefined {
  if (Array.isArray(schema.type)) return schema.type.find((t: string) => t !== 'null');
  return schema.type;
}

export function validValue(schema: Schema, name: string, ids: IdsByName): unknown {
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum.find((v: unknown) => v !== null);
  for (const key of ['anyOf', 'oneOf'] as const) {
    if (Array.isArray(schema[key])) {
      const branch = schema[key].find((b: Schema) => b.type !== 'null' && !(Array.isArray(b.enum) && b.enum.length === 1 && b.enum[0] === null)) ?? schema[key][0];
      return validValue(branch, name, ids);
    }
  }
  if (Array.isArray(schema.allOf)) return validValue(Object.assign({}, ...schema.allOf), name, ids);
  switch (firstType(schema)) {
    case 'string': {
      if (schema.format === 'uuid') return ids[name] ?? randomUUID();
      if (schema.format && SAMPLE_FORMATS[schema.format]) return SAMPLE_FORMATS[schema.format];
      if (ids[name] !== undefined) return ids[name];
      if (schema.pattern) return matching(schema.pattern, schema.minLength ?? 0, schema.maxLength ?? Infinity);
      const length = Math.max(schema.minLength ?? 1, Math.min(4, schema.maxLength ?? 4));
      return '测试场馆设施'.repeat(4).slice(0, length);
    }
    case 'integer':
    case 'number': {
      const low = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : 1);
      const high = schema.maximum ?? (schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - 1 : low);
      return Math.min(Math.max(low, 1), high);
    }
    case 'boolean':
      return true;
    case 'array': {
      const length = schema.minItems ?? 0;
      if (schema.uniqueItems && schema.items && Array.isArray(schema.items.enum)) return schema.items.enum.slice(0, length);
      return Array.from({ length }, () => validValue(schema.items ?? {}, name, ids));
    }
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const key of schema.required ?? []) out[key] = validValue(schema.properties?.[key] ?? {}, key, ids);
      return out;
    }
    case 'null':
      return null;
    default:
      return ids[name] ?? 'x';
  }
}

// ---------------------------------------------------------------------------------------------
// Where a body can be changed.

export interface Slot {
  /** Keys from the body's root to the value. */
  path: (string | number)[];
  schema: Schema;
  /** The schema of the object holding it, and whether that object requires it. */
  parent?: Schema;
  required: boolean;
}

/** Every property and first array item of a body schema, down to a few levels. */
export function slotsOf(schema: Schema, path: (string | number)[] = [], depth = 0, parent?: Schema, required = true): Slot[] {
  const slots: Slot[] = [{ path, schema, ...(parent ? { parent } : {}), required }];
  if (depth > 4) return slots;
  const branches = [...(schema.anyOf ?? []), ...(schema.oneOf ?? [])].filter((b: Schema) => b.type !== 'null');
  const concrete = branches.length === 1 ? branches[0] : schema;
  const type = firstType(concrete);
  if (type === 'object' && concrete.properties) {
    for (const [key, child] of Object.entries<Schema>(concrete.properties)) {
      slots.push(...slotsOf(child, [...path, key], depth + 1, concrete, (concrete.required ?? []).includes(key)));
    }
  }
  if (type === 'array' && concrete.items && typeof concrete.items === 'object') {
    slots.push(...slotsOf(concrete.items, [...path, 0], depth + 1, concrete, true));
  }
  return slots;
}

/** A copy of `body` with `path` set to `value` (or removed), building missing parents as valid values. */
export function withValue(body: unknown, slots: Slot[], path: (string | number)[], value: unknown, ids: IdsByName, remove = false): unknown {
  if (path.length === 0) return value;
  const root = structuredClone(body) as Record<string | number, unknown>;
  let node: Record<string | number, unknown> = root;
  for (let i = 0; i < path.length - 1; i += 1) {
    const key = path[i]!;
    if (node[key] === undefined || node[key] === null || typeof node[key] !== 'object') {
      const slot = slots.find((s) => s.path.length === i + 1 && s.path.every((k, j) => k === path[j]));
      const next = slot ? validValue(slot.schema, String(key), ids) : typeof path[i + 1] === 'number' ? [] : {};
      node[key] = next;
    }
    node = node[key] as Record<string | number, unknown>;
    if (Array.isArray(node) && typeof path[i + 1] === 'number' && node.length === 0) {
      const slot = slots.find((s) => s.path.length === i + 2 && s.path.every((k, j) => k === path[j]));
      node.push(slot ? validValue(slot.schema, String(key), ids) : {});
    }
  }
  const last = path[path.length - 1]!;
  if (remove) {
    if (Array.isArray(node)) node.splice(Number(last), 1);
    else delete node[last];
  } else node[last] = value;
  return root;
}

export function isDateSchema(schema: Schema): 'date' | 'date-time' | undefined {
  if (schema.format === 'date-time') return 'date-time';
  if (schema.format === 'date') return 'date';
  if (typeof schema.pattern === 'string' && new RegExp(schema.pattern).test('2026-12-10') && !new RegExp(schema.pattern).test('x')) return 'date';
  return undefined;
}

export function isStringSchema(schema: Schema): boolean {
  return firstType(schema) === 'string' || (Array.isArray(schema.enum) && schema.enum.some((v: unknown) => typeof v === 'string'));
}

export function isIntegerSchema(schema: Schema): boolean {
  return firstType(schema) === 'integer';
}

export function isNumberSchema(schema: Schema): boolean {
  return firstType(schema) === 'integer' || firstType(schema) === 'number';
}
