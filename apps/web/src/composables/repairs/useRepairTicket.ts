import { ref, shallowRef, watch, type Ref } from 'vue';
import type { TicketDetail, TicketMoveBody, TicketNoteBody, TicketSummary, TicketTechnician, TicketTransferTarget } from '@sports/contracts';
import { ApiError } from '@/api/shared/http.ts';
import {
  addTicketNote,
  fetchTicket,
  listTicketSuggestions,
  listTicketTechnicians,
  listTickets,
  listTransferTargets,
  moveTicket,
  uploadTicketPhoto,
} from '@/api/repairs/tickets.ts';
import { i18n } from '@/modules/i18n.ts';
import { compressImage, UnreadableImageError } from '@/lib/shared/compress-image.ts';

/** A list a dialog needs only when it opens (the technicians, the transfer targets, …): loaded once, on demand. */
export function useOnDemand<T>(fetchAll: () => Promise<T[]>) {
  const items = shallowRef<T[]>([]);
  const loading = ref(false);
  const error = ref('');
  let loaded = false;

  async function load(force = false): Promise<void> {
    if ((loaded && !force) || loading.value) return;
    loading.value = true;
    error.value = '';
    try {
      items.value = await fetchAll();
      loaded = true;
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      error.value = err.detail;
    } finally {
      loading.value = false;
    }
  }

  return { items, loading, error, load };
}

/** Tickets that are not themselves merged away or turned down: the only ones a duplicate may point to. */
const ORIGINAL_STATES = new Set(['rejected', 'duplicate']);

/**
 * One repair ticket as staff handle it: the ticket with its timeline and the caller's legal moves,
 * making a move, adding a note, the after-photo, and the lists the move dialogs choose from. Moves and
 * notes throw the API's refusal (fields named) for the form that made them; afterwards the ticket on
 * screen is the server's answer.
 */
export function useRepairTicket(id: Ref<string | null>) {
  const ticket = shallowRef<TicketDetail | null>(null);
  const loading = ref(false);
  const loadError = ref('');
  const notFound = ref(false);
  const uploading = ref(false);
  const photoError = ref('');
  let latest = 0;

  async function load(): Promise<void> {
    const request = ++latest;
    const current = id.value;
    loadError.value = '';
    notFound.value = false;
    if (!current) {
      ticket.value = null;
      return;
    }
    loading.value = true;
    try {
      const found = await fetchTicket(current);
      if (request === latest) ticket.value = found;
    } catch (err) {
      if (request !== latest) return;
      if (!(err instanceof ApiError)) throw err;
      ticket.value = null;
      if (err.status === 404 || err.status === 400) notFound.value = true;
      else loadError.value = err.detail;
    } finally {
      if (request === latest) loading.value = false;
    }
  }

  function currentId(): string {
    if (!id.value) throw new Error('No ticket is open');
    return id.value;
  }

  /** Makes a move; the ticket shown becomes the server's answer. A refusal is thrown as the ApiError. */
  async function move(body: TicketMoveBody): Promise<TicketDetail> {
    try {
      const moved = await moveTicket(currentId(), body);
      ticket.value = moved;
      return moved;
    } catch (err) {
      // "Upload an after-photo first" is about the ticket, not a field of the form: it is the message.
      const afterPhoto = err instanceof ApiError ? err.fields.afterPhoto : undefined;
      if (err instanceof ApiError && afterPhoto) throw new ApiError({ status: err.status, code: err.code, detail: afterPhoto });
      throw err;
    }
  }

  /** A move that asks for nothing: the server's refusal in words, or null when it went through. */
  async function quickMove(body: TicketMoveBody): Promise<string | null> {
    try {
      await move(body);
      return null;
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      // Someone else may have moved the ticket meanwhile: show what it is now.
      if (err.status === 409) await load();
      return err.detail;
    }
  }

  async function addNote(body: TicketNoteBody): Promise<TicketDetail> {
    const noted = await addTicketNote(currentId(), body);
    ticket.value = noted;
    return noted;
  }

  /** Shrinks the photo in the browser, uploads it as the after-photo and reads the ticket again; true when it is there. */
  async function uploadAfterPhoto(file: File): Promise<boolean> {
    const ticketId = currentId();
    uploading.value = true;
    photoError.value = '';
    try {
      const image = await compressImage(file);
      await uploadTicketPhoto(ticketId, 'after', image, `${file.name.replace(/\.[^.]+$/, '') || 'after'}.jpg`);
      ticket.value = await fetchTicket(ticketId);
      return true;
    } catch (err) {
      if (err instanceof UnreadableImageError) photoError.value = i18n.global.t('tickets.photos.unreadable');
      else if (err instanceof ApiError) photoError.value = err.detail;
      else throw err;
      return false;
    } finally {
      uploading.value = false;
    }
  }

  const technicians = useOnDemand<TicketTechnician>(() => listTicketTechnicians(currentId()));
  const transferTargets = useOnDemand<TicketTransferTarget>(() => listTransferTargets(currentId()));
  /** Possible originals of a duplicate: open tickets within 50 m in the same category, and the venue's other tickets. */
  const originals = useOnDemand<TicketSummary>(async () => {
    const current = ticket.value;
    if (!current) return [];
    const [nearby, atVenue] = await Promise.all([
      current.lat !== null && current.lng !== null
        ? listTicketSuggestions({ lat: current.lat, lng: current.lng, category: current.category })
        : Promise.resolve([]),
      current.venue ? listTickets({ venueId: current.venue.id, page: 1, pageSize: 50 }).then((page) => page.items) : Promise.resolve([]),
    ]);
    const seen = new Set<string>([current.id]);
    return [...nearby, ...atVenue].filter((other) => {
      if (seen.has(other.id) || ORIGINAL_STATES.has(other.state)) return false;
      seen.add(other.id);
      return true;
    });
  });

  watch(id, load, { immediate: true });

  return {
    ticket,
    loading,
    loadError,
    notFound,
    uploading,
    photoError,
    load,
    move,
    quickMove,
    addNote,
    uploadAfterPhoto,
    technicians,
    transferTargets,
    originals,
  };
}
