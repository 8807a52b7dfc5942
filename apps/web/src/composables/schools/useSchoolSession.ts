import { computed, ref, shallowRef, watch, type Ref } from 'vue';
import type { Identity, MySessionRegistration, Pledge, SchoolRegistration, SchoolSessionDetail } from '@sports/contracts';
import { ApiError } from '@/api/shared/http.ts';
import { acceptPledge, cancelRegistration, fetchIdentity, fetchPledge, fetchSession, registerForSession } from '@/api/schools/schools.ts';
import { idempotencyKeeper } from '@/lib/booking/booking-rules.ts';
import { registrationBody, type MinorDraft } from '@/lib/schools/school-rules.ts';

/** What stands between the resident and registering: nothing, signing in, real name, or the pledge. */
export type RegisterStep = 'signIn' | 'identity' | 'pledge' | 'ready';

/** What the session page shows of a registration: the part the session answer carries. */
function asMine(registration: SchoolRegistration): MySessionRegistration | null {
  const { id, code, qr, status, partySize, entryOpens, entryCloses } = registration;
  if (status !== 'confirmed' && status !== 'checked_in' && status !== 'checked_out') return null;
  return { id, code, qr, status, partySize, entryOpens, entryCloses };
}

/**
 * A school session's page: the session, and for a signed-in resident their real-name status and the
 * school's safety pledge; then the registration itself, sent with an Idempotency-Key kept for retries.
 * Whether the resident has registered comes from the server (`myRegistration`), so a reload still
 * shows the entry code; cancelling it reloads the session.
 */
export function useSchoolSession(id: Ref<string>, signedIn: () => boolean) {
  const session = shallowRef<SchoolSessionDetail | null>(null);
  const loading = ref(false);
  const notFound = ref(false);
  const error = ref('');
  const identity = shallowRef<Identity | null>(null);
  /** The school's current pledge; null when it has none. */
  const pledge = shallowRef<Pledge | null>(null);
  const prerequisitesError = ref('');
  const submitting = ref(false);
  const refusal = ref('');
  /** The registration made on this visit (the page says 报名成功 rather than 已报名). */
  const registered = shallowRef<SchoolRegistration | null>(null);
  /** The resident's own active registration for this session, as the server last said. */
  const mine = computed<MySessionRegistration | null>(() => session.value?.myRegistration ?? null);
  const cancelling = ref(false);
  const keeper = idempotencyKeeper();
  let latest = 0;

  async function loadPledge(organisationId: string): Promise<void> {
    try {
      pledge.value = await fetchPledge(organisationId);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      if (err.status !== 404) throw err;
      pledge.value = null;
    }
  }

  /** The signed-in resident's identity and the school's pledge (accepted or not). */
  async function loadPrerequisites(): Promise<void> {
    const found = session.value;
    if (!found || !signedIn()) return;
    prerequisitesError.value = '';
    try {
      const [me] = await Promise.all([fetchIdentity(), loadPledge(found.organisationId)]);
      identity.value = me;
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      prerequisitesError.value = err.detail;
    }
  }

  async function load(): Promise<void> {
    const ticket = ++latest;
    loading.value = true;
    notFound.value = false;
    error.value = '';
    try {
      const found = await fetchSession(id.value);
      if (ticket !== latest) return;
      session.value = found;
    } catch (err) {
      if (ticket !== latest) return;
      if (!(err instanceof ApiError)) throw err;
      session.value = null;
      if (err.status === 404 || err.status === 400) notFound.value = true;
      else error.value = err.detail;
    } finally {
      if (ticket === latest) loading.value = false;
    }
    if (ticket === latest) await loadPrerequisites();
  }

  function nextStep(): RegisterStep {
    if (!signedIn()) return 'signIn';
    if (!identity.value?.verified) return 'identity';
    if (pledge.value && !pledge.value.accepted) return 'pledge';
    return 'ready';
  }

  /** Accepts the pledge as read; a newer version meanwhile is loaded instead and the refusal returned. */
  async function accept(): Promise<string | null> {
    const current = pledge.value;
    if (!current) return null;
    try {
      await acceptPledge(current.organisationId, current.version);
      pledge.value = { ...current, accepted: true };
      return null;
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      if (err.code === 'PLEDGE_VERSION_CHANGED') await loadPledge(current.organisationId);
      return err.detail;
    }
  }

  /**
   * Registers the resident and the children; a lost answer keeps the key so pressing again cannot
   * register twice. A refusal that changes what is missing (real name, pledge, places) reloads it.
   */
  async function register(minors: readonly MinorDraft[]): Promise<SchoolRegistration | null> {
    const found = session.value;
    if (!found || submitting.value) return null;
    const body = registrationBody(minors);
    submitting.value = true;
    refusal.value = '';
    try {
      const registration = await registerForSession(found.id, body, keeper.keyFor({ session: found.id, ...body }));
      keeper.settle();
      registered.value = registration;
      session.value = { ...registration.session, myRegistration: asMine(registration) };
      return registration;
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      refusal.value = err.detail;
      if (err.status >= 400 && err.status < 500) keeper.settle();
      if (err.code === 'REAL_NAME_REQUIRED' || err.code === 'PLEDGE_REQUIRED' || err.code === 'PLEDGE_VERSION_CHANGED') await loadPrerequisites();
      if (err.code === 'SESSION_FULL' || err.code === 'SESSION_CLOSED') {
        const fresh = await fetchSession(found.id).catch(() => null);
        if (fresh) session.value = fresh;
      }
      return null;
    } finally {
      submitting.value = false;
    }
  }

  /** Cancels the resident's registration; the session (places, sign-up form) is then read again. Returns the refusal, or null. */
  async function cancel(): Promise<string | null> {
    const current = mine.value;
    if (!current || cancelling.value) return null;
    cancelling.value = true;
    try {
      await cancelRegistration(current.id);
      registered.value = null;
      await load();
      return null;
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      return err.detail;
    } finally {
      cancelling.value = false;
    }
  }

  watch(id, load, { immediate: true });
  // Signing in or out elsewhere changes what the session answer says about the resident.
  watch(signedIn, () => void load());

  return {
    session,
    loading,
    notFound,
    error,
    identity,
    pledge,
    prerequisitesError,
    submitting,
    refusal,
    registered,
    mine,
    cancelling,
    load,
    loadPrerequisites,
    nextStep,
    accept,
    register,
    cancel,
  };
}
