import type { FastifyRequest } from 'fastify';

/**
 * What never reaches a log line: phone numbers, ID numbers, password hashes, tokens, the calendar
 * feed's secret, and the parameters of a failed query (which carry all of those). The logger's
 * serializers for `req` and `err` pass everything through here.
 */
export const REDACTED = '[redacted]';

/** Query parameters whose value is a secret or personal data, by name. */
const SECRET_QUERY_PARAM = /(phone|token|secret|key|password|passwd|id_?number|signature|code_verifier)/i;

/** Path segments that are secrets: the calendar feed's key. */
const SECRET_PATHS: readonly RegExp[] = [/(\/calendar\/)[^/?#]+?(\.ics)?(?=$|[?#])/];

/** Values that look like secrets or personal data, wherever they turn up. */
const SECRET_VALUES: readonly [RegExp, string][] = [
  // argon2 hashes (the whole PHC string).
  [/\$argon2(?:id|i|d)\$[^\s,"')\]}]*/g, REDACTED],
  // JWTs: three base64url parts, the first a JSON header.
  [/eyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]*/g, REDACTED],
  // GB 11643 ID numbers: 17 digits and a check character.
  [/(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])/g, REDACTED],
  // V8 quotes the start of a body it cannot parse: `Unexpected token 'x', "{"password":…" is not valid JSON`.
  [/(?:\.\.\.)?"[^\n]*"(?:\.\.\.)? is not valid JSON/g, `${REDACTED} is not valid JSON`],
  // Mainland mobile numbers, kept recognisable as 138****1234.
  [/(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)/g, '$1****$2'],
];

/** Scrubs secret-looking values out of free text (an error message, a stack, a URL). */
export function scrubText(text: string): string {
  let out = text;
  for (const [pattern, replacement] of SECRET_VALUES) out = out.replace(pattern, replacement);
  return out;
}

/** A request URL as it may be logged: secret query values and path segments replaced. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  let path = q === -1 ? url : url.slice(0, q);
  for (const pattern of SECRET_PATHS) path = path.replace(pattern, (_m, prefix: string, ext?: string) => `${prefix}${REDACTED}${ext ?? ''}`);
  if (q === -1) return scrubText(path);
  const query = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq === -1) return pair;
      let name = pair.slice(0, eq);
      try {
        name = decodeURIComponent(name);
      } catch {
        // Not decodable: judged as it stands.
      }
      return SECRET_QUERY_PARAM.test(name) ? `${pair.slice(0, eq)}=${REDACTED}` : pair;
    })
    .join('&');
  return scrubText(`${path}?${query}`);
}

/** The request as Fastify logs it by default, with the URL redacted. */
export function serializeRequest(request: FastifyRequest): Record<string, unknown> {
  return {
    method: request.method,
    url: redactUrl(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}

/** Properties of database errors that carry values: the statement's parameters, the row in the way. */
const VALUE_FIELDS = new Set(['params', 'parameters', 'detail', 'where', 'internalQuery', 'values', 'queryOptions']);

/** Drizzle's message is "Failed query: <sql>\nparams: <values>"; the values go. */
function withoutParams(text: string): string {
  return text.replace(/\nparams:[^\n]*/g, `\nparams: ${REDACTED}`);
}

/**
 * An error as it may be logged: type, message and stack with query parameters and secret-looking
 * values removed; a database error's own fields only where they carry no values (code, severity,
 * routine…); its cause likewise.
 */
export function serializeError(err: unknown, depth = 0): unknown {
  if (err === null || typeof err !== 'object') return typeof err === 'string' ? scrubText(err) : err;
  const source = err as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  if (err instanceof Error) out.type = err.constructor?.name ?? 'Error';
  for (const key of new Set([...Object.keys(source), 'message', 'stack'])) {
    const value = source[key];
    if (value === undefined || key === 'cause') continue;
    if (VALUE_FIELDS.has(key)) {
      out[key] = REDACTED;
      continue;
    }
    if (typeof value === 'string') out[key] = scrubText(withoutParams(value));
    else if (typeof value === 'number' || typeof value === 'boolean') out[key] = value;
    else if (depth < 3) out[key] = serializeError(value, depth + 1);
  }
  const cause = source.cause;
  if (cause !== undefined && depth < 3) out.cause = serializeError(cause, depth + 1);
  return out;
}

/** The logger's `err` serializer: serializeError, shaped as pino expects. */
export function serializeLoggedError(err: unknown): { type: string; message: string; stack: string; [key: string]: unknown } {
  const out = serializeError(err);
  if (out === null || typeof out !== 'object') return { type: typeof err, message: String(out), stack: '' };
  // pino's shape names type, message and stack; a plain object logged as `err` keeps only what it has.
  return out as { type: string; message: string; stack: string; [key: string]: unknown };
}
