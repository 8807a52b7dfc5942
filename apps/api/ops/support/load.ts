import { randomUUID } from 'node:crypto';

/** One answer the load saw. `status` 0 means no HTTP answer at all (connection refused or reset). */
export interface Answer {
  /** When the request was sent, and when its answer had arrived (ms since the epoch). */
  at: number;
  done: number;
  what: 'book' | 'cancel' | 'readyz';
  status: number;
  /** Whether the body was application/problem+json with the same status. */
  problem: boolean;
  /** The problem's code. */
  code?: string | undefined;
  retryAfter?: string | undefined;
  error?: string | undefined;
}

export interface HttpResult extends Answer {
  body: unknown;
}

/** One request with a deadline; never throws (a failed connection is status 0). */
export async function call(
  url: string,
  what: Answer['what'],
  init: { method?: string; headers?: Record<string, string>; body?: unknown; timeoutMs?: number } = {},
): Promise<HttpResult> {
  const at = Date.now();
  try {
    const res = await fetch(url, {
      method: init.method ?? 'GET',
      headers: { ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}), ...init.headers },
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
      signal: AbortSignal.timeout(init.timeoutMs ?? 30_000),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: kept as text
    }
    const type = res.headers.get('content-type') ?? '';
    const b = body as { status?: unknown; code?: unknown } | undefined;
    const problem = type.startsWith('application/problem+json') && b?.status === res.status && typeof b?.code === 'string';
    return {
      at,
      done: Date.now(),
      what,
      status: res.status,
      problem,
      code: res.status >= 400 && typeof b?.code === 'string' ? b.code : undefined,
      retryAfter: res.headers.get('retry-after') ?? undefined,
      body,
    };
  } catch (err) {
    return { at, done: Date.now(), what, status: 0, problem: false, error: (err as Error).cause ? String((err as Error).cause) : String(err), body: undefined };
  }
}

/** Signs residents in through the API, a few at a time (hashing is slow on purpose). */
export async function signIn(baseUrl: string, phones: string[], password: string, parallel = 4): Promise<Map<string, string>> {
  const tokens = new Map<string, string>();
  const queue = [...phones];
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      for (let phone = queue.shift(); phone; phone = queue.shift()) {
        const res = await call(`${baseUrl}/api/v1/auth/login`, 'book', { method: 'POST', body: { phone, password } });
        if (res.status !== 200) throw new Error(`sign-in of ${phone} failed: ${res.status} ${res.error ?? JSON.stringify(res.body)}`);
        tokens.set(phone, `Bearer ${(res.body as { accessToken: string }).accessToken}`);
      }
    }),
  );
  return tokens;
}

export interface Booked {
  id: string;
  resourceId: string;
  start: string;
  /** 'cancelled' when a cancel was answered 200; 'unknown' when a cancel failed (it may or may not have happened). */
  cancel?: 'cancelled' | 'unknown';
}

export interface BookingLoad {
  answers: Answer[];
  booked: Booked[];
  /** Whether every slot was asked for before stop() (the load ran dry: give it more slots). */
  exhausted(): boolean;
  /** Stops issuing requests and waits for the ones in flight. */
  stop(): Promise<void>;
}

/**
 * Residents book different slots as fast as their answers come back, one request in flight each,
 * and every `cancelEvery`-th booking cancels the one before it (a transaction, unlike the booking's
 * single statement). Runs until stop(); never two requests for one slot, so a refusal is never
 * about a taken slot unless an earlier answer was lost.
 */
export function startBookingLoad(
  baseUrl: string,
  tokens: string[],
  slots: { resourceId: string; start: string; end: string }[],
  options: { cancelEvery?: number } = {},
): BookingLoad {
  const cancelEvery = options.cancelEvery ?? 5;
  const answers: Answer[] = [];
  const booked: Booked[] = [];
  let next = 0;
  let stopped = false;
  const record = (result: HttpResult): HttpResult => {
    const { body: _body, ...answer } = result;
    answers.push(answer);
    return result;
  };
  const workers = tokens.map(async (token) => {
    let mine: Booked[] = [];
    while (!stopped && next < slots.length) {
      const slot = slots[next++]!;
      const res = record(
        await call(`${baseUrl}/api/v1/reservations`, 'book', {
          method: 'POST',
          headers: { authorization: token, 'idempotency-key': randomUUID() },
          body: slot,
        }),
      );
      if (res.status === 0) await new Promise((resolve) => setTimeout(resolve, 50));
      if (res.status !== 201) continue;
      const entry: Booked = { id: (res.body as { id: string }).id, resourceId: slot.resourceId, start: slot.start };
      booked.push(entry);
      mine.push(entry);
      if (mine.length % cancelEvery === 0 && !stopped) {
        const victim = mine.at(-2)!;
        const cancel = record(
          await call(`${baseUrl}/api/v1/reservations/${victim.id}/cancel`, 'cancel', { method: 'POST', headers: { authorization: token }, body: {} }),
        );
        victim.cancel = cancel.status === 200 ? 'cancelled' : 'unknown';
        mine = mine.slice(-1);
      }
    }
  });
  return {
    answers,
    booked,
    exhausted: () => next >= slots.length,
    async stop() {
      stopped = true;
      await Promise.all(workers);
    },
  };
}

/** Polls /readyz every `everyMs` until stopped. */
export function watchReadiness(baseUrl: string, everyMs = 100): { answers: Answer[]; stop(): Promise<void> } {
  const answers: Answer[] = [];
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const { body: _body, ...answer } = await call(`${baseUrl}/readyz`, 'readyz', { timeoutMs: 10_000 });
      answers.push(answer);
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return {
    answers,
    async stop() {
      stopped = true;
      await loop;
    },
  };
}

/** Answers counted by `what status[ code]`, for printing. */
export function tally(answers: Answer[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const a of answers) {
    const key = `${a.what} ${a.status}${a.code ? ' ' + a.code : ''}${a.status >= 400 && !a.problem ? ' (not problem+json)' : ''}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(counts).sort());
}
