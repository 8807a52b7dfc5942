/** The longest edge of an uploaded photo; the API keeps originals up to 10 MB, phones make 12 MP. */
export const PHOTO_MAX_EDGE = 1600;
const JPEG_QUALITY = 0.85;

/** The browser could not decode the file as an image. */
export class UnreadableImageError extends Error {
  constructor() {
    super('The file is not an image this browser can read');
    this.name = 'UnreadableImageError';
  }
}

/**
 * Shrinks a photo to at most `maxEdge` pixels on its longest side and re-encodes it as JPEG, in the
 * browser, before upload: a phone photo of several MB becomes a few hundred kB. Re-encoding also
 * drops the file's metadata (EXIF, including where it was taken); the camera's rotation is applied
 * first so the picture stays upright.
 */
export async function compressImage(file: Blob, maxEdge = PHOTO_MAX_EDGE): Promise<Blob> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  } catch {
    throw new UnreadableImageError();
  }
  const scale = Math.min(1, maxEdge / Math.max(bitmap.width, bitmap.height));
  const width = Math.max(1, Math.round(bitmap.width * scale));
  const height = Math.max(1, Math.round(bitmap.height * scale));
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d');
  if (!context) throw new UnreadableImageError();
  // JPEG has no transparency: transparent parts of a PNG become white, not black.
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, width, height);
  context.drawImage(bitmap, 0, 0, width, height);
  bitmap.close();
  return new Promise((resolve, reject) => {
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new UnreadableImageError())), 'image/jpeg', JPEG_QUALITY);
  });
}
