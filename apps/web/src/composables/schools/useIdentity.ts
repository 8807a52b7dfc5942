import { ref, shallowRef } from 'vue';
import type { Identity, IdentityBody } from '@sports/contracts';
import { ApiError } from '@/api/shared/http.ts';
import { deleteIdentity, fetchIdentity, saveIdentity } from '@/api/schools/schools.ts';

/** 实名信息: the resident's masked identity, its consent text, and saving, correcting or deleting it. */
export function useIdentity() {
  const identity = shallowRef<Identity | null>(null);
  const loading = ref(false);
  const error = ref('');

  async function load(): Promise<void> {
    loading.value = true;
    error.value = '';
    try {
      identity.value = await fetchIdentity();
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      error.value = err.detail;
    } finally {
      loading.value = false;
    }
  }

  /** Throws the API's refusal (field errors, IDENTITY_TAKEN) for the form to show. */
  async function save(body: IdentityBody): Promise<Identity> {
    const saved = await saveIdentity(body);
    identity.value = saved;
    return saved;
  }

  /** Deletes it; returns the refusal's message, or null. */
  async function remove(): Promise<string | null> {
    try {
      await deleteIdentity();
      await load();
      return null;
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      return err.detail;
    }
  }

  return { identity, loading, error, load, save, remove };
}
