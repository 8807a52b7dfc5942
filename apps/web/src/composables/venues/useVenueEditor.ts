import { ref, shallowRef, watch, type Ref } from 'vue';
import type {
  CreateExceptionBody,
  CreateResourceBody,
  CreateVenueBody,
  HoursException,
  Photo,
  Resource,
  SetHoursBody,
  UpdateResourceBody,
  UpdateVenueBody,
  VenueDetail,
} from '@sports/contracts';
import { ApiError } from '@/api/shared/http.ts';
import {
  addHoursException,
  createResource,
  createVenue,
  deleteHoursException,
  deleteVenuePhoto,
  fetchVenue,
  setVenueHours,
  updateResource,
  updateVenue,
  uploadVenuePhoto,
} from '@/api/venues/venues.ts';

/**
 * One venue in the console editor: loads it (null id: a new venue) and every change a manager can
 * make. Writes throw the API's refusal for the form that made them; afterwards the venue is read
 * again so every tab shows what the server now holds.
 */
export function useVenueEditor(id: Ref<string | null>) {
  const venue = shallowRef<VenueDetail | null>(null);
  const loading = ref(false);
  const notFound = ref(false);
  const error = ref('');
  let latest = 0;

  async function load(): Promise<void> {
    const ticket = ++latest;
    const current = id.value;
    notFound.value = false;
    error.value = '';
    if (current === null) {
      venue.value = null;
      return;
    }
    loading.value = true;
    try {
      const found = await fetchVenue(current);
      if (ticket === latest) venue.value = found;
    } catch (err) {
      if (ticket !== latest) return;
      if (!(err instanceof ApiError)) throw err;
      venue.value = null;
      if (err.status === 404 || err.status === 400) notFound.value = true;
      else error.value = err.detail;
    } finally {
      if (ticket === latest) loading.value = false;
    }
  }

  /** Reads the venue again after a change, without the page's loading state. */
  async function refresh(): Promise<void> {
    if (id.value === null) return;
    const ticket = ++latest;
    const found = await fetchVenue(id.value);
    if (ticket === latest) venue.value = found;
  }

  function currentId(): string {
    if (id.value === null) throw new Error('The venue has not been created yet');
    return id.value;
  }

  async function create(body: CreateVenueBody): Promise<VenueDetail> {
    const created = await createVenue(body);
    venue.value = created;
    return created;
  }

  async function update(body: UpdateVenueBody): Promise<VenueDetail> {
    const updated = await updateVenue(currentId(), body);
    venue.value = updated;
    return updated;
  }

  async function saveHours(body: SetHoursBody): Promise<VenueDetail> {
    const updated = await setVenueHours(currentId(), body);
    venue.value = updated;
    return updated;
  }

  async function addException(body: CreateExceptionBody): Promise<HoursException> {
    const added = await addHoursException(currentId(), body);
    await refresh();
    return added;
  }

  async function removeException(exception: HoursException): Promise<void> {
    await deleteHoursException(currentId(), exception.id);
    await refresh();
  }

  async function addResource(body: CreateResourceBody): Promise<Resource> {
    const added = await createResource(currentId(), body);
    await refresh();
    return added;
  }

  async function editResource(resourceId: string, body: UpdateResourceBody): Promise<Resource> {
    const saved = await updateResource(currentId(), resourceId, body);
    await refresh();
    return saved;
  }

  async function addPhoto(image: Blob, fileName: string): Promise<Photo> {
    const added = await uploadVenuePhoto(currentId(), image, fileName);
    await refresh();
    return added;
  }

  async function removePhoto(photo: Photo): Promise<void> {
    await deleteVenuePhoto(currentId(), photo.id);
    await refresh();
  }

  watch(id, load, { immediate: true });

  return {
    venue,
    loading,
    notFound,
    error,
    load,
    create,
    update,
    saveHours,
    addException,
    removeException,
    addResource,
    editResource,
    addPhoto,
    removePhoto,
  };
}
