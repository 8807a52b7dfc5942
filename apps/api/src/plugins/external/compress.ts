import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress as brotliCallback, gzip as gzipCallback, constants as zlib } from 'node:zlib';
import fastifyCompress from '@fastify/compress';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { namedCache, type NamedCache } from '../../services/shared/caches.ts';

const brotli = promisify(brotliCallback);
const gzip = promisify(gzipCallback);

/** Answers smaller than this go out as they are: on the booking path compressing costs more than it saves. */
export const COMPRESS_THRESHOLD = 1024;

/** Brotli quality 4 (what @fastify/compress recommends): 11 takes seconds on the 2.4 MB city map. */
const BROTLI_QUALITY = 4;

export type Coding = 'br' | 'gzip';

/**
 * The content coding to answer with for an Accept-Encoding header (RFC 9110 §12.5.3): the admitted
 * coding with the highest q-value, brotli before gzip at equal q, `*` admitting both; none for a
 * missing header or one that admits neither.
 */
export function negotiateCoding(header: string | undefined): Coding | undefined {
  if (!header) return undefined;
  const q: Record<string, number> = {};
  for (const part of header.split(',')) {
    const [name = '', ...params] = part.split(';').map((p) => p.trim().toLowerCase());
    if (!name) continue;
    const given = params.find((p) => p.startsWith('q='));
    const value = given === undefined ? 1 : Number(given.slice(2));
    q[name] = Number.isFinite(value) ? value : 0;
  }
  const of = (name: Coding) => q[name] ?? q['*'] ?? 0;
  const br = of('br');
  const gz = q['gzip'] ?? q['x-gzip'] ?? q['*'] ?? 0;
  if (br <= 0 && gz <= 0) return undefined;
  return br >= gz ? 'br' : 'gzip';
}

export function compressWith(coding: Coding, body: Buffer): Promise<Buffer> {
  return coding === 'br'
    ? brotli(body, { params: { [zlib.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY, [zlib.BROTLI_PARAM_SIZE_HINT]: body.length } })
    : gzip(body, { level: zlib.Z_DEFAULT_COMPRESSION });
}

/** An opaque tag of a body's bytes: its SHA-1, base64url (not a secret; only equality matters). */
export function bodyTag(body: Buffer): string {
  return createHash('sha1').update(body).digest('base64url');
}

/**
 * The strong entity tag of one representation (RFC 9110 §8.8.3): a content coding is a different
 * representation with different bytes, so each coding gets its own strong tag, `"<tag>"`,
 * `"<tag>-gzip"`, `"<tag>-br"` (as Apache does), and a cache never mixes them up.
 */
export function entityTag(tag: string, coding: Coding | undefined): string {
  return coding ? `"${tag}-${coding}"` : `"${tag}"`;
}

/**
 * Whether If-None-Match names a representation of the current body (weak comparison, as §13.1.2
 * asks for If-None-Match): `*`, or any of the tags of `tag` in any coding, with or without `W/`.
 */
export function noneMatchHits(header: string | undefined, tag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const mine = new Set([`"${tag}"`, `"${tag}-gzip"`, `"${tag}-br"`]);
  return header.split(',').some((t) => mine.has(t.trim().replace(/^W\//, '')));
}

/**
 * A few compressed copies of large answers, keyed by the body's tag and coding: the whole-city map
 * is the same 2.4 MB until a venue changes or opens or closes, so it is compressed once, not per
 * request. Bounded by count (each copy of the city is ~150–250 kB), least recently used first: the
 * named cache `compressed-copies`.
 */
export class CompressedCopies {
  #copies: NamedCache<string, Promise<Buffer>>;
  constructor(readonly limit = 8) {
    this.#copies = namedCache<string, Promise<Buffer>>('compressed-copies', { max: limit });
  }

  get(tag: string, coding: Coding, body: Buffer): Promise<Buffer> {
    const key = `${tag}-${coding}`;
    let copy = this.#copies.get(key);
    if (copy) return copy;
    copy = compressWith(coding, body);
    const mine = copy;
    copy.catch(() => {
      if (this.#copies.peek(key) === mine) this.#copies.delete(key);
    });
    this.#copies.set(key, copy);
    return copy;
  }
}

function weakenCompressedTag(
  _request: FastifyRequest,
  reply: FastifyReply,
  payload: unknown,
  done: (err: null, payload: unknown) => void,
): void {
  const tag = reply.getHeader('etag');
  if (typeof tag === 'string' && tag.startsWith('"') && reply.getHeader('content-encoding') !== undefined) {
    reply.header('etag', `W/${tag}`);
  }
  done(null, payload);
}

/**
 * Compresses API answers of 1 kB and more (brotli or gzip, as the client prefers). Answers that a
 * route has already encoded (availability's remembered gzip, the map's copies, precompressed build
 * files) pass untouched, as does everything below the threshold, so a booking's small answer only
 * costs the check of its size. Request bodies are never decompressed (no route expects that), so
 * no hook is added before parsing.
 */
export default fp(
  async (fastify) => {
    await fastify.register(fastifyCompress, {
      global: true,
      globalDecompression: false,
      threshold: COMPRESS_THRESHOLD,
      encodings: ['br', 'gzip'],
      brotliOptions: { params: { [zlib.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY } },
      zlibOptions: { level: zlib.Z_DEFAULT_COMPRESSION },
    });
    // A route's strong ETag names its identity bytes; compressed here, the bytes differ, so the tag
    // is made weak (RFC 9110 §8.8.1: the encodings are semantically equivalent, not byte-equal).
    // If-None-Match compares weakly, so the route's 304 still works. Runs after the compress hook,
    // which @fastify/compress also appends per route; routes that encode by themselves are skipped.
    fastify.addHook('onRoute', (route) => {
      if (route.compress === false) return;
      const hooks = route.onSend === undefined ? [] : Array.isArray(route.onSend) ? route.onSend : [route.onSend];
      route.onSend = [...hooks, weakenCompressedTag];
    });
  },
  { name: 'compress' },
);
