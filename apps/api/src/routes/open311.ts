import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { ERRORS, errorMessage, type ReportTicketBody } from '@sports/contracts';
import { ASSET_CATALOGUE, ASSET_TYPES, type AssetType } from '@sports/domain';
import { DomainError } from '../services/errors.ts';
import * as open311 from '../services/open311.ts';
import { addClientUpdate, findUpdates } from '../services/open311-updates.ts';
import { cityOfAsset, cityOfPoint, cityOfVenue, given, jurisdictionOf, Open311Refusal, requestFilter, venueForAddress } from '../services/open311-requests.ts';
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

const Id = Type.String({ pattern: '^[0-9A-Za-z-]{1,40}$' });
/** A service code is a kind of equipment: `walker`, `air_walker`. */
const ServiceCode = Type.String({ pattern: '^[0-9A-Za-z_-]{1,40}$' });
const NUMERIC = /^-?\d{1,3}(\.\d+)?$/;

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
      const body = request.body;
      const fields = body as Record<string, string>;
      const key = given(body.api_key);
      // The spec: a missing or wrong key is 403.
      if (key === undefined) throw new Open311Error(403, 'api_key is required to post a request');
      const client = await open311.clientByKey(fastify.db, key);
      if (!client) throw new Open311Error(403, 'api_key is not valid');
      const place = await jurisdictionOf(fastify.db, client.cityCode, given(body.jurisdiction_id));
      const city = place!.code;
      if (!(ASSET_TYPES as readonly string[]).includes(body.service_code)) throw new Open311Error(404, `service_code ${body.service_code} not found`);
      const category = body.service_code as AssetType;
      const fault = fields['attribute[fault]'];
      if (!fault || !ASSET_CATALOGUE[category].faults.some((f) => f.key === fault)) {
        throw new Open311Error(400, `attribute[fault] is required: one of ${ASSET_CATALOGUE[category].faults.map((f) => f.key).join(', ')}`);
      }
      const elsewhere = `this api_key files requests only into jurisdiction_id ${city}`;
      const assetCode = given(fields['attribute[asset_code]']);
      // Passed on as sent, up to the spec's 4 000 characters (the ticket service still trims its ends).
      const report: ReportTicketBody = { category, fault, ...(body.description !== undefined && body.description.trim() !== '' ? { description: body.description } : {}) };
      const lat = given(body.lat);
      const long = given(body.long);
      const addressId = given(body.address_id);
      const address = given(body.address_string);
      if (assetCode) {
        const assetCity = await cityOfAsset(fastify.db, assetCode);
        if (assetCity !== undefined && assetCity !== city) throw new Open311Error(403, elsewhere);
        report.assetCode = assetCode;
      } else if (lat !== undefined || long !== undefined) {
        if (lat === undefined || long === undefined) throw new Open311Error(400, 'lat and long must be given together');
        if (!NUMERIC.test(lat) || !NUMERIC.test(long)) throw new Open311Error(400, 'lat and long must be decimal degrees (WGS-84)');
        report.lat = Number(lat);
        report.lng = Number(long);
        if (Math.abs(report.lat) > 90 || Math.abs(report.lng) > 180) throw new Open311Error(400, 'lat/long out of range');
        const pointCity = await cityOfPoint(fastify.db, report.lat, report.lng);
        if (pointCity === undefined) throw new Open311Error(400, 'lat/long lies outside every jurisdiction this server serves');
        if (pointCity !== city) throw new Open311Error(403, elsewhere);
      } else if (addressId !== undefined) {
        // An address_id is a venue of the registry (as GET requests answers it).
        const venueCity = await cityOfVenue(fastify.db, addressId);
        if (venueCity === undefined) throw new Open311Error(400, `address_id ${addressId} is no venue of the registry`);
        if (venueCity !== city) throw new Open311Error(403, elsewhere);
        report.venueId = addressId.toLowerCase();
      } else if (address !== undefined) {
        report.venueId = await venueForAddress(fastify.db, city, address);
      } else throw new Open311Error(400, 'lat and long, address_string, address_id or attribute[asset_code] is required');
      if (body.phone && /^1[3-9]\d{9}$/.test(body.phone)) report.phone = body.phone;
      const id = await reportTicket(fastify.db, null, report, { ip: request.ip, open311ClientId: client.id }, fastify.now());
      const created = await open311.requestForToken(fastify.db, id);
      // The spec: service_request_id, or a token when there is none yet; the ticket exists at once, so the id.
      return answer(reply, request.params.format, 'requests', [{ service_request_id: created!.service_request_id, service_notice: '', account_id: '' }], 201);
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

  /** The caller's jurisdiction: its key's city (an unknown key is 403), else jurisdiction_id, else every city. */
  async function readerJurisdiction(query: { api_key?: string; jurisdiction_id?: string }) {
    const key = given(query.api_key);
    let keyCity: string | undefined;
    if (key !== undefined) {
      const client = await open311.clientByKey(fastify.db, key);
      if (!client) throw new Open311Error(403, 'api_key is not valid');
      keyCity = client.cityCode;
    }
    return jurisdictionOf(fastify.db, keyCity, given(query.jurisdiction_id));
  }

  fastify.get(
    '/requests.:format',
    {
      schema: {
        tags,
        summary: 'Open311 requests: the spec’s filters (comma lists; the last 90 days; at most 1 000) plus page and page_size',
        params: Type.Object({ format: Format }),
        querystring: RequestsQuery,
      },
    },
    async (request, reply) => {
      const place = await readerJurisdiction(request.query);
      const filter = requestFilter(request.query, place?.timeZone ?? 'Asia/Shanghai', fastify.now(), place?.code);
      const found = filter.matchesNothing ? [] : await open311.findRequests(fastify.db, filter, publicBaseUrl);
      return answer(reply, request.params.format, 'requests', found);
    },
  );

  fastify.get(
    '/servicerequestupdates.:format',
    {
      schema: {
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
      const place = await readerJurisdiction(q);
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
      const key = given(request.body.api_key);
      if (key === undefined) throw new Open311Error(403, 'api_key is required to post an update');
      const client = await open311.clientByKey(fastify.db, key);
      if (!client) throw new Open311Error(403, 'api_key is not valid');
      if (request.body.description.trim() === '') throw new Open311Error(400, 'description is required');
      const update = await addClientUpdate(fastify.db, client.id, request.body.service_request_id.trim().toUpperCase(), request.body.description, fastify.now());
      return answer(reply, request.params.format, 'updates', [update], 201);
    },
  );

  fastify.get(
    '/requests/:id.:format',
    { schema: { tags, summary: 'Open311 one request', params: Type.Object({ id: Id, format: Format }), querystring: Type.Object({ api_key: Text(200), jurisdiction_id: Text(40) }, { additionalProperties: false }) } },
    async (request, reply) => {
      const place = await readerJurisdiction(request.query);
      const filter = { ids: [request.params.id.toUpperCase()], page: 1, pageSize: 1, ...(place ? { cityCode: place.code } : {}) };
      const [found] = await open311.findRequests(fastify.db, filter, publicBaseUrl);
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
