import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { schema } from '@sports/db';
import { createTestApp, type TestApp } from './support/app.ts';
import { insertCityFixture, insertUser } from './support/fixtures.ts';
import { inlineRefs } from './support/openapi.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('health', () => {
  it('/healthz says the process is up and /readyz that the database answers', async () => {
    expect((await t.http().get('/healthz')).body).toEqual({ status: 'ok' });
    expect((await t.http().get('/readyz')).body).toEqual({ status: 'ready' });
  });
});

describe('OpenAPI', () => {
  it('describes every route with its schemas at /api/openapi.json', async () => {
    const res = await t.http().get('/api/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    const paths = Object.keys(res.body.paths as object);
    for (const p of ['/api/v1/auth/register', '/api/v1/auth/login', '/api/v1/auth/refresh', '/api/v1/auth/logout', '/api/v1/me', '/api/v1/organisations/{id}/roles']) {
      expect(paths).toContain(p);
    }
    const login = inlineRefs(res.body).paths['/api/v1/auth/login'].post;
    expect(login.requestBody.content['application/json'].schema.required).toEqual(['phone', 'password']);
    expect(Object.keys(login.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '429']));
  });

  it('serves browsable docs at /api/docs', async () => {
    const res = await t.http().get('/api/docs/').redirects(1);
    expect(res.status).toBe(200);
    expect(res.text).toContain('swagger');
  });
});

describe('every input the API takes is bounded', () => {
  /** Where a request schema lets through a number without both bounds, text or a list without a length. */
  function unbounded(schema: Record<string, unknown> | undefined, where: string, found: string[]): void {
    if (!schema || typeof schema !== 'object') return;
    for (const alternative of [...((schema.anyOf as object[]) ?? []), ...((schema.oneOf as object[]) ?? [])]) unbounded(alternative as Record<string, unknown>, where, found);
    const fixed = schema.const !== undefined || schema.enum !== undefined;
    if ((schema.type === 'integer' || schema.type === 'number') && !fixed && (schema.minimum === undefined || schema.maximum === undefined)) found.push(`${where}: a number without both bounds`);
    if (schema.type === 'string' && !fixed && schema.maxLength === undefined && schema.pattern === undefined && schema.format === undefined) found.push(`${where}: text without a maximum length`);
    if (schema.type === 'array' && schema.maxItems === undefined) found.push(`${where}: a list without a maximum length`);
    for (const [key, value] of Object.entries((schema.properties as Record<string, Record<string, unknown>>) ?? {})) unbounded(value, `${where}.${key}`, found);
    unbounded(schema.items as Record<string, unknown> | undefined, `${where}[]`, found);
  }

  it('no parameter or body field accepts an unbounded number, text or list (1e309 pages, megabyte names)', async () => {
    const doc = inlineRefs((await t.http().get('/api/openapi.json')).body) as { paths: Record<string, Record<string, { parameters?: { in: string; name: string; schema: Record<string, unknown> }[]; requestBody?: { content: Record<string, { schema: Record<string, unknown> }> } }>> };
    const found: string[] = [];
    let fields = 0;
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        for (const parameter of operation.parameters ?? []) {
          fields += 1;
          unbounded(parameter.schema, `${method.toUpperCase()} ${path} ${parameter.in} ${parameter.name}`, found);
        }
        for (const [type, content] of Object.entries(operation.requestBody?.content ?? {})) {
          fields += Object.keys((content.schema.properties as object) ?? {}).length;
          unbounded(content.schema, `${method.toUpperCase()} ${path} body (${type})`, found);
        }
      }
    }
    expect(fields).toBeGreaterThan(200);
    expect(found).toEqual([]);
  });
});

describe('errors and headers', () => {
  it('an unknown API route is a problem+json 404 with a request id', async () => {
    const res = await t.http().get('/api/v1/nothing-here').set('x-request-id', 'trace-abc-123');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ code: 'ROUTE_NOT_FOUND', status: 404, requestId: 'trace-abc-123' });
    expect(res.headers['x-request-id']).toBe('trace-abc-123');
  });

  it('a request id that is not sane is replaced', async () => {
    const res = await t.http().get('/healthz').set('x-request-id', 'bad id with spaces and <html>');
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sends the security headers', async () => {
    const res = await t.http().get('/healthz');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
  });

  it('malformed JSON is a 400 problem, not a crash', async () => {
    const res = await t.http().post('/api/v1/auth/login').set('content-type', 'application/json').send('{"phone": ');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
  });

  it('an unsupported content type is 415', async () => {
    const res = await t.http().post('/api/v1/auth/login').set('content-type', 'text/csv').send('a,b');
    expect(res.status).toBe(415);
    expect(res.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });
});

describe('the audit log', () => {
  it('refuses to be changed or emptied, even by the application’s own connection', async () => {
    const db = t.database.db;
    const orgs = await insertCityFixture(db);
    const actor = await insertUser(db);
    await db.insert(schema.auditLog).values({
      actorId: actor.id,
      organisationId: orgs.zzBureau.id,
      action: 'test.entry',
      targetType: 'organisation',
      targetId: orgs.zzBureau.id,
    });
    await expect(db.execute(sql`update audit_log set action = 'forged'`)).rejects.toThrow();
    await expect(db.execute(sql`delete from audit_log`)).rejects.toThrow();
    await expect(db.execute(sql`truncate audit_log`)).rejects.toThrow();
    const rows = await db.select({ action: schema.auditLog.action }).from(schema.auditLog);
    expect(rows).toEqual([{ action: 'test.entry' }]);
  });
});

describe('when the database is gone', () => {
  it('/readyz is 503 and other routes answer 500 without revealing why', async () => {
    const doomed = await createTestApp();
    await doomed.database.close();
    const ready = await doomed.http().get('/readyz');
    expect(ready.status).toBe(503);
    const res = await doomed.http().post('/api/v1/auth/login').send({ phone: '13800000001', password: 'whatever-1' });
    expect(res.status).toBe(500);
    expect(res.body.code).toBe('INTERNAL');
    expect(res.body.detail).toBe('服务器出错了，请稍后再试。');
    expect(JSON.stringify(res.body)).not.toMatch(/pglite|postgres|closed|stack/i);
    await doomed.close();
  });
});

describe('map tile settings', () => {
  it('tell the map page where tiles come from, and the CSP lets those images in', async () => {
    const custom = await createTestApp({ MAP_TILE_URL: 'https://{s}.tiles.example.cn/{z}/{x}/{y}.png', MAP_TILE_CRS: 'gcj02' });
    try {
      const res = await custom.http().get('/api/v1/map/settings');
      expect(res.body).toEqual({ url: 'https://{s}.tiles.example.cn/{z}/{x}/{y}.png', crs: 'gcj02', attribution: '© OpenStreetMap contributors' });
      expect(res.headers['content-security-policy']).toContain("img-src 'self' data: blob: https://*.tiles.example.cn");
    } finally {
      await custom.close();
    }
  });
});

describe('configuration', () => {
  it('refuses a fixed test clock in production, and a production start without its secrets', async () => {
    const { loadConfig } = await import('../src/config.ts');
    const identityKey = 'a'.repeat(64);
    expect(() =>
      loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40), IDENTITY_KEY: identityKey, TEST_CLOCK: '2026-11-25T18:45:00+08:00' }, false),
    ).toThrow(/TEST_CLOCK/);
    expect(() => loadConfig({ NODE_ENV: 'production' }, false)).toThrow(/JWT_SECRET/);
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) }, false)).toThrow(/IDENTITY_KEY/);
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40), IDENTITY_KEY: 'not-hex' }, false)).toThrow(/IDENTITY_KEY/);
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40), IDENTITY_KEY: identityKey }, false).IDENTITY_KEY).toBe(identityKey);
    expect(() => loadConfig({ PORT: 'eighty' }, false)).toThrow(/PORT/);
  });
});
