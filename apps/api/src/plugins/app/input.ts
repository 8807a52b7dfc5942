import Ajv, { type ErrorObject, type Options as AjvOptions, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { isUtf8 } from 'node:buffer';
import fastUri from 'fast-uri';
import fp from 'fastify-plugin';
import type { FastifyRequest } from 'fastify';
import { FORMATS } from '@sports/domain';
import { DomainError, fieldProblem, type FieldProblem } from '../../services/shared/errors.ts';

/**
 * What the API accepts, checked before any handler runs (issue 12):
 * - JSON bodies are taken as typed: `{"lat": null}` or `{"maxUpcoming": true}` is a 400, never a 0 or
 *   a 1. Only query strings, path parameters and headers, which are text by nature, are coerced.
 * - Numbers are finite (`1e309` is no number), dates are days of the calendar, instants have no
 *   leap second (`@sports/domain` FORMATS).
 * - Every string is trimmed before it is checked, so whitespace alone is empty; a string with a
 *   control character, a lone surrogate or a bidirectional override is refused, since it can only
 *   break storage (PostgreSQL refuses NUL) or disguise a name.
 * - A body is read as UTF-8; one declared in another charset is 415, one that is not UTF-8 is 400.
 */

const AJV_OPTIONS: AjvOptions = {
  allErrors: true,
  // Unknown fields are refused with 400 rather than silently dropped.
  removeAdditional: false,
  useDefaults: true,
  strictNumbers: true,
  uriResolver: fastUri,
  addUsedSchema: false,
};

function validatorFactory(coerceTypes: false | 'array'): Ajv {
  const ajv = new Ajv({ ...AJV_OPTIONS, coerceTypes });
  addFormats(ajv, { mode: 'full' });
  for (const [name, validate] of Object.entries(FORMATS)) ajv.addFormat(name, { type: 'string', validate });
  return ajv;
}

/** Where a value holds a number that is not finite, as a JSON pointer; undefined when none does. */
function nonFinite(value: unknown, pointer: string): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : pointer;
  if (value === null || typeof value !== 'object') return undefined;
  for (const [key, item] of Object.entries(value)) {
    const found = nonFinite(item, `${pointer}/${key}`);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * Ajv turns the text `1e309` or `Infinity` into a number that passes `maximum`; a coerced value must
 * also be finite.
 */
function finiteOnly(validate: ValidateFunction): ValidateFunction {
  const check = ((data: unknown, context?: Parameters<ValidateFunction>[1]) => {
    if (!validate(data, context)) {
      check.errors = validate.errors;
      return false;
    }
    const pointer = nonFinite(data, '');
    if (pointer === undefined) return true;
    const issue: ErrorObject = { keyword: 'type', instancePath: pointer, schemaPath: '#', params: { type: 'number' }, message: 'must be a finite number' };
    check.errors = [issue];
    return false;
  }) as ValidateFunction;
  check.schemaEnv = validate.schemaEnv;
  check.schema = validate.schema;
  return check;
}

/** In a `u` expression a surrogate matches only when it is alone: ill-formed UTF-16. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
/** Tab, line feed and carriage return are text; every other C0 or C1 control character is not. */
// eslint-disable-next-line no-control-regex -- finding control characters is this expression's purpose
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/u;
/** Embeddings, overrides and isolates: they reorder what a reader sees (`evil\u202Egnp.exe`). */
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/u;
/** No request of this API nests deeper than a few levels; a body of thousands is an attack on the stack. */
const MAX_DEPTH = 32;
/** Passwords are taken exactly as typed: spaces in them are theirs. */
const UNTRIMMED = /password/i;

function refusal(value: string): { zh: string; en: string } | undefined {
  if (LONE_SURROGATE.test(value)) return { zh: '含有无效的 Unicode 字符', en: 'contains ill-formed Unicode' };
  if (CONTROL.test(value)) return { zh: '含有控制字符', en: 'contains a control character' };
  if (BIDI_CONTROL.test(value)) return { zh: '含有文字方向控制字符', en: 'contains a bidirectional control character' };
  return undefined;
}

/**
 * Trims every string of a parsed body, query or parameter object in place, and names each string
 * that cannot be stored or shown as it is. Keys are checked as well as values.
 */
function cleanStrings(value: unknown, path: string, problems: FieldProblem[], trim: boolean, depth = 0): unknown {
  if (depth > MAX_DEPTH) {
    problems.push(fieldProblem(path, `嵌套超过 ${MAX_DEPTH} 层`, `is nested more than ${MAX_DEPTH} levels deep`));
    return value;
  }
  if (typeof value === 'string') {
    const bad = refusal(value);
    if (bad) problems.push(fieldProblem(path || '(body)', bad.zh, bad.en));
    return trim ? value.trim() : value;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) value[i] = cleanStrings(value[i], path ? `${path}.${i}` : String(i), problems, trim, depth + 1);
    return value;
  }
  if (value !== null && typeof value === 'object' && !Buffer.isBuffer(value)) {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const field = path ? `${path}.${key}` : key;
      const bad = refusal(key);
      if (bad) problems.push(fieldProblem(field, bad.zh, bad.en));
      record[key] = cleanStrings(record[key], field, problems, trim && !UNTRIMMED.test(key), depth + 1);
    }
  }
  return value;
}

const CHARSET = /;\s*charset\s*=\s*"?([^";\s]+)/i;
const UTF8 = new Set(['utf-8', 'utf8', 'us-ascii']);

/** The charset a request declares for its body, when it declares one that is not UTF-8. */
function foreignCharset(contentType: string | undefined): string | undefined {
  const charset = contentType ? CHARSET.exec(contentType)?.[1]?.toLowerCase() : undefined;
  return charset && !UTF8.has(charset) ? charset : undefined;
}

function cleanRequest(request: FastifyRequest): void {
  const problems: FieldProblem[] = [];
  request.params = cleanStrings(request.params, '', problems, false) as typeof request.params;
  request.query = cleanStrings(request.query, '', problems, true) as typeof request.query;
  request.body = cleanStrings(request.body, '', problems, true) as typeof request.body;
  if (problems.length > 0) throw new DomainError('VALIDATION_FAILED', {}, problems);
}

export default fp(
  async (fastify) => {
    const coercing = validatorFactory('array');
    const strict = validatorFactory(false);
    fastify.setValidatorCompiler(({ schema, httpPart }) => {
      if (httpPart === 'body') return strict.compile(schema);
      return finiteOnly(coercing.compile(schema));
    });

    // JSON as the default parser reads it (prototype poisoning refused), but only from valid UTF-8:
    // a byte that is no UTF-8 would otherwise become U+FFFD and be stored so.
    const parseJson = fastify.getDefaultJsonParser('error', 'error');
    fastify.removeContentTypeParser('application/json');
    fastify.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
      if (!isUtf8(body as Buffer)) return done(new DomainError('VALIDATION_FAILED', {}, [fieldProblem('(body)', '不是有效的 UTF-8 文本', 'is not valid UTF-8')]), undefined);
      parseJson(request, (body as Buffer).toString('utf8'), done);
    });

    fastify.addHook('onRequest', (request, _reply, done) => {
      const charset = foreignCharset(request.headers['content-type']);
      done(charset ? new DomainError('UNSUPPORTED_MEDIA_TYPE') : undefined);
    });
    // A body of a media type the operation does not take is 415, before it is read: a route takes
    // what its schema's `consumes` lists, JSON when it lists nothing.
    fastify.addHook('preParsing', (request, _reply, payload, done) => {
      const type = request.headers['content-type']?.split(';')[0]!.trim().toLowerCase();
      const schema = request.routeOptions.schema as { body?: unknown; consumes?: readonly string[] } | undefined;
      if (type === undefined || !schema?.body) return done(null, payload);
      const takes = schema.consumes ?? ['application/json'];
      done(takes.includes(type) ? null : new DomainError('UNSUPPORTED_MEDIA_TYPE'), payload);
    });
    fastify.addHook('preValidation', (request, _reply, done) => {
      try {
        cleanRequest(request);
        done();
      } catch (err) {
        done(err as Error);
      }
    });
  },
  { name: 'input', dependencies: ['errors'] },
);
