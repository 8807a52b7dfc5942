import fp from 'fastify-plugin';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ERRORS, errorMessage, type ErrorCode, type Locale, type Problem } from '@sports/contracts';
import { DomainError } from '../../services/errors.ts';

interface FieldMessage {
  field: string;
  message: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The caller's language, from Accept-Language: English when asked for, Chinese otherwise. */
    locale: Locale;
  }
}

export function localeOf(acceptLanguage: string | undefined): Locale {
  return acceptLanguage?.trim().toLowerCase().startsWith('en') ? 'en' : 'zh-CN';
}

interface AjvIssue {
  keyword: string;
  instancePath: string;
  message?: string;
  params: Record<string, unknown>;
}

const FIELD_MESSAGES: Record<string, { zh: (p: Record<string, unknown>) => string; en: (p: Record<string, unknown>) => string }> = {
  required: { zh: () => '必填', en: () => 'is required' },
  pattern: { zh: () => '格式不正确', en: () => 'has the wrong format' },
  format: { zh: (p) => `格式不正确（应为 ${String(p.format)}）`, en: (p) => `must be a valid ${String(p.format)}` },
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

function problem(request: FastifyRequest, code: ErrorCode, detail: string, fields?: FieldMessage[], existingId?: string): Problem {
  const status = ERRORS[code].status;
  return {
    type: `urn:sports-platform:problem:${code}`,
    title: code,
    status,
    code,
    detail,
    instance: request.url.split('?')[0]!,
    requestId: request.id,
    ...(fields && fields.length > 0 ? { errors: fields } : {}),
    ...(existingId ? { existingId } : {}),
  };
}

function send(reply: FastifyReply, body: Problem): FastifyReply {
  return reply.status(body.status).type('application/problem+json').send(body);
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
export default fp(
  async (fastify) => {
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
        return send(reply, problem(request, err.code, errorMessage(err.code, locale, err.params), fields, existingId));
      }
      if (err.validation) {
        const fields = fieldProblems(err.validation as AjvIssue[], locale);
        return send(reply, problem(request, 'VALIDATION_FAILED', errorMessage('VALIDATION_FAILED', locale), fields));
      }
      const code = codeForFrameworkError(err);
      if (code) {
        request.log.info({ err: { code: err.code, message: err.message } }, 'request refused');
        return send(reply, problem(request, code, errorMessage(code, locale)));
      }
      request.log.error({ err }, 'unhandled error');
      return send(reply, problem(request, 'INTERNAL', errorMessage('INTERNAL', locale)));
    });

    fastify.setNotFoundHandler((request, reply) =>
      send(reply, problem(request, 'ROUTE_NOT_FOUND', errorMessage('ROUTE_NOT_FOUND', request.locale))),
    );
  },
  { name: 'errors' },
);
