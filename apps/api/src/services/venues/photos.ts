import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp, { type Metadata } from 'sharp';
import { DomainError } from '../shared/errors.ts';

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

/**
 * The most pixels an upload may have: 24 million (6000 × 4000, a phone camera's full size). Decoding
 * costs memory by pixels, not by bytes — a 6300 × 6300 PNG of one colour is a few kilobytes and
 * decoded it took 63 MB — so the limit is on pixels, read from the header before anything is decoded.
 */
export const MAX_IMAGE_PIXELS = 24_000_000;
/** Images decoded at the same time; more uploads wait their turn, so memory stays bounded under a burst. */
export const MAX_CONCURRENT_DECODES = 2;

// libvips keeps decoded images in a cache by default (tens of MB that never go back); each upload is
// decoded once, so nothing is cached. One thread per image: the decode slots are the parallelism.
sharp.cache(false);
sharp.concurrency(1);

/** At most `slots` tasks at once; the others wait in order. */
export function limitConcurrency(slots: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (active < slots) active += 1;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await task();
    } finally {
      // The slot passes straight to the next in line, or is given back.
      const next = waiting.shift();
      if (next) next();
      else active -= 1;
    }
  };
}

const decodeSlot = limitConcurrency(MAX_CONCURRENT_DECODES);

export interface ProcessedPhoto {
  full: Buffer;
  thumb: Buffer;
  width: number;
  height: number;
}

const tooLarge = () => new DomainError('IMAGE_TOO_LARGE', { megapixels: MAX_IMAGE_PIXELS / 1_000_000 });

/**
 * Trusts the bytes, not the file name or the declared type: sniffs the format, refuses anything but
 * JPEG, PNG and WebP and anything of more than MAX_IMAGE_PIXELS, applies the EXIF orientation, and
 * re-encodes to WebP. Re-encoding drops every piece of metadata (EXIF GPS position, camera serials,
 * comments).
 */
export async function processPhoto(upload: Buffer): Promise<ProcessedPhoto> {
  let meta: Metadata;
  try {
    // The header only: nothing is decoded yet.
    meta = await sharp(upload, { limitInputPixels: false }).metadata();
  } catch {
    throw new DomainError('UNSUPPORTED_IMAGE');
  }
  if (!meta.format || !ACCEPTED.has(meta.format)) throw new DomainError('UNSUPPORTED_IMAGE');
  if (!meta.width || !meta.height) throw new DomainError('UNSUPPORTED_IMAGE');
  if (meta.width * meta.height > MAX_IMAGE_PIXELS) throw tooLarge();
  return decodeSlot(async () => {
    try {
      const base = sharp(upload, { limitInputPixels: MAX_IMAGE_PIXELS }).rotate();
      const { data: full, info } = await base
        .clone()
        .resize({ width: 1600, height: 1600, fit: 'inside', withoutEnlargement: true })
        .webp({ quality: 82 })
        .toBuffer({ resolveWithObject: true });
      const thumb = await base.clone().resize({ width: 320, height: 240, fit: 'cover' }).webp({ quality: 75 }).toBuffer();
      return { full, thumb, width: info.width, height: info.height };
    } catch (err) {
      if (err instanceof Error && /pixel limit/i.test(err.message)) throw tooLarge();
      // A header that parses over a body that does not.
      throw new DomainError('UNSUPPORTED_IMAGE');
    }
  });
}
