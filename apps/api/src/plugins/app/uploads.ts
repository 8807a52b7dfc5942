import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import fastifyMultipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import fp from 'fastify-plugin';
import type { FastifyRequest } from 'fastify';
import { DomainError, fieldProblem } from '../../services/shared/errors.ts';
import { localUploadStore, type UploadStore } from '../../services/venues/photos.ts';

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

/**
 * The one file of an upload (multipart field `file`), as bytes. A body that is no multipart form is
 * 415; a form without a file is UNSUPPORTED_IMAGE; a form the parser cannot read to its end (a
 * boundary that never comes, a part cut short) is 400; past the size limit stays 413.
 */
export async function uploadedFile(request: FastifyRequest): Promise<Buffer> {
  if (!request.isMultipart()) throw new DomainError('UNSUPPORTED_MEDIA_TYPE');
  try {
    const file = await request.file();
    if (!file) throw new DomainError('UNSUPPORTED_IMAGE');
    return await file.toBuffer();
  } catch (err) {
    if (err instanceof DomainError || (err as { statusCode?: number }).statusCode === 413) throw err;
    throw new DomainError('VALIDATION_FAILED', {}, [fieldProblem('file', '上传的表单不完整或已损坏', 'the multipart form is broken or cut short')]);
  }
}

/** Uploaded files: stored under DATA_DIR/uploads, served read-only at /media/. */
export default fp<UploadsPluginOptions>(
  async (fastify, opts) => {
    const root = path.join(opts.dataDir, 'uploads');
    await mkdir(root, { recursive: true });
    fastify.decorate('uploads', localUploadStore(root));
    await fastify.register(fastifyMultipart, { limits: { fileSize: opts.maxBytes, files: 1, fields: 5 } });
    await fastify.register(async (media) => {
      // What the file server refuses (a path that would leave the folder, `/media/../x`; a folder;
      // a name it cannot open) is a file that is not there: 404 problem+json, never a 500.
      media.setErrorHandler((err: { statusCode?: number }, _request, reply) => {
        if (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500) return reply.callNotFound();
        throw err;
      });
      await media.register(fastifyStatic, {
        root,
        prefix: '/media/',
        decorateReply: false,
        index: false,
        immutable: true,
        maxAge: '365d',
      });
    });
  },
  { name: 'uploads', dependencies: ['errors'] },
);
