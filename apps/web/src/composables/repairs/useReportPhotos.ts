import { computed, onScopeDispose, ref, shallowRef } from 'vue';
import { MAX_REPORT_PHOTOS } from '@sports/domain';
import { compressImage, UnreadableImageError } from '@/lib/shared/compress-image.ts';
import { photosThatFit } from '@/lib/repairs/report-rules.ts';

export interface ReportPhoto {
  id: number;
  /** Shrunk and re-encoded as JPEG in the browser (no location metadata leaves the phone). */
  image: Blob;
  /** An object URL of `image` for the thumbnail; revoked when the photo is removed. */
  preview: string;
}

/** Why some chosen files were not kept: more than fit, or not images this browser can read. */
export interface PhotoRefusal {
  tooMany: number;
  unreadable: number;
}

/**
 * The photos of a report before it is sent: each is compressed as soon as it is chosen, so the
 * thumbnail shows what will be uploaded, and at most MAX_REPORT_PHOTOS are kept.
 */
export function useReportPhotos(compress: (file: Blob) => Promise<Blob> = compressImage) {
  const photos = shallowRef<ReportPhoto[]>([]);
  const processing = ref(false);
  const refusal = shallowRef<PhotoRefusal | null>(null);
  const full = computed(() => photos.value.length >= MAX_REPORT_PHOTOS);
  let nextId = 1;

  /** Keeps as many of the chosen files as fit; the rest, and unreadable ones, are counted in `refusal`. */
  async function add(files: readonly Blob[]): Promise<void> {
    const fitting = photosThatFit(photos.value.length, files.length);
    const found: PhotoRefusal = { tooMany: files.length - fitting, unreadable: 0 };
    processing.value = true;
    try {
      for (const file of files.slice(0, fitting)) {
        try {
          const image = await compress(file);
          if (photos.value.length >= MAX_REPORT_PHOTOS) {
            found.tooMany += 1;
            continue;
          }
          photos.value = [...photos.value, { id: nextId++, image, preview: URL.createObjectURL(image) }];
        } catch (err) {
          if (!(err instanceof UnreadableImageError)) throw err;
          found.unreadable += 1;
        }
      }
    } finally {
      processing.value = false;
      refusal.value = found.tooMany > 0 || found.unreadable > 0 ? found : null;
    }
  }

  function remove(id: number): void {
    const photo = photos.value.find((p) => p.id === id);
    if (!photo) return;
    URL.revokeObjectURL(photo.preview);
    photos.value = photos.value.filter((p) => p.id !== id);
    refusal.value = null;
  }

  function clear(): void {
    for (const photo of photos.value) URL.revokeObjectURL(photo.preview);
    photos.value = [];
    refusal.value = null;
  }

  onScopeDispose(clear);

  return { photos, processing, refusal, full, add, remove, clear };
}
