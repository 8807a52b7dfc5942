import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import fastifyMultipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import fp from 'fastify-plugin';
import { localUploadStore, type UploadStore } from '../../services/photos.ts';

declare module 'fastify' {
  interface FastifyInstance {
    uploads: UploadStore;
  }
}

export interface UploadsPluginOptions {
  dataDir: string;
  /** Largest accepted upload, bytes. */
  maxBytes: number;
}

/** Uploaded files: stored under DATA_DIR/uploads, served read-only at /media/. */
export default fp<UploadsPluginOptions>(
  async (fastify, opts) => {
    const root = path.join(opts.dataDir, 'uploads');
    await mkdir(root, { recursive: true });
    fastify.decorate('uploads', localUploadStore(root));
    await fastify.register(fastifyMultipart, { limits: { fileSize: opts.maxBytes, files: 1, fields: 5 } });
    await fastify.register(fastifyStatic, {
      root,
      prefix: '/media/',
      decorateReply: false,
      index: false,
      immutable: true,
      maxAge: '365d',
    });
  },
  { name: 'uploads', dependencies: ['errors'] },
);
