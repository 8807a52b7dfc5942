import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseEnv } from 'node:util';
import envSchema from 'env-schema';
import { Type, type Static } from 'typebox';
import { POSTGRES_DEFAULTS } from '@sports/db';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

/** Every setting the server reads, validated at boot. `.env.example` documents each one. */
const ConfigSchema = Type.Object({
  NODE_ENV: Type.Union([Type.Literal('development'), Type.Literal('production'), Type.Literal('test')], {
    default: 'development',
  }),
  HOST: Type.String({ default: '0.0.0.0' }),
  PORT: Type.Integer({ minimum: 1, maximum: 65535, default: 3000 }),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
    { default: 'info' },
  ),
  /** `json` (pino, one object a line) or `pretty` (one readable line); unset: pretty in development, JSON otherwise. */
  LOG_FORMAT: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('pretty')])),
  /** PostgreSQL connection string; unset means the embedded PGlite database in DATA_DIR. */
  DATABASE_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
  /** PostgreSQL: longest wait for a connection (a new one, or a free one of the pool) before answering 503; 0 waits forever. */
  DB_CONNECT_TIMEOUT_MS: Type.Integer({ minimum: 0, default: POSTGRES_DEFAULTS.connectTimeoutMs }),
  /** PostgreSQL: `statement_timeout` of the app's sessions (a statement cut off is answered 503); 0 = none. */
  DB_STATEMENT_TIMEOUT_MS: Type.Integer({ minimum: 0, default: POSTGRES_DEFAULTS.statementTimeoutMs }),
  /** PostgreSQL: `idle_in_transaction_session_timeout`: a transaction left open this long loses its session; 0 = none. */
  DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: Type.Integer({ minimum: 0, default: POSTGRES_DEFAULTS.idleInTransactionTimeoutMs }),
  /** PostgreSQL: TCP keepalive on the app's connections, first probe after this long idle (finds dead peers); 0 = off. */
  DB_KEEPALIVE_MS: Type.Integer({ minimum: 0, default: POSTGRES_DEFAULTS.keepAliveMs }),
  DATA_DIR: Type.String({ default: path.join(repoRoot, 'data') }),
  /** Load the demo data when the embedded database is created. */
  SEED_DEMO_DATA: Type.Boolean({ default: true }),
  /** HMAC secret for access tokens; required in production, random per process otherwise. */
  JWT_SECRET: Type.Optional(Type.String({ minLength: 32 })),
  /**
   * 32 bytes as 64 hex characters: encrypts ID numbers and names (AES-256-GCM) and keys their hashes.
   * Required in production; elsewhere one is made once and kept in DATA_DIR/identity.key.
   */
  IDENTITY_KEY: Type.Optional(Type.String({ pattern: '^[0-9a-fA-F]{64}$' })),
  ACCESS_TOKEN_TTL_SECONDS: Type.Integer({ minimum: 60, maximum: 3600, default: 900 }),
  REFRESH_TOKEN_TTL_DAYS: Type.Integer({ minimum: 1, maximum: 90, default: 30 }),
  /** Send the refresh cookie over HTTPS only. Defaults to true in production. */
  COOKIE_SECURE: Type.Optional(Type.Boolean()),
  /** Failed sign-ins allowed per phone number, and per client address, within the window. */
  LOGIN_MAX_FAILURES_PER_PHONE: Type.Integer({ minimum: 1, default: 5 }),
  LOGIN_MAX_FAILURES_PER_IP: Type.Integer({ minimum: 1, default: 100 }),
  LOGIN_FAILURE_WINDOW_MINUTES: Type.Integer({ minimum: 1, default: 15 }),
  /** Requests per minute per client address across the API. */
  RATE_LIMIT_PER_MINUTE: Type.Integer({ minimum: 1, default: 1200 }),
  /**
   * Redis for state shared by several instances (the request rate limit's counters); unset keeps it
   * in-process, as one instance needs. While Redis is unreachable the rate limit fails open (logged).
   */
  REDIS_URL: Type.Optional(Type.String({ pattern: '^rediss?://' })),
  /** Prefix of every Redis key this deployment writes. */
  REDIS_KEY_PREFIX: Type.String({ default: 'sports:' }),
  /** Trust X-Forwarded-For from this many proxies in front of the server (0: none). */
  TRUST_PROXY_HOPS: Type.Integer({ minimum: 0, default: 0 }),
  /** Largest accepted upload (a photo), in bytes. */
  UPLOAD_MAX_BYTES: Type.Integer({ minimum: 100_000, maximum: 50_000_000, default: 10_000_000 }),
  /** Minutes between background sweeps (open-interval upkeep); 0 turns them off. */
  SWEEP_INTERVAL_MINUTES: Type.Integer({ minimum: 0, default: 60 }),
  /** Seconds between booking sweeps (no-shows, reminders, completion); 0 turns them off. */
  BOOKING_SWEEP_SECONDS: Type.Integer({ minimum: 0, default: 60 }),
  /** Who sends text messages from the outbox: `log` writes them to the log (phone masked); `http` posts JSON to SMS_HTTP_URL. */
  SMS_SENDER: Type.Union([Type.Literal('log'), Type.Literal('http')], { default: 'log' }),
  /** With SMS_SENDER=http: where each message is posted as `{ id, to, text, kind }` (2xx = taken; anything else is retried). */
  SMS_HTTP_URL: Type.Optional(Type.String({ pattern: '^https?://' })),
  /** How long a computed availability answer may be served again (dropped at once by any write here); 0 turns it off. */
  AVAILABILITY_CACHE_MS: Type.Integer({ minimum: 0, maximum: 10_000, default: 1000 }),
  /** Minutes between log lines of the in-process caches' sizes and hit rates (also written at close); 0 = only at close. */
  CACHE_STATS_MINUTES: Type.Integer({ minimum: 0, default: 15 }),
  /** Map tiles, `{z}/{x}/{y}` (and optional `{s}`) placeholders, in the coordinate system MAP_TILE_CRS. */
  MAP_TILE_URL: Type.String({ default: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png' }),
  /** wgs84 for OpenStreetMap-style tiles; gcj02 for Chinese providers (positions converted when drawn). */
  MAP_TILE_CRS: Type.Union([Type.Literal('wgs84'), Type.Literal('gcj02')], { default: 'wgs84' }),
  MAP_TILE_ATTRIBUTION: Type.String({ default: '© OpenStreetMap contributors' }),
  /**
   * Browser journeys only: the server's clock starts at this instant and runs on from there, so a
   * journey can book a court and check in at the gate without waiting. Refused in production.
   */
  TEST_CLOCK: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2})?(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$' })),
  /**
   * Where residents reach this site, as printed on equipment labels: each QR code encodes
   * `<PUBLIC_BASE_URL>/r/<code>`. Scheme and host, optionally a path; no query or fragment.
   */
  PUBLIC_BASE_URL: Type.String({ default: 'http://localhost:3000', pattern: '^https?://[^/?#\\s]+(/[^?#\\s]*)?$' }),
  /**
   * Right-hand side of every iCalendar UID (`<booking id>@<domain>`, RFC 5545 §3.8.4.7). Unset: the
   * host of PUBLIC_BASE_URL. Keep it once calendars subscribe: a new domain makes every event new.
   */
  CALENDAR_UID_DOMAIN: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$' })),
  /** The built web app; served with deep links when the folder exists. */
  WEB_DIST: Type.String({ default: path.join(repoRoot, 'apps/web/dist') }),
});

export type RawConfig = Static<typeof ConfigSchema>;

export interface Config extends Omit<RawConfig, 'JWT_SECRET' | 'COOKIE_SECURE' | 'CALENDAR_UID_DOMAIN'> {
  JWT_SECRET: string;
  CALENDAR_UID_DOMAIN: string;
  COOKIE_SECURE: boolean;
}

/** Settings whose value is never repeated in an error message (secrets, URLs that may carry a password). */
const SECRET_SETTINGS = new Set(['JWT_SECRET', 'IDENTITY_KEY', 'DATABASE_URL', 'REDIS_URL', 'SMS_HTTP_URL']);

/**
 * A source of settings without its empty values: `DATABASE_URL=` (a `.env` line left blank, an
 * exported empty variable) means "not set", so the default (or a value from a lower source) applies.
 * Blank values would otherwise be coerced (`PORT=` to 0, `SEED_DEMO_DATA=` to false) or refused.
 */
function withoutEmptyValues(source: Record<string, string | undefined>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [key, value] of Object.entries(source)) if (value !== undefined && value.trim() !== '') kept[key] = value;
  return kept;
}

/** The `.env` file of the working folder, if there is one. */
function readDotenv(): Record<string, string | undefined> {
  try {
    return parseEnv(readFileSync(path.resolve('.env'), 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw err;
  }
}

interface SettingError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

/** One line per wrong setting: its name, what was given (unless secret) and what it must be. */
function describeErrors(errors: SettingError[], given: Record<string, string>): string {
  const byKey = new Map<string, SettingError[]>();
  for (const e of errors) {
    const key = e.instancePath.replace(/^\//, '').split('/')[0] || String(e.params.missingProperty ?? '?');
    byKey.set(key, [...(byKey.get(key) ?? []), e]);
  }
  const lines = [...byKey].map(([key, errs]) => {
    const allowed = errs.filter((e) => e.keyword === 'const').map((e) => String(e.params.allowedValue));
    const rule = allowed.length
      ? `must be one of ${allowed.join(', ')}`
      : [...new Set(errs.filter((e) => e.keyword !== 'anyOf').map((e) => e.message ?? e.keyword))].join(', ');
    const value = given[key] === undefined ? '' : SECRET_SETTINGS.has(key) ? ' (value not shown)' : ` (got ${JSON.stringify(given[key])})`;
    return `${key}${value} ${rule}`;
  });
  return `Invalid settings (see .env.example; an empty value means unset):\n  ${lines.join('\n  ')}`;
}

/**
 * Reads and validates configuration; throws with every problem named when something is wrong.
 * Sources, later ones winning: `.env` (when `dotenv`), `process.env`, then `env`. An empty value
 * counts as unset in each of them.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, dotenv = true): Config {
  const merged = {
    ...(dotenv ? withoutEmptyValues(readDotenv()) : {}),
    ...withoutEmptyValues(process.env),
    ...withoutEmptyValues(env),
  };
  let raw: RawConfig;
  try {
    raw = envSchema<RawConfig>({ schema: ConfigSchema, data: { ...merged }, env: false, dotenv: false });
  } catch (err) {
    const errors = (err as { errors?: SettingError[] }).errors;
    if (!errors) throw err;
    throw new Error(describeErrors(errors, merged), { cause: err });
  }
  const production = raw.NODE_ENV === 'production';
  if (production && !raw.JWT_SECRET) throw new Error('JWT_SECRET must be set in production (at least 32 characters)');
  if (production && !raw.IDENTITY_KEY) throw new Error('IDENTITY_KEY must be set in production (64 hex characters; `openssl rand -hex 32`)');
  if (raw.SMS_SENDER === 'http' && !raw.SMS_HTTP_URL) throw new Error('SMS_SENDER=http needs SMS_HTTP_URL');
  if (production && raw.TEST_CLOCK) throw new Error('TEST_CLOCK is for browser journeys and is refused in production');
  return {
    ...raw,
    DATA_DIR: path.resolve(raw.DATA_DIR),
    PUBLIC_BASE_URL: raw.PUBLIC_BASE_URL.replace(/\/+$/, ''),
    CALENDAR_UID_DOMAIN: raw.CALENDAR_UID_DOMAIN ?? new URL(raw.PUBLIC_BASE_URL).hostname,
    JWT_SECRET: raw.JWT_SECRET ?? randomBytes(32).toString('hex'),
    COOKIE_SECURE: raw.COOKIE_SECURE ?? production,
  };
}
