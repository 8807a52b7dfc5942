import type { FastifySchema } from 'fastify';
import { Problem } from '@sports/contracts';

/** Response schemas for the error statuses a route can answer with (all problem+json). */
export function problems<const S extends readonly number[]>(...statuses: S): Record<S[number], typeof Problem> {
  return Object.fromEntries(statuses.map((s) => [s, Problem])) as Record<S[number], typeof Problem>;
}

export const bearer = [{ bearer: [] }];

/**
 * Route config of an upload: the handler reads the multipart stream itself (so there is no body
 * schema to validate), but the OpenAPI document still says what the route takes, a form with one
 * image in the field `file`.
 */
export const multipartUpload = {
  swaggerTransform: ({ schema, url }: { schema: FastifySchema; url: string }) => ({
    schema: {
      ...schema,
      body: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary', description: 'JPEG, PNG or WebP' } } },
    } as FastifySchema,
    url,
  }),
};
