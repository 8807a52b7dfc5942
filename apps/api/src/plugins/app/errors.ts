import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import FindMyWay, { type HTTPMethod } from 'find-my-way';
import fp from 'fastify-plugin';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ERROR_TITLES, ERRORS, errorMessage, type ErrorCode, type Locale, type Problem } from '@sports/contracts';
import { isDatabaseUnavailable } from '@sports/db';
import { refuseOpen311 } from '../../routes/open311.ts';
import { DomainError } from '../../services/shared/errors.ts';
import { toXml } from '../../services/repairs/open311.ts';

/** Retry-After of a 503 answered while the database is away: it is back within seconds or not soon. */
const DATABASE_RETRY_AFTER_SECONDS = 5;

interface FieldMessage {
  field: string;
  message: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The caller's language, from Accept-Language: English when asked for, Chinese otherwise. */
    locale: Locale;
  }
  interface FastifyInstance {
    /** The methods a path takes, when it is a path of the API that does not take the one asked (for 405). */
    allowedMethods(url: string): string[];
  }
}

const LOCALE_OF_TAG: [RegExp, Locale][] = [
  [/^en(-|$)/, 'en'],
  [/^(zh(-|$)|\*$)/, 'zh-CN'],
];

/**
 * The caller's language from Accept-Language (RFC 9110 §12.5.4): of the languages we speak, the one
 * given the highest weight (`q`, 1 when not said; 0 means "not this one"); the first listed among
 * equals; Chinese when none of ours is asked for.
 */
export function localeOf(acceptLanguage: string | undefined): Locale {
  let best: Locale = 'zh-CN';
  let bestWeight = 0;
  for (const range of (acceptLanguage ?? '').split(',').slice(0, 32)) {
    const [tag = '', ...parameters] = range.trim().toLowerCase().split(';');
    const weightParameter = parameters.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const weight = weightParameter === undefined ? 1 : /^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(weightParameter.slice(2)) ? Number(weightParameter.slice(2)) : 0;
    const locale = LOCALE_OF_TAG.find(([pattern]) => pattern.test(tag.trim()))?.[1];
    if (locale && weight > bestWeight) {
      best = locale;
      bestWeight = weight;
    }
  }
  return best;
}

/** Where a problem type is documented: the `type` of every problem+json, under the public base. */
export function problemType(publicBaseUrl: string, code: ErrorCode): string {
  return `${publicBaseUrl}/api/v1/problems/${code}`;
}

/** A problem's title in a language: the short summary of its type (RFC 9457 §3.1.3). */
export function problemTitle(code: ErrorCode, locale: Locale): string {
  return locale === 'en' ? ERROR_TITLES[code].en : ERROR_TITLES[code].zh;
}

interface AjvIssue {
  keyword: string;
  instancePath: string;
  message?: string;
  params: Record<string, unknown>;
}

/** The checked formats (`@sports/domain` FORMATS) said as the services say them. */
const FORMAT_MESSAGES: Record<string, { zh: string; en: string } | undefined> = {
  date: { zh: '不是有效日期', en: 'is not a calendar date' },
  'date-time': { zh: '不是有效的时间（须含时区，如 2026-12-03T19:00:00+08:00）', en: 'is not a valid time with its offset (e.g. 2026-12-03T19:00:00+08:00)' },
};

const FIELD_MESSAGES: Record<string, { zh: (p: Record<string, unknown>) => string; en: (p: Record<string, unknown>) => string }> = {
  required: { zh: () => '必填', en: () => 'is required' },
  pattern: { zh: () => '格式不正确', en: () => 'has the wrong format' },
  format: {
    zh: (p) => FORMAT_MESSAGES[String(p.format)]?.zh ?? `格式不正确（应为 ${String(p.format)}）`,
    en: (p) => FORMAT_MESSAGES[String(p.format)]?.en ?? `must be a valid ${String(p.format)}`,
  },
  minLength: { zh: (p) => `至少 ${String(p.limit)} 个字符`, en: (p) => `must be at least ${String(p.limit)} characters` },
  maxLength: { zh: (p) => `最多 ${String(p.limit)} 个字符`, en: (p) => `must be at most ${String(p.limit)} characters` },
  minimum: { zh: (p) => `不能小于 ${String(p.limit)}`, en: (p) => `must be at least ${String(p.limit)}` },
  maximum: { zh: (p) => `不能大于 ${String(p.limit)}`, en: (p) => `must be at most ${String(p.limit)}` },
  type: { zh: (p) => `类型应为 ${String(p.type)}`, en: (p) => `must be ${String(p.type)}` },
  additionalProperties: { zh: () => '不是可接受的字段', en: () => 'is not an accepted field' },
  anyOf: { zh: () => '取值不在允许范围内', en: () => 'is not one of the allowed values' },
  const: { zh: () => '取值不在允许范围内', en: () => 'is not one of the allowed values' },
  enum: { zh: () => '取值不在允许范围内', en: () => 'is not one of the allowed values' },
};

/** Turns Ajv's findings into `{field, message}` pairs, one per field, in the caller's language. */
function fieldProblems(issues: AjvIssue[], locale: Locale): FieldMessage[] {
  const byField = new Map<string, string>();
  for (const issue of issues) {
    const path = issue.instancePath.replace(/^\//, '').replaceAll('/', '.');
    const child =
      (issue.params.missingProperty as string | undefined) ?? (issue.params.additionalProperty as string | undefined);
    const field = [path, child].filter(Boolean).join('.') || '(body)';
    if (byField.has(field)) continue;
    const known = FIELD_MESSAGES[issue.keyword];
    byField.set(field, known ? (locale === 'en' ? known.en(issue.params) : known.zh(issue.params)) : (issue.message ?? 'invalid'));
  }
  return [...byField].map(([field, message]) => ({ field, message }));
}

function problem(base: string, request: FastifyRequest, code: ErrorCode, detail: string, fields?: FieldMessage[], existingId?: string): Problem {
  const status = ERRORS[code].status;
  return {
    type: problemType(base, code),
    title: problemTitle(code, request.locale),
    status,
    code,
    detail,
    instance: request.url.split('?')[0]!,
    requestId: request.id,
    ...(fields && fields.length > 0 ? { errors: fields } : {}),
    ...(existingId ? { existingId } : {}),
  };
}

/** A problem+json answer, saying its language and that the language follows Accept-Language. */
function send(reply: FastifyReply, body: Problem): FastifyReply {
  return reply
    .status(body.status)
    .type('application/problem+json')
    .header('content-language', reply.request.locale)
    .header('vary', 'Accept-Language')
    .send(body);
}

/**
 * Errors Fastify meets before a route is chosen (a URL that is not well formed, a constraint that
 * fails): answered as problem+json like every other refusal. Given as the `frameworkErrors` option.
 */
export function frameworkErrors(publicBaseUrl: string) {
  return (err: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    const code = codeForFrameworkError(err) ?? 'VALIDATION_FAILED';
    request.log.info({ err: { code: err.code, message: err.message } }, 'request refused');
    // Open311 clients read errors in the spec's own form, whatever went wrong.
    if (request.url.startsWith('/open311/')) return void refuseOpen311(request, reply, ERRORS[code].status, errorMessage(code, 'en'));
    request.locale = localeOf(request.headers['accept-language']);
    void send(reply, problem(publicBaseUrl, request, code, errorMessage(code, request.locale)));
  };
}

/**
 * Requests Node's HTTP parser refuses before Fastify sees them (a 100 kB query string, headers past
 * the limit, a request that never finishes arriving): a problem+json like every other refusal,
 * written to the socket, in Chinese since no header could be read. Given as `clientErrorHandler`.
 */
export function clientErrors(publicBaseUrl: string) {
  return (err: NodeJS.ErrnoException, socket: Duplex): void => answerClientError(publicBaseUrl, err, socket);
}

function answerClientError(publicBaseUrl: string, err: NodeJS.ErrnoException, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const code: ErrorCode = err.code === 'HPE_HEADER_OVERFLOW' ? 'HEADERS_TOO_LARGE' : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 'REQUEST_TIMEOUT' : 'VALIDATION_FAILED';
  const { status } = ERRORS[code];
  // Open311 clients read errors in the spec's own form: the request line says whether this was one.
  const requestLine = /^[A-Z]+ (\/\S*)/.exec((err as { rawPacket?: Buffer }).rawPacket?.toString('latin1', 0, 2048) ?? '')?.[1] ?? '';
  const open311 = requestLine.startsWith('/open311/');
  const errors = [{ code: status, description: errorMessage(code, 'en') }];
  const xml = open311 && requestLine.split('?')[0]!.endsWith('.xml');
  const [type, body] = open311
    ? xml
      ? ['text/xml', toXml('errors', 'error', errors)]
      : ['application/json', JSON.stringify(errors)]
    : ['application/problem+json', JSON.stringify({ type: problemType(publicBaseUrl, code), title: problemTitle(code, 'zh-CN'), status, code, detail: errorMessage(code, 'zh-CN') })];
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nContent-Type: ${type}; charset=utf-8\r\n` +
        (open311 ? '' : 'Content-Language: zh-CN\r\n') +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(err);
}

/** Maps Fastify's own 4xx errors to our codes. */
function codeForFrameworkError(err: FastifyError): ErrorCode | undefined {
  switch (err.statusCode) {
    case 400:
      return 'VALIDATION_FAILED';
    case 401:
      return 'UNAUTHENTICATED';
    case 404:
      return 'NOT_FOUND';
    case 413:
      return 'PAYLOAD_TOO_LARGE';
    case 415:
      return 'UNSUPPORTED_MEDIA_TYPE';
    case 429:
      return 'RATE_LIMITED';
    default:
      return undefined;
  }
}

/**
 * One error handler for the whole API: domain errors and bad input become problem+json with a stable
 * code and a message in the caller's language; anything unexpected is logged with the request and
 * answered with a 500 that reveals nothing.
 */
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

export interface ErrorsOptions {
  publicBaseUrl: string;
}

export default fp<ErrorsOptions>(
  async (fastify, { publicBaseUrl }) => {
    // Every route's path, to tell a path that does not take a method (405) from one that does not exist (404).
    const paths = FindMyWay();
    fastify.addHook('onRoute', (route) => {
      if (route.url.includes('*')) return; // the web app's catch-all names no path
      for (const method of [route.method].flat().map((m) => m.toUpperCase() as HTTPMethod)) {
        if (!paths.hasRoute(method, route.url)) paths.on(method, route.url, () => undefined);
      }
    });
    fastify.decorate('allowedMethods', (url: string) => {
      const path = url.split('?')[0]!;
      return METHODS.filter((method) => paths.find(method, path) !== null);
    });

    fastify.decorateRequest('locale', 'zh-CN');
    fastify.addHook('onRequest', (request, _reply, done) => {
      request.locale = localeOf(request.headers['accept-language']);
      done();
    });

    fastify.setErrorHandler((err: FastifyError | DomainError, request, reply) => {
      const locale = request.locale;
      if (err instanceof DomainError) {
        const retryAfter = err.params.retryAfterSeconds;
        if (retryAfter !== undefined) reply.header('retry-after', String(retryAfter));
        const fields = err.fields.map((f) => ({ field: f.field, message: locale === 'en' ? f.en : f.zh }));
        const existingId = typeof err.params.existingId === 'string' ? err.params.existingId : undefined;
        return send(reply, problem(publicBaseUrl, request, err.code, errorMessage(err.code, locale, err.params), fields, existingId));
      }
      if (err.validation) {
        const fields = fieldProblems(err.validation as AjvIssue[], locale);
        return send(reply, problem(publicBaseUrl, request, 'VALIDATION_FAILED', errorMessage('VALIDATION_FAILED', locale), fields));
      }
      const code = codeForFrameworkError(err);
      if (code) {
        request.log.info({ err: { code: err.code, message: err.message } }, 'request refused');
        return send(reply, problem(publicBaseUrl, request, code, errorMessage(code, locale)));
      }
      if (isDatabaseUnavailable(err)) {
        // The database is away for now (restart, terminated session, no connection in time): try again soon.
        request.log.warn({ err }, 'database unavailable');
        reply.header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
        return send(reply, problem(publicBaseUrl, request, 'UNAVAILABLE', errorMessage('UNAVAILABLE', locale)));
      }
      request.log.error({ err }, 'unhandled error');
      return send(reply, problem(publicBaseUrl, request, 'INTERNAL', errorMessage('INTERNAL', locale)));
    });

    fastify.setNotFoundHandler((request, reply) => {
      const allow = fastify.allowedMethods(request.url);
      if (allow.length > 0) {
        reply.header('allow', allow.join(', '));
        const detail = errorMessage('METHOD_NOT_ALLOWED', request.locale, { method: request.method, allow: allow.join(', ') });
        return send(reply, problem(publicBaseUrl, request, 'METHOD_NOT_ALLOWED', detail));
      }
      return send(reply, problem(publicBaseUrl, request, 'ROUTE_NOT_FOUND', errorMessage('ROUTE_NOT_FOUND', request.locale)));
    });
  },
  { name: 'errors' },
);
