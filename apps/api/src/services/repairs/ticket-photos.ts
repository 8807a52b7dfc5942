import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { and, count, eq } from 'drizzle-orm';
import type { TicketPhoto } from '@sports/contracts';
import type { Db } from '@sports/db';
import { MAX_REPORT_PHOTOS, OPEN_TICKET_STATES, type TicketPhotoKind } from '@sports/domain';
import type { Actor } from '../shared/actor.ts';
import { recordAudit } from '../shared/audit.ts';
import { DomainError } from '../shared/errors.ts';
import { processPhoto, type UploadStore } from '../venues/photos.ts';
import { HOUR_MS, isStaff, ph, rolesOn, t, toPhoto } from './ticket-rows.ts';

// ——— photos ———

/** A reporter's photo (up to MAX_REPORT_PHOTOS, while the ticket is open) or staff's after-photo; re-encoded without metadata. */
export async function addTicketPhoto(
  db: Db,
  store: UploadStore,
  actor: Actor | null,
  id: string,
  kind: TicketPhotoKind,
  upload: Buffer,
  /** The anonymous reporter showed this ticket's upload token. */
  anonymousReporter = false,
): Promise<TicketPhoto> {
  const [ticket] = await db.select().from(t).where(eq(t.id, id));
  if (!ticket) throw new DomainError('NOT_FOUND');
  const roles = await rolesOn(db, actor, ticket);
  if (anonymousReporter && ticket.reporterId === null) roles.push('reporter');
  if (kind === 'report' ? !roles.includes('reporter') : !isStaff(roles)) throw new DomainError('FORBIDDEN');
  if (!OPEN_TICKET_STATES.includes(ticket.state)) throw new DomainError('TICKET_NOT_OPEN');
  const image = await processPhoto(upload);
  const base = `tickets/${id}/${randomUUID()}`;
  const key = `${base}.webp`;
  const thumbKey = `${base}-thumb.webp`;
  await store.put(key, image.full);
  await store.put(thumbKey, image.thumb);
  try {
    return await db.transaction(async (tx) => {
      // Counted under the ticket's row lock, so simultaneous uploads cannot pass the limit together.
      await tx.select({ id: t.id }).from(t).where(eq(t.id, id)).for('update');
      if (kind === 'report') {
        const [photos] = await tx.select({ n: count() }).from(ph).where(and(eq(ph.ticketId, id), eq(ph.kind, 'report')));
        if ((photos?.n ?? 0) >= MAX_REPORT_PHOTOS) throw new DomainError('TOO_MANY_TICKET_PHOTOS', { max: MAX_REPORT_PHOTOS });
      }
      const [created] = await tx
        .insert(ph)
        .values({ ticketId: id, kind, key, thumbKey, width: image.width, height: image.height, bytes: image.full.length, createdBy: actor?.userId ?? null })
        .returning();
      if (kind === 'after' && actor) {
        await recordAudit(tx, actor, { action: 'ticket.photo.after', targetType: 'ticket', targetId: id, organisationId: ticket.organisationId, detail: { photoId: created!.id } });
      }
      return toPhoto(created!);
    });
  } catch (err) {
    await Promise.all([store.remove(key), store.remove(thumbKey)]);
    throw err;
  }
}

// ——— an anonymous reporter's photos ———

const UPLOAD_TOKEN_MS = HOUR_MS;

/** What lets the anonymous reporter of ticket `id` add photos until `expires`: `<expires>.<mac>`. */
export function uploadTokenFor(key: string, id: string, now: Date): string {
  const expires = Math.floor((now.getTime() + UPLOAD_TOKEN_MS) / 1000);
  return `${expires}.${createHmac('sha256', key).update(`${id}.${expires}`).digest('base64url')}`;
}

/** Whether `token` is a live upload token for ticket `id`. */
export function checkUploadToken(key: string, id: string, token: string, now: Date): boolean {
  const [expires, mac] = token.split('.');
  if (!expires || !mac || !/^\d+$/.test(expires) || Number(expires) * 1000 < now.getTime()) return false;
  const expected = Buffer.from(createHmac('sha256', key).update(`${id}.${expires}`).digest('base64url'));
  const given = Buffer.from(mac);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
