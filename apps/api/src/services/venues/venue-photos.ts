import { randomUUID } from 'node:crypto';
import { and, count, desc, eq } from 'drizzle-orm';
import type { VenueDetail } from '@sports/contracts';
import { schema, type Db } from '@sports/db';
import type { Actor } from '../shared/actor.ts';
import { recordAudit } from '../shared/audit.ts';
import { DomainError } from '../shared/errors.ts';
import { processPhoto, type UploadStore } from './photos.ts';
import { managedVenue, MAX_PHOTOS_PER_VENUE, mediaUrl } from './venue-rows.ts';

/** Re-encodes the upload (metadata stripped), stores it with a thumbnail, and records it. */
export async function addVenuePhoto(
  db: Db,
  store: UploadStore,
  actor: Actor,
  venueId: string,
  upload: Buffer,
): Promise<VenueDetail['photos'][number]> {
  const venue = await managedVenue(db, actor, venueId);
  const image = await processPhoto(upload);
  const base = `venues/${venueId}/${randomUUID()}`;
  const key = `${base}.webp`;
  const thumbKey = `${base}-thumb.webp`;
  await store.put(key, image.full);
  await store.put(thumbKey, image.thumb);
  try {
    return await db.transaction(async (tx) => {
      // Counted under the venue's row lock, so simultaneous uploads cannot pass the limit together.
      await tx.select({ id: schema.venues.id }).from(schema.venues).where(eq(schema.venues.id, venueId)).for('update');
      const [photos] = await tx.select({ n: count() }).from(schema.venuePhotos).where(eq(schema.venuePhotos.venueId, venueId));
      if ((photos?.n ?? 0) >= MAX_PHOTOS_PER_VENUE) throw new DomainError('TOO_MANY_PHOTOS', { max: MAX_PHOTOS_PER_VENUE });
      const [last] = await tx
        .select({ sortOrder: schema.venuePhotos.sortOrder })
        .from(schema.venuePhotos)
        .where(eq(schema.venuePhotos.venueId, venueId))
        .orderBy(desc(schema.venuePhotos.sortOrder))
        .limit(1);
      const [created] = await tx
        .insert(schema.venuePhotos)
        .values({
          venueId,
          key,
          thumbKey,
          width: image.width,
          height: image.height,
          bytes: image.full.length,
          sortOrder: (last?.sortOrder ?? -1) + 1,
          createdBy: actor.userId,
        })
        .returning();
      await recordAudit(tx, actor, {
        action: 'venue.photo.add',
        targetType: 'venue',
        targetId: venueId,
        organisationId: venue.organisationId,
        detail: { photoId: created!.id },
      });
      return { id: created!.id, url: mediaUrl(key), thumbUrl: mediaUrl(thumbKey), width: image.width, height: image.height };
    });
  } catch (err) {
    await Promise.all([store.remove(key), store.remove(thumbKey)]);
    throw err;
  }
}

export async function deleteVenuePhoto(db: Db, store: UploadStore, actor: Actor, venueId: string, photoId: string): Promise<void> {
  const removed = await db.transaction(async (tx) => {
    const venue = await managedVenue(tx, actor, venueId);
    const p = schema.venuePhotos;
    const [row] = await tx.delete(p).where(and(eq(p.id, photoId), eq(p.venueId, venueId))).returning();
    if (!row) throw new DomainError('NOT_FOUND');
    await recordAudit(tx, actor, {
      action: 'venue.photo.delete',
      targetType: 'venue',
      targetId: venueId,
      organisationId: venue.organisationId,
      detail: { photoId },
    });
    return row;
  });
  await Promise.all([store.remove(removed.key), store.remove(removed.thumbKey)]);
}
