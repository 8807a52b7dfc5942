import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { MapSettings, VenueFeatureCollection, VenueFilters } from '@sports/contracts';
import { venuesGeoJson } from '../../../../services/venues.ts';
import { problems } from '../../../responses.ts';

export interface MapRoutesOptions {
  tiles: MapSettings;
}

const mapRoutes: FastifyPluginAsyncTypebox<MapRoutesOptions> = async (fastify, { tiles }) => {
  fastify.get(
    '/settings',
    {
      schema: {
        tags: ['venues'],
        summary: '地图设置 Tile source for the map page and the coordinate system of its tiles',
        response: { 200: MapSettings },
      },
    },
    async () => tiles,
  );

  fastify.get(
    '/venues.geojson',
    {
      schema: {
        tags: ['venues'],
        summary: '体育地图 Public venues as GeoJSON (RFC 7946), same filters as the list',
        querystring: VenueFilters,
        response: { 200: VenueFeatureCollection, ...problems(400) },
      },
    },
    async (request, reply) => {
      const geojson = await venuesGeoJson(fastify.db, request.query, fastify.now());
      // Already JSON text, written by the database; Fastify sends a string as it is.
      return reply.type('application/geo+json').serializer((text) => text as string).send(geojson as never);
    },
  );
};

export default mapRoutes;
