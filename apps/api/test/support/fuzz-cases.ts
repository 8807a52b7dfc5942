import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import {
  type IdsByName,
  type Operation,
  type Parameter,
  type Schema,
  type Slot,
  isDateSchema,
  isIntegerSchema,
  isNumberSchema,
  isStringSchema,
  parametersSatisfy,
  satisfies,
  slotsOf,
  validValue,
  withValue,
} from './fuzz-schema.ts';

/**
 * Bad requests for one operation of the OpenAPI document: a valid request (real ids in the path,
 * the required query, headers and body) with one thing broken. Each generator yields only requests
 * that break a rule — the document's schema (checked by an oracle, so a change the document allows
 * is never sent) or one of the platform's rules for all input (no control characters, lone
 * surrogates or bidi overrides; trimmed strings; calendar dates, no leap second; no integer beyond
 * what a column holds; UTF-8 only).
 */
export interface Probe {
  /** What was broken, for the failure message. */
  what: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

export interface OperationFixture {
  /** Real values (already URL-encoded) for the operation's path parameters. */
  pathValues: Record<string, string>;
  ids: IdsByName;
  /** A small real PNG, for upload routes. */
  png: Buffer;
}

// ---------------------------------------------------------------------------------------------
// Values.

/** Characters that no string of this platform may hold, and the name each goes by in a report. */
const CONTROL_CHARACTERS = ['\u0000', '\u0001', '\u0008', '\u000B', '\u001B', '\u007F', '\u0085', '\u009F'];
const LONE_SURROGATES = ['\uD800', '\uDBFF', '\uDC00', '\uDFFF'];
const BIDI_CONTROLS = ['\u202E', '\u202A', '\u2066', '\u2069'];
const WHITESPACE_ONLY = ['   ', ' ', '\t', '\u3000\u3000', '\n\n', ' \u00A0 '];
const IMPOSSIBLE_DATES = ['2026-02-30', '2026-02-29', '0000-01-01', '9999-99-99', '2026-04-31', '2026-13-01', '2026-00-10', '10000-01-01'];
const IMPOSSIBLE_INSTANTS = [
  '2026-06-30T23:59:60Z',
  '2026-02-30T10:00:00+08:00',
  '2026-02-29T10:00:00Z',
  '0000-01-01T00:00:00Z',
  '9999-99-99T99:99:99Z',
  '2026-12-10T24:00:00Z',
  '2026-12-10T10:00:00+25:00',
];
const HUGE = 100_000;
const TWO_TO_53 = 2 ** 53;
const WRONG_TYPES: unknown[] = [null, true, false, 0, 1, -1, 1.5, 'x', '', '1', 'true', 'null', [], ['x'], [1], {}, { a: 1 }];
const NUMBERS: unknown[] = [-1, TWO_TO_53, -TWO_TO_53, 1.5, 1e308, -1e308, 0];
/** JSON tokens no JavaScript value serialises to: a finite-looking literal that is not finite. */
const RAW_NUMBERS = ['1e309', '-1e309'];

// eslint-disable-next-line no-control-regex -- control characters are what this looks for
const REFUSED_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/u;
/** The platform refuses these in any string: control characters, bidi overrides, ill-formed UTF-16. */
/** With the `u` flag a surrogate pair is one code point, so this finds only the lone halves. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
export const refusedString = (value: string) => REFUSED_CHARACTER.test(value) || LONE_SURROGATE.test(value);

const describe = (value: unknown): string => {
  const text = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 60)}…(${text.length} chars)` : text;
};

const insertAt = (base: string, char: string, where: number) => {
  const at = Math.min(where, base.length);
  return base.slice(0, at) + char + base.slice(at);
};

/** Strings with one refused character at a random place in an otherwise valid value. */
function refusedCharacters(base: string): fc.Arbitrary<{ value: string; what: string }> {
  return fc
    .tuple(fc.constantFrom(...CONTROL_CHARACTERS, ...LONE_SURROGATES, ...BIDI_CONTROLS), fc.nat({ max: Math.max(base.length, 1) }))
    .map(([char, where]) => ({
      value: insertAt(base || 'x', char, where),
      what: `U+${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')} in the string`,
    }));
}

/** Decodes a query value as the server's parser would; a malformed escape stays as it is. */
function decodeQuery(value: string): string {
  try {
    return decodeURIComponent(value.replaceAll('+', ' '));
  } catch {
    return value;
  }
}

const encode = (value: unknown) => encodeURIComponent(typeof value === 'string' ? value : JSON.stringify(value));

// ---------------------------------------------------------------------------------------------
// Bodies.

type BodyKind = 'json' | 'form' | 'multipart';

function bodyKindOf(op: Operation): { kind: BodyKind; schema: Schema } | undefined {
  if (!op.body) return undefined;
  if (op.body['multipart/form-data']) return { kind: 'multipart', schema: op.body['multipart/form-data'] };
  if (op.body['application/json']) return { kind: 'json', schema: op.body['application/json'] };
  if (op.body['application/x-www-form-urlencoded']) return { kind: 'form', schema: op.body['application/x-www-form-urlencoded'] };
  return undefined;
}

let boundaryCounter = 0;
function multipart(parts: { name: string; filename?: string; type?: string; data: Buffer | string }[]): { type: string; bytes: Buffer } {
  boundaryCounter += 1;
  const boundary = `----fuzz-boundary-${boundaryCounter}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = `form-data; name="${part.name}"${part.filename ? `; filename="${part.filename}"` : ''}`;
    chunks.push(Buffer.from(`--${boundary}\r\ncontent-disposition: ${disposition}\r\n${part.type ? `content-type: ${part.type}\r\n` : ''}\r\n`));
    chunks.push(Buffer.isBuffer(part.data) ? part.data : Buffer.from(part.data));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { type: `multipart/form-data; boundary=${boundary}`, bytes: Buffer.concat(chunks) };
}

/** JSON text of `value` where the strings `__RAW_n__` stand for raw tokens (`1e309`). */
function json(value: unknown, raw: string[] = []): Buffer {
  let text = JSON.stringify(value);
  raw.forEach((token, i) => {
    text = text.replace(`"__RAW_${i}__"`, token);
  });
  return Buffer.from(text);
}

function formBody(value: unknown): Buffer {
  const params = new URLSearchParams();
  for (const [key, field] of Object.entries((value ?? {}) as Record<string, unknown>)) {
    params.append(key, typeof field === 'string' ? field : JSON.stringify(field));
  }
  return Buffer.from(params.toString());
}

// ---------------------------------------------------------------------------------------------
// One operation's bad requests.

export interface OperationProbes {
  /** The valid request everything starts from (never sent by the suite). */
  base: Probe;
  /** Each kind of breakage that applies to the operation, as an arbitrary. */
  generators: { kind: string; arbitrary: fc.Arbitrary<Probe> }[];
}

export function probesFor(op: Operation, fixture: OperationFixture): OperationProbes {
  const { ids } = fixture;
  const pathParams = op.parameters.filter((p) => p.in === 'path');
  const queryParams = op.parameters.filter((p) => p.in === 'query');
  const headerParams = op.parameters.filter((p) => p.in === 'header');

  const pathWith = (overrides: Record<string, string> = {}) =>
    op.path.replace(/\{(\w+)\}/g, (_m, name: string) => overrides[name] ?? fixture.pathValues[name] ?? encodeURIComponent(String(validValue(pathParams.find((p) => p.name === name)?.schema ?? {}, name, ids))));
  const baseQuery: [string, string][] = queryParams.filter((p) => p.required).map((p) => [p.name, encode(validValue(p.schema, p.name, ids))]);
  // Values are written as sent (a malformed escape stays malformed); only what no request line may hold is escaped.
  // eslint-disable-next-line no-control-regex -- no request line may hold a control character
  const sendable = (raw: string) => raw.replace(/[\u0000-\u0020\u007f-\uffff]/gu, (c) => encodeURIComponent(c));
  const queryText = (entries: [string, string][]) => (entries.length ? `?${entries.map(([k, v]) => `${encodeURIComponent(k)}=${sendable(v)}`).join('&')}` : '');
  const baseHeaders = (): Record<string, string> => {
    const headers: Record<string, string> = {};
    for (const p of headerParams.filter((h) => h.required)) {
      headers[p.name] = p.name === 'idempotency-key' ? `fuzz-key-${randomUUID()}` : String(validValue(p.schema, p.name, ids));
    }
    return headers;
  };

  const bodyInfo = bodyKindOf(op);
  const bodySchema = bodyInfo?.schema;
  const baseBodyValue = bodySchema && bodyInfo.kind !== 'multipart' ? validValue(bodySchema, '(body)', ids) : undefined;
  const encodeBody = (value: unknown, raw: string[] = []): { type: string; bytes: Buffer } | undefined => {
    if (!bodyInfo) return undefined;
    if (bodyInfo.kind === 'json') return { type: 'application/json', bytes: json(value, raw) };
    if (bodyInfo.kind === 'form') return { type: 'application/x-www-form-urlencoded', bytes: formBody(value) };
    return multipart([{ name: 'file', filename: 'photo.png', type: 'image/png', data: fixture.png }]);
  };

  const make = (
    what: string,
    parts: { path?: string; query?: [string, string][]; headers?: Record<string, string>; body?: { type?: string; bytes: Buffer } | null } = {},
  ): Probe => {
    const body = parts.body === null ? undefined : (parts.body ?? encodeBody(baseBodyValue));
    const headers: Record<string, string> = { ...baseHeaders(), ...(body?.type ? { 'content-type': body.type } : {}), ...parts.headers };
    for (const [k, v] of Object.entries(headers)) if (v === '\u0000drop') delete headers[k];
    return {
      what,
      method: op.method,
      path: (parts.path ?? pathWith()) + queryText(parts.query ?? baseQuery),
      headers,
      ...(body ? { body: body.bytes } : {}),
    };
  };
  const base = make('the valid request');

  const generators: OperationProbes['generators'] = [];
  const add = (kind: string, arbitrary: fc.Arbitrary<Probe>) => generators.push({ kind, arbitrary });
  const constants = (kind: string, probes: Probe[]) => {
    if (probes.length > 0) add(kind, fc.constantFrom(...probes));
  };

  // --- The path itself, broken after the operation's own template.
  constants(
    'path',
    ['%00', '/', '/..', '/%2e%2e/x', ';x', `/${'a'.repeat(200)}`, '%E2%80%AE', '%01'].map((suffix) => make(`path + ${JSON.stringify(suffix)}`, { path: pathWith() + suffix })),
  );

  // --- Path parameters: values the schema refuses, ids of nothing, too long, traversal.
  for (const p of pathParams) {
    const candidates = ['abc', '1', '-1', 'null', 'true', '1e309', 'NaN', '%00', '%1B', '%E2%80%AE', '%ED%A0%80', '%ZZ', '..', '%2e%2e', '..%2f..%2fetc%2fpasswd', "x'%20or%20'1'='1", '%20%20', 'a'.repeat(101), 'a'.repeat(5000)];
    const bad = candidates.filter((raw) => {
      let decoded: string;
      try {
        decoded = decodeURIComponent(raw);
      } catch {
        return true;
      }
      return refusedString(decoded) || !satisfies(p.schema, decoded.trim(), true) || decoded !== decoded.trim();
    });
    constants(`path parameter ${p.name}`, bad.map((raw) => make(`path ${p.name}=${describe(raw)}`, { path: pathWith({ [p.name]: raw }) })));
    if (p.schema.format === 'uuid') {
      add(`path parameter ${p.name}`, fc.uuid().map((id) => make(`path ${p.name}= an id of nothing (${id})`, { path: pathWith({ [p.name]: id }) })));
    }
  }

  // --- Query parameters: one bad value each; a required one missing.
  const queryOf = (entries: [string, string][]) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of entries) {
      const value = decodeQuery(v);
      out[k] = k in out ? ([] as unknown[]).concat(out[k], value) : value;
    }
    return out;
  };
  const queryIsBad = (p: Parameter, entries: [string, string][]) => {
    const values = queryOf(entries);
    const mine = values[p.name];
    const texts = Array.isArray(mine) ? mine.map(String) : mine === undefined ? [] : [String(mine)];
    if (texts.some(refusedString)) return true;
    // The server trims before it checks.
    const trimmed = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, typeof v === 'string' ? v.trim() : v]));
    if (!parametersSatisfy(queryParams, trimmed)) return true;
    if (isIntegerSchema(p.schema) && (p.schema.maximum ?? Infinity) >= TWO_TO_53 && texts.some((t) => Math.abs(Number(t)) >= TWO_TO_53)) return true;
    const date = isDateSchema(p.schema);
    if (date === 'date' && texts.some((t) => IMPOSSIBLE_DATES.includes(t))) return true;
    if (date === 'date-time' && texts.some((t) => IMPOSSIBLE_INSTANTS.includes(t))) return true;
    return false;
  };
  for (const p of queryParams) {
    const others = baseQuery.filter(([k]) => k !== p.name);
    const values = [
      '', ' ', 'abc', 'NaN', 'Infinity', '1e309', '-1', '0', String(TWO_TO_53), '-9007199254740992', '1.5', 'true', 'null', '[]', '{}',
      '%00', '%1B', '%7F', '%E2%80%AE', '%20%20%20', '%ZZ', '%', 'a'.repeat(HUGE), 'a'.repeat(2000),
      ...IMPOSSIBLE_DATES, ...IMPOSSIBLE_INSTANTS.map(encodeURIComponent),
    ];
    const bad: Probe[] = [];
    for (const value of values) {
      const entries: [string, string][] = [...others, [p.name, value]];
      if (queryIsBad(p, entries)) bad.push(make(`query ${p.name}=${describe(value)}`, { query: entries }));
    }
    const repeated: [string, string][] = [...others, [p.name, encode(validValue(p.schema, p.name, ids))], [p.name, encode(validValue(p.schema, p.name, ids))]];
    if (queryIsBad(p, repeated)) bad.push(make(`query ${p.name} given twice`, { query: repeated }));
    constants(`query ${p.name}`, bad);
    if (isStringSchema(p.schema)) {
      const valid = String(validValue(p.schema, p.name, ids));
      add(
        `query ${p.name}`,
        refusedCharacters(valid)
          .filter(({ value }) => !LONE_SURROGATE.test(value))
          .map(({ value, what }) => make(`query ${p.name}: ${what}`, { query: [...others, [p.name, encodeURIComponent(value)]] })),
      );
    }
    if (p.required && !parametersSatisfy(queryParams, queryOf(others))) constants(`query ${p.name}`, [make(`query ${p.name} missing`, { query: others })]);
  }

  // --- Headers the operation declares.
  for (const p of headerParams) {
    const bad = ['', ' ', 'a'.repeat(300), 'has spaces in it', 'ä-not-ascii', '1'].filter(
      (value) => !satisfies({ type: 'object', properties: { v: p.schema }, required: ['v'] }, { v: value.trim() }, true),
    );
    constants(`header ${p.name}`, bad.map((value) => make(`header ${p.name}=${describe(value)}`, { headers: { [p.name]: Buffer.from(value).toString('latin1') } })));
    if (p.required) constants(`header ${p.name}`, [make(`header ${p.name} missing`, { headers: { [p.name]: '\u0000drop' } })]);
  }

  // --- A body where none is taken: only what no server may read as a body is bad.
  const utf16 = (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  const foreignCharsets = [
    { type: 'application/json; charset=utf-16', bytes: utf16(JSON.stringify(baseBodyValue ?? {})) },
    { type: 'application/json; charset=UTF-16LE', bytes: utf16(JSON.stringify(baseBodyValue ?? {})) },
    { type: 'application/json; charset=iso-8859-1', bytes: Buffer.from(JSON.stringify(baseBodyValue ?? {}), 'latin1') },
    { type: 'text/plain; charset=shift_jis', bytes: Buffer.from('abc') },
  ];
  if (!bodyInfo) {
    constants('media type', foreignCharsets.map((body) => make(`a body in ${body.type}`, { body })));
    if (op.method !== 'GET') {
      constants(
        'media type',
        [
          { type: 'application/json', bytes: Buffer.from('{') },
          { type: 'application/json', bytes: Buffer.from('{"__proto__":{"x":1}}') },
          { type: 'application/x-fuzz', bytes: Buffer.from('zz') },
          { type: 'application/xml', bytes: Buffer.from('<x/>') },
        ].map((body) => make(`a body of ${body.type}: ${describe(body.bytes.toString())}`, { body })),
      );
    }
  }

  // --- JSON and form bodies.
  if (bodyInfo && bodySchema && bodyInfo.kind !== 'multipart') {
    const slots = slotsOf(bodySchema);
    const bodyIsBad = (value: unknown) => !satisfies(bodySchema, value);
    const bodyMake = (what: string, value: unknown, raw: string[] = []) => make(`body ${what}`, { body: encodeBody(value, raw)! });
    const label = (slot: Slot) => (slot.path.length ? slot.path.join('.') : '(whole body)');

    for (const slot of slots) {
      const name = label(slot);
      const set = (value: unknown) => withValue(baseBodyValue, slots, slot.path, value, ids);
      // Wrong types (form bodies carry only strings, so only JSON has types to get wrong).
      if (bodyInfo.kind === 'json') {
        const wrong = WRONG_TYPES.filter((value) => bodyIsBad(set(value)));
        constants(`body ${name}`, wrong.map((value) => bodyMake(`${name}=${describe(value)}`, set(value))));
      }
      // Missing when required; an unknown field where none is allowed.
      if (slot.path.length > 0 && slot.required && typeof slot.path[slot.path.length - 1] === 'string') {
        const without = withValue(baseBodyValue, slots, slot.path, undefined, ids, true);
        if (bodyIsBad(without)) constants(`body ${name}`, [bodyMake(`${name} missing`, without)]);
      }
      const concrete = slot.schema.anyOf?.find((b: Schema) => b.type === 'object') ?? slot.schema;
      if (concrete.type === 'object' && concrete.additionalProperties === false) {
        const extras = ['extra', 'constructor', 'x\u0000', ''].map((key) => ({ key, value: withValue(baseBodyValue, slots, [...slot.path, key], 1, ids) }));
        constants(`body ${name}`, extras.filter((e) => bodyIsBad(e.value)).map((e) => bodyMake(`${name} with an unknown field ${describe(e.key)}`, e.value)));
      }
      // Strings: huge, refused characters, whitespace alone, impossible dates.
      if (isStringSchema(slot.schema) && slot.path.length > 0) {
        const valid = String(validValue(slot.schema, String(slot.path[slot.path.length - 1]), ids));
        const huge = ['a'.repeat(HUGE), '中'.repeat(HUGE)].filter((value) => bodyIsBad(set(value)));
        constants(`body ${name}`, huge.map((value) => bodyMake(`${name}= a string of ${value.length} characters`, set(value))));
        add(`body ${name}`, refusedCharacters(valid).map(({ value, what }) => bodyMake(`${name}: ${what} (${describe(value)})`, set(value))));
        const blank = WHITESPACE_ONLY.filter((value) => bodyIsBad(set(value.trim())));
        constants(`body ${name}`, blank.map((value) => bodyMake(`${name}= whitespace only ${describe(value)}`, set(value))));
        const date = isDateSchema(slot.schema);
        if (date) {
          const impossible = date === 'date' ? IMPOSSIBLE_DATES : IMPOSSIBLE_INSTANTS;
          constants(`body ${name}`, impossible.map((value) => bodyMake(`${name}=${value}`, set(value))));
        }
      }
      // Numbers: out of range, not finite, beyond any integer column.
      if (isNumberSchema(slot.schema) && slot.path.length > 0 && bodyInfo.kind === 'json') {
        const out = NUMBERS.filter((value) => bodyIsBad(set(value)) || (value === TWO_TO_53 && isIntegerSchema(slot.schema) && (slot.schema.maximum ?? Infinity) >= TWO_TO_53));
        constants(`body ${name}`, out.map((value) => bodyMake(`${name}=${describe(value)}`, set(value))));
        constants(`body ${name}`, RAW_NUMBERS.map((token) => bodyMake(`${name}=${token} (as a JSON number)`, set('__RAW_0__'), [token])));
        constants(`body ${name}`, [bodyMake(`${name}="NaN"`, set('NaN'))].filter(() => bodyIsBad(set('NaN'))));
      }
    }

    // The whole body, as something else.
    if (bodyInfo.kind === 'json') {
      const raws: [string, string][] = [
        ['not JSON', '{'],
        ['a truncated object', '{"a":'],
        ['single quotes', "{'a':1}"],
        ['NaN', 'NaN'],
        ['a trailing comma', '[1,]'],
        ['empty', ''],
        ['a __proto__ key', '{"__proto__":{"isAdmin":true}}'],
        ['a constructor.prototype key', '{"constructor":{"prototype":{"isAdmin":true}}}'],
        ['arrays nested 5000 deep', `${'['.repeat(5000)}${']'.repeat(5000)}`],
        ['unclosed arrays nested 5000 deep', '['.repeat(5000)],
        ['over a megabyte', `{"a":"${'x'.repeat(1_100_000)}"}`],
      ];
      constants('body', raws.map(([what, text]) => make(`body ${what}`, { body: { type: 'application/json', bytes: Buffer.from(text) } })));
    }
    constants(
      'media type',
      [
        ...foreignCharsets,
        { type: 'text/plain', bytes: json(baseBodyValue) },
        { type: 'application/xml', bytes: Buffer.from('<x/>') },
        ...(bodyInfo.kind === 'json' ? [{ type: 'application/x-www-form-urlencoded', bytes: formBody(baseBodyValue) }] : []),
        multipart(Object.entries((baseBodyValue ?? {}) as Record<string, unknown>).map(([k, v]) => ({ name: k, data: typeof v === 'string' ? v : JSON.stringify(v) }))),
        { type: 'application/json; charset=utf-8; boundary=x', bytes: Buffer.from('\u0000') },
      ]
        // A media type the operation takes is no wrong one (a charset other than UTF-8 always is).
        .filter((body) => body.type.includes('charset') || !Object.keys(op.body!).includes(body.type.split(';')[0]!))
        .map((body) => make(`body in ${body.type.split(';')[0]}${body.type.includes('charset') ? ` (${body.type.split(';')[1]!.trim()})` : ''}`, { body })),
    );
    constants('body', [make('no body at all', { body: null })]);
  }

  // --- Multipart uploads: everything but one image file in the field `file`.
  if (bodyInfo?.kind === 'multipart') {
    const bodies: [string, { type: string; bytes: Buffer }][] = [
      ['JSON instead of a form', { type: 'application/json', bytes: Buffer.from('{"file":"x"}') }],
      ['text/plain instead of a form', { type: 'text/plain', bytes: Buffer.from('hello') }],
      ['a urlencoded form', { type: 'application/x-www-form-urlencoded', bytes: Buffer.from('file=x') }],
      ['a form without a file', multipart([{ name: 'note', data: 'no file here' }])],
      ['a text file', multipart([{ name: 'file', filename: 'a.png', type: 'image/png', data: 'not an image at all' }])],
      ['an empty file', multipart([{ name: 'file', filename: 'a.png', type: 'image/png', data: Buffer.alloc(0) }])],
      ['a truncated PNG', multipart([{ name: 'file', filename: 'a.png', type: 'image/png', data: fixture.png.subarray(0, 40) }])],
      ['an SVG', multipart([{ name: 'file', filename: 'a.svg', type: 'image/svg+xml', data: '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>' }])],
      ['a form whose boundary never comes', { type: 'multipart/form-data; boundary=nowhere', bytes: Buffer.from('--elsewhere\r\n\r\nx') }],
      ['a form without a boundary', { type: 'multipart/form-data', bytes: Buffer.from('x') }],
      ['a form in UTF-16', (() => {
        const form = multipart([{ name: 'file', filename: 'a.png', type: 'image/png', data: fixture.png }]);
        return { ...form, type: `${form.type}; charset=utf-16` };
      })()],
    ];
    constants('upload', bodies.map(([what, body]) => make(`upload: ${what}`, { body })));
    constants('upload', [make('upload: no body at all', { body: null })]);
  }

  return { base, generators };
}
