import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createTestApp } from './support/app.ts';
import { type Probe, probesFor } from './support/fuzz-cases.ts';
import { seedFuzzFixture } from './support/fuzz-fixture.ts';
import { type RawResponse, changedTables, fingerprinter, rawClient } from './support/fuzz-http.ts';
import { type Operation, operationsOf } from './support/fuzz-schema.ts';
import { inlineRefs } from './support/openapi.ts';

/**
 * Proving the class is gone (issue 12): every operation of the OpenAPI document, sent bad requests
 * generated from its own schemas — wrong types, missing and unknown fields, huge strings, control
 * characters, lone surrogates and bidi overrides, whitespace alone, impossible dates and leap
 * seconds, numbers no column holds, wrong media types and charsets, broken paths and ids of
 * nothing — by someone not signed in, by a city bureau admin and by a resident. Every answer must be
 * a 4xx in the platform's error format (problem+json; Open311's own error list under /open311/v2),
 * and no table may change.
 *
 * FUZZ_RUNS sets the random requests per operation (besides one of each kind of breakage); FUZZ_SEED
 * replays a run. On PostgreSQL (TEST_DATABASE_URL) the budget is three times the embedded one's.
 */
const ON_POSTGRES = Boolean(process.env.TEST_DATABASE_URL);
const RUNS = Number(process.env.FUZZ_RUNS ?? (ON_POSTGRES ? 30 : 10));
const SEED = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);
const HOW_TO_REPLAY = `FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS}`;

/** Tuesday 2026-11-24 10:00 in Zhengzhou, so the fixture's bookings and sessions lie ahead. */
const NOW = new Date('2026-11-24T10:00:00+08:00');

/** The server's error log, by request id: what a 500 was, to name it in a failure. */
const errorsByRequest = new Map<string, string>();
const logStream = {
  write(line: string) {
    try {
      const entry = JSON.parse(line) as { requestId?: string; level?: number; err?: { type?: string; message?: string }; msg?: string };
      if (entry.requestId && (entry.level ?? 0) >= 50) {
        errorsByRequest.set(entry.requestId, `${entry.err?.type ?? ''} ${entry.err?.message ?? entry.msg ?? ''}`.trim().slice(0, 300));
      }
    } catch {
      // not a JSON line
    }
  },
};

const t = await createTestApp({ LOG_LEVEL: 'error' }, () => NOW, logStream);
const fixture = await seedFuzzFixture(t);
const client = await rawClient(t.app);
const prints = await fingerprinter(t.database.db);
const document = inlineRefs(JSON.parse((await client.send({ method: 'GET', path: '/api/openapi.json', headers: {} })).body.toString('utf8')) as Record<string, unknown>);
const operations = operationsOf(document);
afterAll(async () => {
  client.close();
  await t.close();
});

const callers = Object.entries(fixture.callers) as [string, string | undefined][];
/** How many bad requests each operation got, per caller. */
const exercised = new Map<string, number>();

interface Failure {
  caller: string;
  what: string;
  request: string;
  status: number;
  problem: string;
}

function excerpt(body: Buffer): string {
  const text = body.toString('utf8');
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/** What is wrong with an answer to a bad request, if anything. */
function judge(probe: Probe, res: RawResponse): string | undefined {
  const type = String(res.headers['content-type'] ?? '');
  if (res.status < 400 || res.status > 499) {
    const logged = errorsByRequest.get(String(res.headers['x-request-id'] ?? ''));
    return `status ${res.status}${logged ? ` (server logged: ${logged})` : ''}: ${excerpt(res.body)}`;
  }
  if (probe.path.startsWith('/open311/')) {
    // Open311 answers errors as its own list, in the format the path asked for.
    if (type.startsWith('application/json')) {
      try {
        const list = JSON.parse(res.body.toString('utf8')) as { code?: number; description?: string }[];
        if (Array.isArray(list) && list.length > 0 && list.every((e) => e.code === res.status && typeof e.description === 'string')) return undefined;
      } catch {
        // falls through
      }
      return `not an Open311 error list (${type}): ${excerpt(res.body)}`;
    }
    if (type.startsWith('text/xml') && res.body.toString('utf8').includes(`<code>${res.status}</code>`)) return undefined;
    return `not an Open311 error (${type || 'no content-type'}): ${excerpt(res.body)}`;
  }
  if (!type.startsWith('application/problem+json')) return `content-type ${type || 'none'}: ${excerpt(res.body)}`;
  try {
    const problem = JSON.parse(res.body.toString('utf8')) as { status?: number; code?: string };
    if (problem.status !== res.status || typeof problem.code !== 'string') return `a problem of status ${problem.status} code ${problem.code}`;
  } catch {
    return `problem+json that is not JSON: ${excerpt(res.body)}`;
  }
  return undefined;
}

let baseline = await prints.take();

/** Sends one bad request as one caller; names what went wrong, if anything. */
async function attempt(probe: Probe, caller: string, token: string | undefined): Promise<Failure | undefined> {
  const before = await prints.nextXid();
  const problems: string[] = [];
  let status = 0;
  try {
    const res = await client.send({ ...probe, headers: { ...probe.headers, ...(token ? { authorization: token } : {}) } });
    status = res.status;
    const wrong = judge(probe, res);
    if (wrong) problems.push(wrong);
  } catch (err) {
    problems.push(`no answer: ${String(err)}`);
  }
  // A request that took no transaction id wrote nothing; otherwise compare every table.
  if ((await prints.nextXid()) !== before) {
    const now = await prints.take();
    const changed = changedTables(baseline, now);
    if (changed.length > 0) problems.push(`changed ${changed.join(', ')}`);
    baseline = now;
  }
  if (problems.length === 0) return undefined;
  return { caller, what: probe.what, request: `${probe.method} ${probe.path.slice(0, 160)}`, status, problem: problems.join('; ') };
}

function seedOf(op: Operation): number {
  let hash = SEED;
  for (const char of op.key) hash = (Math.imul(hash, 31) + char.charCodeAt(0)) | 0;
  return hash;
}

describe('every operation of the OpenAPI document refuses bad requests cleanly and writes nothing', () => {
  it('the document lists the API, Open311 and the health checks', () => {
    const keys = operations.map((op) => op.key);
    expect(keys).toEqual(expect.arrayContaining(['GET /healthz', 'GET /readyz', 'POST /open311/v2/requests.{format}', 'POST /api/v1/reservations']));
    expect(operations.length).toBeGreaterThan(90);
  });

  for (const op of operations) {
    it(op.key, async () => {
      const pathValues = Object.fromEntries(
        op.parameters.filter((p) => p.in === 'path').flatMap((p) => {
          const value = fixture.pathValue(op.path, p.name);
          return value === undefined ? [] : [[p.name, value]];
        }),
      );
      const { generators } = probesFor(op, { pathValues, ids: fixture.ids, png: fixture.png });
      expect(generators.length, `${op.key}: no bad request could be made for it`).toBeGreaterThan(0);
      const seed = seedOf(op);
      // One of each kind of breakage first, then random ones.
      const kinds = [...new Set(generators.map((g) => g.kind))];
      const examples = kinds.map((kind, i) => {
        const ofKind = generators.filter((g) => g.kind === kind);
        return [fc.sample(fc.oneof(...ofKind.map((g) => g.arbitrary)), { numRuns: 1, seed: seed + i })[0]!] as [Probe];
      });
      const failures: Failure[] = [];
      await fc.assert(
        fc.asyncProperty(fc.oneof(...generators.map((g) => g.arbitrary)), async (probe) => {
          for (const [caller, token] of callers) {
            const failure = await attempt(probe, caller, token);
            exercised.set(op.key, (exercised.get(op.key) ?? 0) + 1);
            if (failure) failures.push(failure);
          }
        }),
        { numRuns: RUNS + examples.length, seed, examples },
      );
      if (failures.length > 0) {
        const distinct = [...new Map(failures.map((f) => [`${f.what}|${f.status}|${f.caller}`, f])).values()];
        const lines = distinct.slice(0, 25).map((f) => `  - as ${f.caller}: ${f.what}\n      ${f.request}\n      → ${f.problem}`);
        throw new Error(
          `${op.key}: ${failures.length} bad requests answered wrongly (replay with ${HOW_TO_REPLAY}):\n${lines.join('\n')}${distinct.length > 25 ? `\n  … and ${distinct.length - 25} more` : ''}`,
        );
      }
    });
  }

  it('no operation of the document went unexercised', () => {
    const missed = operations.filter((op) => (exercised.get(op.key) ?? 0) < callers.length).map((op) => op.key);
    expect(missed, `operations not exercised by every caller: ${missed.join(', ')}`).toEqual([]);
  });
});

describe('paths outside the document', () => {
  const paths = [
    '/media/../x',
    '/media/%2e%2e/x',
    '/media/..%2f..%2fetc%2fpasswd',
    '/media/%2e%2e%2f%2e%2e%2fpackage.json',
    '/media/....//x',
    '/media/x%00.png',
    '/media/%ZZ',
    '/media/',
    '/media',
    `/media/${'a'.repeat(5000)}`,
    '/api/v1/nothing-here',
    '/api/v1/venues/%ED%A0%80',
    '/%2e%2e/%2e%2e/etc/passwd',
    '/open311/v2/nothing.json',
  ];
  it.each(paths.map((path) => [path.slice(0, 60), path]))('GET %s is a 4xx in the error format and writes nothing', async (_label, path) => {
    for (const [caller, token] of callers) {
      const failure = await attempt({ what: `GET ${path}`, method: 'GET', path, headers: {} }, caller, token);
      expect(failure, JSON.stringify(failure)).toBeUndefined();
    }
  });

  it('an uploaded photo is still served from /media/', async () => {
    const res = await client.send({ method: 'GET', path: new URL(fixture.photoUrl, 'http://x').pathname, headers: {} });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^image\//);
  });
});
