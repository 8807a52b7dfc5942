/** SQLSTATE of a database error, whether the driver threw it directly or Drizzle wrapped it. */
export function sqlState(err: unknown): string | undefined {
  for (let e: unknown = err; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

/** Name of the constraint a database error names, if any. */
export function violatedConstraint(err: unknown): string | undefined {
  for (let e: unknown = err; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    const name = (e as { constraint?: unknown }).constraint;
    if (typeof name === 'string') return name;
  }
  return undefined;
}

export const UNIQUE_VIOLATION = '23505';
export const EXCLUSION_VIOLATION = '23P01';

export const DEADLOCK_DETECTED = '40P01';
export const SERIALIZATION_FAILURE = '40001';

/**
 * Runs `work` again when PostgreSQL aborted it to break a deadlock or a serialisation conflict,
 * which concurrent inserts under an exclusion constraint can provoke: each waits for the other's
 * conflicting row. The retry sees the winner's committed row and fails cleanly instead.
 */
export async function retryOnConflict<T>(work: () => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      const state = sqlState(err);
      if (attempt >= attempts || (state !== DEADLOCK_DETECTED && state !== SERIALIZATION_FAILURE)) throw err;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
    }
  }
}

/**
 * Node's codes for a connection that could not be made or broke: the database is away, not wrong.
 * (`pg` passes the socket's error through, so these appear on the error or its cause.)
 */
const CONNECTION_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/** What `pg` and its pool say when a connection broke, timed out, or could not be had. */
const CONNECTION_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'is not queryable',
  'Query read timeout',
];

/**
 * Whether an error means the database is unreachable or went away for now — a terminated session, a
 * restart, a reset connection, no connection to be had in time, a statement cut off by the
 * statement timeout — rather than a fault of the request or of the code. Such a request is answered
 * 503 and may be tried again. Looks through Drizzle's wrapping (`cause`).
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 10; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === 'string') {
      if (CONNECTION_ERRNOS.has(code)) return true;
      // 08: connection exception; 57P01–57P03: admin shutdown, crash shutdown, cannot connect now;
      // 57014: statement timeout (or a cancel); 53300: too many connections;
      // 25P03: idle-in-transaction timeout.
      if (/^08[0-9A-Z]{3}$/.test(code) || ['57P01', '57P02', '57P03', '57014', '53300', '25P03'].includes(code)) return true;
    }
    if (typeof message === 'string' && CONNECTION_MESSAGES.some((m) => message.includes(m))) return true;
  }
  return false;
}
