import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { ERRORS, errorMessage, type ReportTicketBody } from '@sports/contracts';
import { ASSET_CATALOGUE, ASSET_TYPES, type AssetType } from '@sports/domain';
import { DomainError } from '../services/errors.ts';
import * as open311 from '../services/open311.ts';
import { reportTicket } from '../services/tickets.ts';

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

class Open311Error extends Error {
  constructor(
    readonly status: number,
    readonly description: string,
  ) {
    super(description);
  }
}

const refuse = (reply: FastifyReply, request: FastifyRequest, status: number, description: string) =>
  answer(reply, formatOf(request), 'errors', [{ code: status, description }], status);

/**
 * Refuses a request under /open311/ that Fastify turned away before any route was chosen (a URL that
 * is not well formed, a parameter too long): in the spec's error form, as every other Open311 error.
 */
export function refuseOpen311(request: FastifyRequest, reply: FastifyReply, status: number, description: string): FastifyReply {
  return refuse(reply, request, status, description);
}

const Id = Type.String({ pattern: '^[0-9A-Za-z-]{1,40}$' });
/** A service code is a kind of equipment: `walker`, `air_walker`. */
const ServiceCode = Type.String({ pattern: '^[0-9A-Za-z_-]{1,40}$' });
const Numeric = Type.String({ pattern: '^-?\\d{1,3}(\\.\\d+)?$' });
const PageNumber = Type.Integer({ minimum: 1, maximum: 10_000, default: 1 });

const open311Routes: FastifyPluginAsyncTypebox<Open311Options> = async (fastify, { publicBaseUrl }) => {
  const tags = ['open311'];

  // The spec posts requests as HTML forms. `attribute[fault]=…` keys stay as they are.
  fastify.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 16_384 }, (_request, body, done) => {
    const fields: Record<string, string> = {};
    for (const [key, value] of new URLSearchParams(body as string)) fields[key] = value;
    done(null, fields);
  });

  fastify.setErrorHandler((err: FastifyError | DomainError | Open311Error, request, reply) => {
    if (err instanceof Open311Error) return refuse(reply, request, err.status, err.description);
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
  fastify.setNotFoundHandler((request, reply) => refuse(reply, request, 404, 'no such document'));

  fastify.get(
    '/discovery.:format',
    { schema: { tags, summary: 'Open311 discovery', params: Type.Object({ format: Format }) } },
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
    { schema: { tags, summary: 'Open311 service list: one service per kind of equipment', params: Type.Object({ format: Format }) } },
    async (request, reply) => answer(reply, request.params.format, 'services', open311.services()),
  );

  fastify.get(
    '/services/:code.:format',
    { schema: { tags, summary: 'Open311 service definition: the fault choices of a kind of equipment', params: Type.Object({ code: ServiceCode, format: Format }) } },
    async (request, reply) => {
      const definition = open311.serviceDefinition(request.params.code);
      if (!definition) throw new Open311Error(404, `service_code ${request.params.code} not found`);
      return answer(reply, request.params.format, 'definition', definition);
    },
  );

  fastify.post(
    '/requests.:format',
    {
      schema: {
        tags,
        summary: 'Open311 post a request (form-encoded, with api_key); it enters the repair workflow',
        // The spec posts HTML forms; a JSON object of the same fields is taken too.
        consumes: ['application/x-www-form-urlencoded', 'application/json'],
        params: Type.Object({ format: Format }),
        body: Type.Object(
          {
            api_key: Type.String({ minLength: 1, maxLength: 200 }),
            service_code: Type.String({ minLength: 1, maxLength: 40 }),
            lat: Type.Optional(Numeric),
            long: Type.Optional(Numeric),
            address_string: Type.Optional(Type.String({ maxLength: 200 })),
            description: Type.Optional(Type.String({ maxLength: 500 })),
            phone: Type.Optional(Type.String({ maxLength: 20 })),
          },
          { additionalProperties: Type.String({ maxLength: 500 }) },
        ),
      },
    },
    async (request, reply) => {
      const body = request.body;
      const client = await open311.clientByKey(fastify.db, body.api_key);
      if (!client) throw new Open311Error(403, 'api_key is not valid');
      if (!(ASSET_TYPES as readonly string[]).includes(body.service_code)) throw new Open311Error(404, `service_code ${body.service_code} not found`);
      const category = body.service_code as AssetType;
      const fault = (body as Record<string, string>)['attribute[fault]'];
      if (!fault || !ASSET_CATALOGUE[category].faults.some((f) => f.key === fault)) {
        throw new Open311Error(400, `attribute[fault] is required: one of ${ASSET_CATALOGUE[category].faults.map((f) => f.key).join(', ')}`);
      }
      const assetCode = (body as Record<string, string>)['attribute[asset_code]']?.trim();
      const report: ReportTicketBody = { category, fault, ...(body.description?.trim() ? { description: body.description.trim() } : {}) };
      if (assetCode) report.assetCode = assetCode;
      else if (body.lat !== undefined && body.long !== undefined) {
        report.lat = Number(body.lat);
        report.lng = Number(body.long);
        if (Math.abs(report.lat) > 90 || Math.abs(report.lng) > 180) throw new Open311Error(400, 'lat/long out of range');
      } else throw new Open311Error(400, 'lat and long (or attribute[asset_code]) are required');
      if (body.phone && /^1[3-9]\d{9}$/.test(body.phone)) report.phone = body.phone;
      const id = await reportTicket(fastify.db, null, report, { ip: request.ip, open311ClientId: client.id }, fastify.now());
      const token = await open311.requestForToken(fastify.db, id);
      return answer(reply, request.params.format, 'requests', [{ service_request_id: token!.service_request_id, token: id, service_notice: '', account_id: '' }], 201);
    },
  );

  const RequestsQuery = Type.Object(
    {
      service_request_id: Type.Optional(Type.String({ pattern: '^[0-9A-Za-z]{1,20}(,[0-9A-Za-z]{1,20}){0,49}$' })),
      // Only the codes there are: an unknown one is a 400, not a query the database refuses.
      service_code: Type.Optional(Type.Enum(ASSET_TYPES)),
      start_date: Type.Optional(Type.String({ format: 'date-time' })),
      end_date: Type.Optional(Type.String({ format: 'date-time' })),
      status: Type.Optional(Type.Enum(['open', 'closed'] as const)),
      jurisdiction_id: Type.Optional(Type.String({ maxLength: 40 })),
      page: Type.Optional(PageNumber),
      page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 50 })),
    },
    { additionalProperties: false },
  );

  fastify.get(
    '/requests.:format',
    { schema: { tags, summary: 'Open311 requests: the spec’s filters plus page and page_size', params: Type.Object({ format: Format }), querystring: RequestsQuery } },
    async (request, reply) => {
      const q = request.query;
      const filter: open311.RequestFilter = { page: q.page ?? 1, pageSize: q.page_size ?? 50 };
      if (q.service_request_id) filter.ids = q.service_request_id.split(',').map((id) => id.toUpperCase());
      if (q.service_code) filter.serviceCode = q.service_code;
      if (q.start_date) filter.start = new Date(q.start_date);
      if (q.end_date) filter.end = new Date(q.end_date);
      if (filter.start && filter.end && filter.start > filter.end) throw new Open311Error(400, 'start_date must not be after end_date');
      if (q.status) filter.status = q.status;
      return answer(reply, request.params.format, 'requests', await open311.findRequests(fastify.db, filter, publicBaseUrl, fastify.now()));
    },
  );

  fastify.get(
    '/requests/:id.:format',
    { schema: { tags, summary: 'Open311 one request', params: Type.Object({ id: Id, format: Format }) } },
    async (request, reply) => {
      const [found] = await open311.findRequests(fastify.db, { ids: [request.params.id.toUpperCase()], page: 1, pageSize: 1 }, publicBaseUrl, fastify.now());
      if (!found) throw new Open311Error(404, `service_request_id ${request.params.id} not found`);
      return answer(reply, request.params.format, 'requests', [found]);
    },
  );

  fastify.get(
    '/tokens/:token.:format',
    { schema: { tags, summary: 'Open311 the request a token stands for', params: Type.Object({ token: Id, format: Format }) } },
    async (request, reply) => {
      const found = await open311.requestForToken(fastify.db, request.params.token);
      if (!found) throw new Open311Error(404, `token ${request.params.token} not found`);
      return answer(reply, request.params.format, 'requests', [found]);
    },
  );
};

export default open311Routes;
