import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConfig, lintFromString, type NormalizedProblem } from '@redocly/openapi-core';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';
import { createTestApp, type TestApp } from './support/app.ts';

/**
 * The OpenAPI document the app serves is a product of its own: it must lint clean, generate a typed
 * client that compiles, and name every request and response body so generated clients get types
 * with names instead of `paths['/x']['post']['responses'][200]...` soup.
 */

type Json = Record<string, unknown>;
interface MediaType { schema?: Json }
interface Response { $ref?: string; description?: string; content?: Record<string, MediaType> }
interface RequestBody { $ref?: string; content?: Record<string, MediaType> }
interface Operation { operationId?: string; summary?: string; requestBody?: RequestBody; responses?: Record<string, Response> }
interface Document { openapi: string; servers?: unknown; paths?: Record<string, Record<string, unknown>>; components?: Record<string, Record<string, unknown>> }

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
const TIMEOUT = 60_000;

let t: TestApp;
let status: number;
let doc: Document;
let source: string;
beforeAll(async () => {
  t = await createTestApp();
  const res = await t.app.inject({ url: '/api/openapi.json' });
  status = res.statusCode;
  source = res.body;
  doc = res.json<Document>();
});
afterAll(() => t.close());

/** Every operation in the document, with where it lives. */
function operations(): { path: string; method: string; op: Operation; where: string }[] {
  const found: { path: string; method: string; op: Operation; where: string }[] = [];
  for (const [p, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = item[method] as Operation | undefined;
      if (op) found.push({ path: p, method, op, where: `${method.toUpperCase()} ${p}` });
    }
  }
  return found;
}

/** Follows a local `$ref` to `#/components/<kind>/<name>` once (request bodies and responses may be shared). */
function deref<T extends { $ref?: string }>(node: T | undefined, kind: string): T | undefined {
  const prefix = `#/components/${kind}/`;
  if (!node?.$ref?.startsWith(prefix)) return node;
  const name = node.$ref.slice(prefix.length).replaceAll('~1', '/').replaceAll('~0', '~');
  return doc.components?.[kind]?.[name] as T | undefined;
}

const baseMediaType = (mediaType: string): string => mediaType.split(';')[0]!.trim().toLowerCase();
const JSONISH = new Set(['application/json', 'application/geo+json', 'application/problem+json']);
const FORMS = new Set(['multipart/form-data', 'application/x-www-form-urlencoded']);
const isSuccess = (code: string): boolean => /^2(\d\d|XX)$/i.test(code);
const isError = (code: string): boolean => /^[45](\d\d|XX)$/i.test(code);
const isSchemaRef = (schema: Json | undefined): boolean => typeof schema?.$ref === 'string' && schema.$ref.startsWith('#/components/schemas/');

it('serves an OpenAPI 3.1 document at /api/openapi.json', () => {
  expect(status).toBe(200);
  expect(doc.openapi).toMatch(/^3\.1\./);
});

describe('Redocly lint (recommended ruleset)', () => {
  it('finds no errors', { timeout: TIMEOUT }, async () => {
    // An in-memory config: no redocly.yaml, no ignore file and no network are consulted.
    const config = await createConfig({ extends: ['recommended'] });
    const problems = await lintFromString({ source, absoluteRef: 'openapi.json', config });
    const format = (p: NormalizedProblem): string => {
      const at = p.location.map((l) => l.pointer ?? ('start' in l ? `${l.start.line}:${l.start.col}` : '?')).join(', ');
      return `${p.ruleId}: ${p.message} at ${at}`;
    };
    const errors = problems.filter((p) => p.severity === 'error').map(format);
    const warnings = problems.filter((p) => p.severity === 'warn');
    console.info(`Redocly: ${errors.length} errors, ${warnings.length} warnings`);
    expect(errors, `Redocly reported ${errors.length} errors:\n${errors.join('\n')}`).toEqual([]);
  });
});

describe('generated TypeScript client', () => {
  it('generates types from the document that compile, for every operation\'s body and 2xx responses', { timeout: TIMEOUT }, async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sports-openapi-'));
    try {
      const ast = await openapiTS(structuredClone(doc) as unknown as Parameters<typeof openapiTS>[0], { silent: true, cwd: dir });
      await writeFile(path.join(dir, 'schema.ts'), astToString(ast));

      // Type-level references to every body, through `operations` where the operation has an id.
      const lines = ["import type { paths, components, operations } from './schema';", 'export type Paths = paths;', 'export type Components = components;', 'export type Operations = operations;', 'type NotNever<T> = [T] extends [never] ? false : true;'];
      let n = 0;
      const refer = (type: string): void => {
        lines.push(`export type T${n} = ${type};`, `export const t${n}: NotNever<T${n}> = true;`);
        n += 1;
      };
      for (const { path: p, method, op } of operations()) {
        const base = op.operationId ? `operations[${JSON.stringify(op.operationId)}]` : `paths[${JSON.stringify(p)}][${JSON.stringify(method)}]`;
        const body = deref(op.requestBody, 'requestBodies');
        for (const mediaType of Object.keys(body?.content ?? {})) refer(`NonNullable<${base}['requestBody']>['content'][${JSON.stringify(mediaType)}]`);
        for (const [code, response] of Object.entries(op.responses ?? {})) {
          if (!isSuccess(code)) continue;
          const content = deref(response, 'responses')?.content;
          const key = /^\d+$/.test(code) ? code : JSON.stringify(code);
          if (!content || Object.keys(content).length === 0) lines.push(`export type T${n++} = ${base}['responses'][${key}];`);
          for (const mediaType of Object.keys(content ?? {})) refer(`${base}['responses'][${key}]['content'][${JSON.stringify(mediaType)}]`);
        }
      }
      const check = path.join(dir, 'check.ts');
      await writeFile(check, `${lines.join('\n')}\n`);

      const program = ts.createProgram([check], {
        strict: true,
        noEmit: true,
        module: ts.ModuleKind.ESNext,
        moduleResolution: ts.ModuleResolutionKind.Bundler,
        target: ts.ScriptTarget.ES2022,
        types: [],
      });
      const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => {
        const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
        if (!d.file || d.start === undefined) return message;
        const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
        return `${path.basename(d.file.fileName)}:${line + 1}:${character + 1} ${message}\n    ${d.file.text.split('\n')[line]?.trim()}`;
      });
      expect(n, 'the document has operations to type').toBeGreaterThan(0);
      expect(diagnostics, `the generated client does not compile:\n${diagnostics.join('\n')}`).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('document conventions', () => {
  it('names every body schema, uses problem+json for errors, and identifies, summarises and describes every operation', { timeout: TIMEOUT }, () => {
    const offenders: string[] = [];
    if (!Array.isArray(doc.servers) || doc.servers.length === 0) offenders.push('[servers] the document has no servers');
    for (const p of Object.keys(doc.paths ?? {})) if (p !== '/' && p.endsWith('/')) offenders.push(`[trailing-slash] ${p}`);

    const ids = new Map<string, string[]>();
    for (const { path: p, op, where } of operations()) {
      if (!op.operationId) offenders.push(`[operationId] ${where}: none`);
      else {
        ids.set(op.operationId, [...(ids.get(op.operationId) ?? []), where]);
        if (!/^[a-z][A-Za-z0-9]*$/.test(op.operationId)) offenders.push(`[operationId-camelCase] ${where}: ${op.operationId}`);
      }
      if (typeof op.summary !== 'string' || op.summary.trim() === '') offenders.push(`[summary] ${where}`);

      const body = deref(op.requestBody, 'requestBodies');
      for (const [mediaType, media] of Object.entries(body?.content ?? {})) {
        if (FORMS.has(baseMediaType(mediaType))) continue;
        if (!isSchemaRef(media.schema)) offenders.push(`[request-schema-ref] ${where} ${mediaType}: ${media.schema ? 'inline schema' : 'no schema'}`);
      }

      const responses = Object.entries(op.responses ?? {});
      if (responses.length === 0) offenders.push(`[responses] ${where}: none declared`);
      for (const [code, declared] of responses) {
        const response = deref(declared, 'responses');
        const description = response?.description;
        if (typeof description !== 'string' || description.trim() === '' || description.trim() === 'Default Response') offenders.push(`[response-description] ${where} ${code}: ${JSON.stringify(description)}`);
        const content = response?.content ?? {};
        if (isSuccess(code)) {
          for (const [mediaType, media] of Object.entries(content)) {
            if (!JSONISH.has(baseMediaType(mediaType))) continue;
            if (!isSchemaRef(media.schema)) offenders.push(`[response-schema-ref] ${where} ${code} ${mediaType}: ${media.schema ? 'inline schema' : 'no schema'}`);
          }
        }
        if (isError(code) && !p.startsWith('/open311/')) {
          const types = Object.keys(content);
          if (types.length !== 1 || baseMediaType(types[0]!) !== 'application/problem+json') offenders.push(`[error-problem-json] ${where} ${code}: ${types.length ? types.join(', ') : 'no content'}`);
        }
      }
    }
    for (const [id, where] of ids) if (where.length > 1) offenders.push(`[operationId-unique] ${id}: ${where.join(', ')}`);

    expect(offenders).toEqual([]);
  });
});

describe('media types say what each answer is', () => {
  const op = (p: string, method: string) => doc.paths?.[p]?.[method] as Operation;
  it('calendars are text/calendar, the map is application/geo+json, the CSV is text/csv, Open311 posts a form and answers 201 in JSON or XML', () => {
    for (const p of ['/api/v1/reservations/{id}.ics', '/api/v1/calendar/{token}.ics']) {
      expect(Object.keys(op(p, 'get').responses!['200']!.content!), p).toEqual(['text/calendar']);
      expect(op(p, 'get').responses!['304'], p).toBeDefined();
    }
    expect(Object.keys(op('/api/v1/map/venues.geojson', 'get').responses!['200']!.content!)).toEqual(['application/geo+json']);
    expect(Object.keys(op('/api/v1/school-sessions/{id}/registrations.csv', 'get').responses!['200']!.content!)).toEqual(['text/csv']);
    const open311 = op('/open311/v2/requests.{format}', 'post');
    expect(Object.keys(open311.requestBody!.content!)[0]).toBe('application/x-www-form-urlencoded');
    expect(Object.keys(open311.responses!)).toEqual(expect.arrayContaining(['201', '400', '403', '404']));
    expect(open311.responses!['200']).toBeUndefined();
    expect(Object.keys(open311.responses!['201']!.content!).sort()).toEqual(['application/json', 'text/xml']);
    expect(open311.responses!['403']!.content!['text/xml']!.schema).toEqual({ $ref: '#/components/schemas/Open311Errors' });
    expect(doc.servers).toEqual([expect.objectContaining({ url: 'http://localhost:3000' })]);
  });

  it('contract schemas keep their export names, and a page of a named item is <Item>Page', () => {
    const names = Object.keys(doc.components?.schemas ?? {});
    for (const name of ['Problem', 'VenueSummary', 'VenueSummaryPage', 'CreateReservationBody', 'Reservation', 'ReservationPage', 'TicketDetail', 'Open311RequestList']) expect(names, name).toContain(name);
    const login = op('/api/v1/auth/login', 'post');
    expect(login.requestBody!.content!['application/json']!.schema).toEqual({ $ref: '#/components/schemas/LoginBody' });
  });
});
