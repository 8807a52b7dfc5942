import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { MapSettings, VenueFeatureCollection, VenueFilters } from '@sports/contracts';
import {
  bodyTag,
  COMPRESS_THRESHOLD,
  CompressedCopies,
  entityTag,
  negotiateCoding,
  noneMatchHits,
} from '../../../../plugins/external/compress.ts';
import { venuesGeoJson } from '../../../../services/venues/venue-reads.ts';
import { problems } from '../../../responses.ts';

export interface MapRoutesOptions {
  tiles: MapSettings;
}

const mapRoutes: FastifyPluginAsyncTypebox<MapRoutesOptions> = async (fastify, { tiles }) => {
  fastify.get(
    '/settings',
    {
      schema: {
        operationId: 'getMapSettings',
        tags: ['venues'],
        summary: '地图设置 Tile source for the map page and the coordinate system of its tiles',
        response: { 200: MapSettings },
      },
    },
    async () => tiles,
  );

  const copies = new CompressedCopies();
  fastify.get(
    '/venues.geojson',
    {
      // Encoded here, once per distinct collection, rather than by the compress plugin per request.
      compress: false,
      schema: {
        operationId: 'getVenuesGeoJson',
        produces: ['application/geo+json'],
        tags: ['venues'],
        summary: '体育地图 Public venues as GeoJSON (RFC 7946), same filters as the list',
        querystring: VenueFilters,
        response: {
          200: VenueFeatureCollection,
          304: Type.Null({ description: 'Not modified: the client already has this collection (If-None-Match)' }),
          ...problems(400),
        },
      },
    },
    async (request, reply) => {
      const body = Buffer.from(await venuesGeoJson(fastify.db, request.query, fastify.now()));
      // Already JSON, written by the database; Fastify sends a Buffer as it is. The tag is the hash
      // of the bytes, so it changes exactly when the collection does (a venue edited, opening or
      // closing); a client that has it hears 304 with no body. Each coding has its own strong tag.
      const tag = bodyTag(body);
      const coding = body.length >= COMPRESS_THRESHOLD ? negotiateCoding(request.headers['accept-encoding']) : undefined;
      reply
        .type('application/geo+json')
        .header('vary', 'accept-encoding')
        .header('cache-control', 'no-cache')
        .header('etag', entityTag(tag, coding));
      if (noneMatchHits(request.headers['if-none-match'], tag)) return reply.code(304).send(null);
      if (!coding) return reply.send(body as never);
      return reply.header('content-encoding', coding).send((await copies.get(tag, coding, body)) as never);
    },
  );
};

export default mapRoutes;
