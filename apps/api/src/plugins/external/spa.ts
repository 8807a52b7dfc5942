import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import fp from 'fastify-plugin';

export interface SpaPluginOptions {
  root: string;
}

/**
 * Serves the built web app. Any GET for a page that is not a file, the API or the docs answers with
 * index.html, so deep links such as /console/organisations work on reload. Hashed files under
 * assets/ are cached for a year; everything else (index.html) is revalidated on each visit.
 */
export default fp<SpaPluginOptions>(
  async (fastify, opts) => {
    const index = path.join(opts.root, 'index.html');
    if (!existsSync(index)) {
      fastify.log.warn({ root: opts.root }, 'web app not built: only the API is served');
      return;
    }
    await fastify.register(fastifyStatic, {
      root: opts.root,
      wildcard: false,
      index: false,
      // The build writes a .br and a .gz beside each text file (apps/web/vite.config.ts); a client
      // gets the one it accepts, with the original's Content-Type and `Vary: Accept-Encoding`.
      preCompressed: true,
      setHeaders: (res, filePath) => {
        const hashed = filePath.includes(`${path.sep}assets${path.sep}`);
        res.header('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
    fastify.get('/*', { schema: { hide: true } }, (request, reply) => {
      const url = request.url.split('?')[0]!;
      if (url.startsWith('/api/') || url.startsWith('/open311/')) return reply.callNotFound();
      // Files of the build have routes of their own; a missing file is a 404, not the app.
      if (path.extname(url) !== '') return reply.callNotFound();
      reply.header('cache-control', 'no-cache');
      return reply.sendFile('index.html');
    });
  },
  { name: 'spa', dependencies: ['errors'] },
);
