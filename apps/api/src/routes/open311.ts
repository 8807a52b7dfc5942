import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { Type, type TSchema } from 'typebox';
import {
  ERRORS,
  errorMessage,
  Open311Discovery,
  Open311Errors,
  Open311PostedRequest,
  Open311RequestList,
  Open311ServiceDefinition,
  Open311ServiceList,
  Open311UpdateList,
} from '@sports/contracts';
import { DomainError } from '../services/shared/errors.ts';
import * as open311 from '../services/repairs/open311.ts';
import { fileRequest, postUpdate, readerJurisdiction } from '../services/repairs/open311-filing.ts';
import { findUpdates } from '../services/repairs/open311-updates.ts';
import { given, Open311Refusal, requestFilter } from '../services/repairs/open311-requests.ts';

/**
 * Open311 GeoReport v2 at /open311/v2: every document as `.json` or `.xml` (the spec requires XML),
 * errors as its `errors[]{code, description}` list with the HTTP status it names. Reports posted here
 * enter the same workflow as residents' (DESIGN §5).
 */
interface Open311Options {
  publicBaseUrl: string;
}

const Format = Type.Enum(['json', 'xml'] as const);
type Format = 'json' | 'xml';

/** What each document's XML root and repeated element are called. */
const XML_NAMES = {
  discovery: ['discovery', 'endpoint'],
  services: ['services', 'service'],
  definition: ['service_definition', 'attribute'],
  requests: ['service_requests', 'request'],
  errors: ['errors', 'error'],
  updates: ['service_request_updates', 'request_update'],
} as const;

function answer(reply: FastifyReply, format: Format, doc: keyof typeof XML_NAMES, value: unknown, status = 200): FastifyReply {
  reply.status(status);
  if (format === 'xml') {
    const [root, item] = XML_NAMES[doc];
    return reply.type('text/xml; charset=utf-8').send(open311.toXml(root, item, value));
  }
  return reply.type('application/json; charset=utf-8').send(JSON.stringify(value));
}

/** The format asked for by the path's extension; JSON when it cannot be told (an error before routing). */
function formatOf(request: FastifyRequest): Format {
  return request.url.split('?')[0]!.endsWith('.xml') ? 'xml' : 'json';
}

/** A refusal in the spec's error form, with the HTTP status it names. */
const Open311Error = Open311Refusal;

const refuse = (reply: FastifyReply, request: FastifyRequest, status: number, description: string) =>
  answer(reply, formatOf(request), 'errors', [{ code: status, description }], status);

/**
 * Refuses a request under /open311/ that Fastify turned away before any route was chosen (a URL that
 * is not well formed, a parameter too long): in the spec's error form, as every other Open311 error.
 */
export function refuseOpen311(request: FastifyRequest, reply: FastifyReply, status: number, description: string): FastifyReply {
  return refuse(reply, request, status, description);
}

/** What an operation answers, in both formats: its document, and the spec's errors list for each refusal. */
function documents(answer: TSchema, says: string, errors: number[], status = 200) {
  const refusal = (code: number) => ({ ...Open311Errors, 'x-response-description': `${REFUSALS[code]}: the spec's errors list (XML: <errors><error>)` });
  return {
    produces: ['application/json', 'text/xml'],
    response: { [status]: { ...answer, 'x-response-description': says }, ...Object.fromEntries(errors.map((code) => [code, refusal(code)])) },
  };
}
const REFUSALS: Record<number, string> = {
  400: 'Bad input (a field missing or malformed, a point outside every jurisdiction)',
  403: 'No api_key, an unknown or revoked key, or a jurisdiction the key does not serve',
  404: 'No such document, service_code or request',
};

/** Who is asking, where the spec lets any read say so: a key, a jurisdiction (a city's adcode). */
const JurisdictionQuery = Type.Object(
  { api_key: Type.Optional(Type.String({ maxLength: 200 })), jurisdiction_id: Type.Optional(Type.String({ maxLength: 40 })) },
  { additionalProperties: false },
);

const Id = Type.String({ pattern: '^[0-9A-Za-z-]{1,40}$' });
/** A service code is a kind of equipment: `walker`, `air_walker`. */
const ServiceCode = Type.String({ pattern: '^[0-9A-Za-z_-]{1,40}$' });

const open311Routes: FastifyPluginAsyncTypebox<Open311Options> = async (fastify, { publicBaseUrl }) => {
  const tags = ['open311'];

  // The spec posts requests as HTML forms. `attribute[fault]=…` keys stay as they are. 64 kB: a
  // description of 4 000 characters, each up to 4 bytes of UTF-8 and each byte written %XX.
  fastify.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 65_536 }, (_request, body, done) => {
    const fields: Record<string, string> = {};
    for (const [key, value] of new URLSearchParams(body as string)) fields[key] = value;
    done(null, fields);
  });
  // …and as multipart forms (the spec allows them; a media file would come so). Fields only: a file
  // part is not read (media_url is how a client sends a photo here).
  fastify.removeContentTypeParser('multipart/form-data');
  fastify.addContentTypeParser('multipart/form-data', { parseAs: 'buffer', bodyLimit: 65_536 }, async (request: FastifyRequest, body: Buffer) => {
    try {
      const form = await new Response(new Uint8Array(body), { headers: { 'content-type': String(request.headers['content-type']) } }).formData();
      const fields: Record<string, string> = {};
      for (const [key, value] of form) if (typeof value === 'string') fields[key] = value;
      return fields;
    } catch {
      throw new Open311Refusal(400, 'the multipart form could not be read');
    }
  });

  fastify.setErrorHandler((err: FastifyError | DomainError | Open311Refusal, request, reply) => {
    if (err instanceof Open311Refusal) return refuse(reply, request, err.status, err.description);
    if (err instanceof DomainError) {
      const status = ERRORS[err.code].status;
      const fields = err.fields.map((f) => `${f.field}: ${f.en}`).join('; ');
      return refuse(reply, request, status, [errorMessage(err.code, 'en', err.params), fields].filter(Boolean).join(' '));
    }
    // A path that names no document (an unknown format, a malformed id) is not found, as the spec's servers answer.
    if (err.validation && err.validationContext === 'params') return refuse(reply, request, 404, 'no such document');
    if (err.validation) {
      const issues = err.validation.map((issue) => `${issue.instancePath.replace(/^\//, '') || String(issue.params.missingProperty ?? 'request')} ${issue.message ?? 'is invalid'}`);
      return refuse(reply, request, 400, issues.join('; '));
    }
    if (err.statusCode && err.statusCode < 500) return refuse(reply, request, err.statusCode, err.message);
    request.log.error({ err }, 'unhandled error');
    return refuse(reply, request, 500, 'internal error');
  });
  fastify.setNotFoundHandler((request, reply) => {
    const allow = fastify.allowedMethods(request.url);
    if (allow.length === 0) return refuse(reply, request, 404, 'no such document');
    reply.header('allow', allow.join(', '));
    return refuse(reply, request, 405, `${request.method} is not allowed here; allowed: ${allow.join(', ')}`);
  });

  fastify.get(
    '/discovery.:format',
    { schema: { operationId: 'open311Discovery', ...documents(Open311Discovery, 'The discovery document (XML: <discovery>)', [404]), tags, summary: 'Open311 discovery', params: Type.Object({ format: Format }) } },
    async (request, reply) =>
      answer(reply, request.params.format, 'discovery', {
        changeset: '2026-11-23T00:00:00Z',
        contact: '各市体育局 The city sports bureau',
        key_service: `${publicBaseUrl}/console/open311`,
        endpoints: [
          {
            specification: 'http://wiki.open311.org/GeoReport_v2',
            url: `${publicBaseUrl}/open311/v2`,
            changeset: '2026-11-23T00:00:00Z',
            type: 'production',
            formats: ['text/xml', 'application/json'],
          },
        ],
      }),
  );

  fastify.get(
    '/services.:format',
    { schema: { operationId: 'open311ListServices', ...documents(Open311ServiceList, 'One service per kind of equipment (XML: <services><service>)', [400, 403, 404]), tags, summary: 'Open311 service list: one service per kind of equipment, the same in every jurisdiction', params: Type.Object({ format: Format }), querystring: JurisdictionQuery } },
    async (request, reply) => {
      // Every jurisdiction offers the same services; an unknown one, or a key of another city, is still refused.
      await readerJurisdiction(fastify.db, request.query);
      return answer(reply, request.params.format, 'services', open311.services());
    },
  );

  fastify.get(
    '/services/:code.:format',
    { schema: { operationId: 'open311GetServiceDefinition', ...documents(Open311ServiceDefinition, 'The attributes a request of this service takes (XML: <service_definition>)', [400, 403, 404]), tags, summary: 'Open311 service definition: the fault choices of a kind of equipment', params: Type.Object({ code: ServiceCode, format: Format }), querystring: JurisdictionQuery } },
    async (request, reply) => {
      await readerJurisdiction(fastify.db, request.query);
      const definition = open311.serviceDefinition(request.params.code);
      if (!definition) throw new Open311Error(404, `service_code ${request.params.code} not found`);
      return answer(reply, request.params.format, 'definition', definition);
    },
  );

  fastify.post(
    '/requests.:format',
    {
      schema: {
        operationId: 'open311PostRequest',
        ...documents(Open311PostedRequest, 'Filed: the new request’s service_request_id (XML: <service_requests><request>)', [400, 403, 404], 201),
        tags,
        summary: 'Open311 post a request (form-encoded, with api_key); it enters the repair workflow',
        // The spec posts HTML forms; multipart forms and a JSON object of the same fields are taken too.
        consumes: ['application/x-www-form-urlencoded', 'multipart/form-data', 'application/json'],
        params: Type.Object({ format: Format }),
        body: Type.Object(
          {
            api_key: Type.Optional(Type.String({ maxLength: 200 })),
            jurisdiction_id: Type.Optional(Type.String({ maxLength: 40 })),
            service_code: Type.String({ minLength: 1, maxLength: 40 }),
            lat: Type.Optional(Type.String({ maxLength: 40 })),
            long: Type.Optional(Type.String({ maxLength: 40 })),
            address_string: Type.Optional(Type.String({ maxLength: 200 })),
            address_id: Type.Optional(Type.String({ maxLength: 40 })),
            description: Type.Optional(Type.String({ maxLength: 4000 })),
            phone: Type.Optional(Type.String({ maxLength: 20 })),
          },
          { additionalProperties: Type.String({ maxLength: 500 }) },
        ),
      },
    },
    async (request, reply) => {
      const filed = await fileRequest(fastify.db, request.body, request.ip, fastify.now());
      return answer(reply, request.params.format, 'requests', [{ ...filed, service_notice: '', account_id: '' }], 201);
    },
  );

  const Text = (maxLength: number) => Type.Optional(Type.String({ maxLength }));
  const RequestsQuery = Type.Object(
    {
      api_key: Text(200),
      jurisdiction_id: Text(40),
      // Comma lists; an unknown value matches nothing. Empty values are as if not sent.
      service_request_id: Type.Optional(Type.String({ pattern: '^\\s*([0-9A-Za-z]{1,20}\\s*(,\\s*[0-9A-Za-z]{1,20}\\s*){0,999})?$', maxLength: 22_000 })),
      service_code: Text(1000),
      start_date: Text(40),
      end_date: Text(40),
      status: Text(200),
      page: Text(6),
      page_size: Text(6),
    },
    { additionalProperties: false },
  );

  fastify.get(
    '/requests.:format',
    {
      schema: {
        operationId: 'open311ListRequests',
        ...documents(Open311RequestList, 'The requests that match, newest first (XML: <service_requests><request>)', [400, 403, 404]),
        tags,
        summary: 'Open311 requests: the spec’s filters (comma lists; the last 90 days; at most 1 000) plus page and page_size',
        params: Type.Object({ format: Format }),
        querystring: RequestsQuery,
      },
    },
    async (request, reply) => {
      const place = await readerJurisdiction(fastify.db, request.query);
      const filter = requestFilter(request.query, place?.timeZone ?? 'Asia/Shanghai', fastify.now(), place?.code);
      const found = filter.matchesNothing ? [] : await open311.findRequests(fastify.db, filter, publicBaseUrl);
      return answer(reply, request.params.format, 'requests', found);
    },
  );

  fastify.get(
    '/servicerequestupdates.:format',
    {
      schema: {
        operationId: 'open311ListUpdates',
        ...documents(Open311UpdateList, 'The public updates in the window, oldest first (XML: <service_request_updates><request_update>)', [400, 403, 404]),
        tags,
        summary: 'Open311 service request updates (the extension): each public event of the requests, start_date to end_date (the last 90 days by default)',
        params: Type.Object({ format: Format }),
        querystring: Type.Object(
          {
            api_key: Text(200),
            jurisdiction_id: Text(40),
            service_request_id: RequestsQuery.properties.service_request_id,
            start_date: Text(40),
            end_date: Text(40),
            page: Text(6),
            page_size: Text(6),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const q = request.query;
      const place = await readerJurisdiction(fastify.db, q);
      const window = requestFilter({ ...q, service_request_id: undefined }, place?.timeZone ?? 'Asia/Shanghai', fastify.now(), place?.code);
      const ids = given(q.service_request_id)
        ?.split(',')
        .map((id) => id.trim().toUpperCase())
        .filter(Boolean);
      const filter = { start: window.start!, end: window.end!, page: window.page, pageSize: window.pageSize, ...(place ? { cityCode: place.code } : {}), ...(ids?.length ? { ids } : {}) };
      return answer(reply, request.params.format, 'updates', await findUpdates(fastify.db, filter));
    },
  );

  fastify.post(
    '/servicerequestupdates.:format',
    {
      schema: {
        operationId: 'open311PostUpdate',
        ...documents(Open311UpdateList, 'Added: the new update (XML: <service_request_updates><request_update>)', [400, 403, 404], 201),
        tags,
        summary: 'Open311 post an update (the extension) to a request the client filed itself',
        consumes: ['application/x-www-form-urlencoded', 'multipart/form-data', 'application/json'],
        params: Type.Object({ format: Format }),
        body: Type.Object(
          {
            api_key: Text(200),
            service_request_id: Type.String({ pattern: '^\\s*[0-9A-Za-z]{1,20}\\s*$', maxLength: 40 }),
            description: Type.String({ maxLength: 4000 }),
          },
          { additionalProperties: Type.String({ maxLength: 500 }) },
        ),
      },
    },
    async (request, reply) => {
      const update = await postUpdate(fastify.db, request.body, fastify.now());
      return answer(reply, request.params.format, 'updates', [update], 201);
    },
  );

  fastify.get(
    '/requests/:id.:format',
    { schema: { operationId: 'open311GetRequest', ...documents(Open311RequestList, 'The request, as a list of one (XML: <service_requests><request>)', [403, 404]), tags, summary: 'Open311 one request', params: Type.Object({ id: Id, format: Format }), querystring: Type.Object({ api_key: Text(200), jurisdiction_id: Text(40) }, { additionalProperties: false }) } },
    async (request, reply) => {
      const place = await readerJurisdiction(fastify.db, request.query);
      const filter = { ids: [request.params.id.toUpperCase()], page: 1, pageSize: 1, ...(place ? { cityCode: place.code } : {}) };
      const [found] = await open311.findRequests(fastify.db, filter, publicBaseUrl);
      if (!found) throw new Open311Error(404, `service_request_id ${request.params.id} not found`);
      return answer(reply, request.params.format, 'requests', [found]);
    },
  );

  fastify.get(
    '/tokens/:token.:format',
    { schema: { operationId: 'open311GetToken', ...documents(Open311RequestList, 'The request the token stands for, as a list of one (XML: <service_requests><request>)', [404]), tags, summary: 'Open311 the request a token stands for', params: Type.Object({ token: Id, format: Format }) } },
    async (request, reply) => {
      const found = await open311.requestForToken(fastify.db, request.params.token);
      if (!found) throw new Open311Error(404, `token ${request.params.token} not found`);
      return answer(reply, request.params.format, 'requests', [found]);
    },
  );
};

export default open311Routes;
