import { promisify } from 'node:util';
import { gzip as gzipCallback, constants as zlib } from 'node:zlib';
import fp from 'fastify-plugin';
import { namedCache, type NamedCache } from '../../services/shared/caches.ts';

const gzip = promisify(gzipCallback);

declare module 'fastify' {
  interface FastifyInstance {
    /** Recently computed public answers (availability), dropped by any write. */
    answerCache: AnswerCache;
  }
}

/** A remembered answer: its JSON, and the same gzip-compressed once a client has asked for that. */
export interface Answer {
  body: Buffer;
  /** Compressed on first demand, once per answer however many ask at once. */
  gzipped(): Promise<Buffer>;
}

interface Entry {
  answer: Answer;
  generation: number;
  /** Instants of the app's clock between which the answer holds. */
  from: number;
  until: number;
}

interface Pending {
  generation: number;
  from: number;
  result: Promise<{ answer: Answer; until: number }>;
}

function answerOf(body: Buffer): Answer {
  let compressed: Promise<Buffer> | undefined;
  return {
    body,
    // zlib's default level: a 20-court week (~200 kB) becomes ~5 kB in ~1.5 ms, paid once per answer
    // (level 1 takes a quarter of the time but leaves 2.5× the bytes for every resident who asks).
    gzipped: () => (compressed ??= gzip(body, { level: zlib.Z_DEFAULT_COMPRESSION })),
  };
}

/**
 * A few hundred milliseconds of memory for answers that thousands of residents ask at once (a
 * popular venue's grid at release time). An answer is served again only while: no write has
 * succeeded on this instance since it began to be computed (every non-GET 2xx/3xx bumps the
 * generation), the clock has not reached the next instant at which the answer changes by time alone
 * (a slot starting, a day's release), and at most `ttlMs` has passed — which bounds what another
 * instance's write can leave stale. Requests that miss while the same answer is being computed wait
 * for that computation instead of starting their own (unless a write came in between), so a crowd
 * arriving as an answer expires costs one computation, not one each. The database stays the guard:
 * a slot shown free that was just taken is refused with SLOT_TAKEN when booked.
 *
 * The answers are kept in the named cache `answers` (at most `limit`, least recently used first); its
 * TTL is not lru-cache's: an answer's end is an instant of the app's clock (which tests fix) and a
 * write ends every answer at once, so each entry carries its own window and generation.
 */
export class AnswerCache {
  #entries: NamedCache<string, Entry>;
  /** Computations under way: plain data, one per key for as long as it runs. */
  #pending = new Map<string, Pending>();
  #generation = 0;
  constructor(
    readonly ttlMs: number,
    readonly limit = 1000,
  ) {
    this.#entries = namedCache<string, Entry>('answers', { max: limit });
  }

  invalidate(): void {
    this.#generation++;
  }

  get(key: string, now: number): Answer | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.generation !== this.#generation || now < entry.from || now >= entry.until) {
      this.#entries.unusable();
      this.#entries.delete(key);
      return undefined;
    }
    return entry.answer;
  }

  /**
   * The remembered answer for `key`, or the one being computed for it, or a new one from `compute`
   * (the JSON and the instant it changes by time alone), remembered until then or the TTL.
   */
  async remember(key: string, now: number, compute: () => Promise<{ body: Buffer; changesAt: number }>): Promise<Answer> {
    const known = this.get(key, now);
    if (known) return known;
    if (this.ttlMs <= 0) return answerOf((await compute()).body);
    const pending = this.#pending.get(key);
    if (pending && pending.generation === this.#generation && now >= pending.from) {
      const { answer, until } = await pending.result;
      if (now < until) return answer;
    }
    // The generation when the reads begin: a write that lands while they run makes the answer stale.
    const generation = this.#generation;
    const result = compute().then(({ body, changesAt }) => {
      const answer = answerOf(body);
      const until = Math.min(now + this.ttlMs, changesAt);
      this.#entries.set(key, { answer, generation, from: now, until });
      return { answer, until };
    });
    const mine = { generation, from: now, result };
    this.#pending.set(key, mine);
    const forget = () => {
      if (this.#pending.get(key) === mine) this.#pending.delete(key);
    };
    result.then(forget, forget);
    return (await result).answer;
  }
}

/** Whether an Accept-Encoding header admits gzip: named without `q=0`, or else through `*` without `q=0`. */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  let any = false;
  for (const part of header.split(',')) {
    const [name = '', ...params] = part.split(';').map((p) => p.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    const admitted = q === undefined || Number(q.slice(2)) > 0;
    if (name === 'gzip') return admitted;
    if (name === '*') any = admitted;
  }
  return any;
}

export interface AnswerCachePluginOptions {
  ttlMs: number;
}

export default fp<AnswerCachePluginOptions>(
  async (fastify, opts) => {
    const cache = new AnswerCache(opts.ttlMs);
    fastify.decorate('answerCache', cache);
    fastify.addHook('onResponse', (request, reply, done) => {
      if (request.method !== 'GET' && request.method !== 'HEAD' && reply.statusCode < 400) cache.invalidate();
      done();
    });
  },
  { name: 'answer-cache' },
);
