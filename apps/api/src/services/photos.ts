import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { DomainError } from './errors.ts';

/** Where uploaded files live. Local folder today; an S3-compatible store implements the same. */
export interface UploadStore {
  put(key: string, data: Buffer): Promise<void>;
  remove(key: string): Promise<void>;
}

export function localUploadStore(root: string): UploadStore {
  const resolve = (key: string) => {
    const file = path.resolve(root, key);
    if (!file.startsWith(path.resolve(root) + path.sep)) throw new Error(`upload key escapes the store: ${key}`);
    return file;
  };
  return {
    async put(key, data) {
      const file = resolve(key);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, data);
    },
    async remove(key) {
      await rm(resolve(key), { force: true });
    },
  };
}

const ACCEPTED = new Set(['jpeg', 'png', 'webp']);
const MAX_PIXELS = 40_000_000;

export interface ProcessedPhoto {
  full: Buffer;
  thumb: Buffer;
  width: number;
  height: number;
}

/**
 * Trusts the bytes, not the file name or the declared type: sniffs the format, refuses anything but
 * JPEG, PNG and WebP, applies the EXIF orientation, and re-encodes to WebP. Re-encoding drops every
 * piece of metadata (EXIF GPS position, camera serials, comments).
 */
export async function processPhoto(upload: Buffer): Promise<ProcessedPhoto> {
  let format: string | undefined;
  try {
    format = (await sharp(upload, { limitInputPixels: MAX_PIXELS }).metadata()).format;
  } catch {
    throw new DomainError('UNSUPPORTED_IMAGE');
  }
  if (!format || !ACCEPTED.has(format)) throw new DomainError('UNSUPPORTED_IMAGE');
  const base = sharp(upload, { limitInputPixels: MAX_PIXELS }).rotate();
  const { data: full, info } = await base
    .clone()
    .resize({ width: 1600, height: 1600, fit: 'inside', withoutEnlargement: true })
    .webp({ quality: 82 })
    .toBuffer({ resolveWithObject: true });
  const thumb = await base.clone().resize({ width: 320, height: 240, fit: 'cover' }).webp({ quality: 75 }).toBuffer();
  return { full, thumb, width: info.width, height: info.height };
}
