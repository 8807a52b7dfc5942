import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fp from 'fastify-plugin';
import * as contracts from '@sports/contracts';
import { finishDocument, schemaRegistry, type OpenApiDocument } from './openapi-document.ts';

/** OpenAPI generated from the route schemas, served at /api/openapi.json and browsable at /api/docs. */
export interface SwaggerOptions {
  publicBaseUrl: string;
}

export default fp<SwaggerOptions>(
  async (fastify, { publicBaseUrl }) => {
    const registry = schemaRegistry(contracts);
    await fastify.register(swagger, {
      transformObject: (document) =>
        'openapiObject' in document ? (finishDocument(document.openapiObject as OpenApiDocument, registry, publicBaseUrl) as typeof document.openapiObject) : document.swaggerObject,
      openapi: {
        openapi: '3.1.0',
        info: {
          title: '城市体育设施平台 API · City sports-facility platform API',
          version: '1.0.0',
          description: 'Errors are application/problem+json (RFC 9457) with a stable `code`.',
        },
        components: {
          securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
        },
      },
    });
    await fastify.register(swaggerUi, { routePrefix: '/api/docs' });
    fastify.get('/api/openapi.json', { schema: { hide: true } }, async () => fastify.swagger());
  },
  { name: 'swagger' },
);
