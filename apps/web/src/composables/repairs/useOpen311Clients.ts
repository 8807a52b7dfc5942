import { ref, shallowRef } from 'vue';
import type { CreateOpen311ClientBody, IssuedOpen311Client, Open311Client } from '@sports/contracts';
import { ApiError } from '@/api/shared/http.ts';
import { issueOpen311Client, listOpen311Clients, revokeOpen311Client } from '@/api/repairs/open311.ts';

/**
 * The bureau's Open311 GeoReport v2 clients: who may file and read reports through the standard API.
 * A key is shown once, in the answer to issuing it, and kept here only until the person closes it.
 */
export function useOpen311Clients() {
  const clients = shallowRef<Open311Client[]>([]);
  const loading = ref(false);
  const error = ref('');
  /** The client just issued, with its key: shown once. */
  const issued = shallowRef<IssuedOpen311Client | null>(null);

  async function load(): Promise<void> {
    loading.value = true;
    error.value = '';
    try {
      clients.value = await listOpen311Clients();
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      clients.value = [];
      error.value = err.detail;
    } finally {
      loading.value = false;
    }
  }

  /** Issues a key (a refusal is thrown as the ApiError, fields named); the list gains the client. */
  async function issue(body: CreateOpen311ClientBody): Promise<IssuedOpen311Client> {
    const created = await issueOpen311Client(body);
    issued.value = created;
    const { apiKey: _shownOnce, ...client } = created;
    clients.value = [client, ...clients.value.filter((c) => c.id !== client.id)];
    return created;
  }

  /** Forgets the key once the person has taken it. */
  function dismissIssued(): void {
    issued.value = null;
  }

  /** Revokes a key: the server's refusal in words, or null. */
  async function revoke(id: string): Promise<string | null> {
    try {
      const revoked = await revokeOpen311Client(id);
      clients.value = clients.value.map((c) => (c.id === id ? revoked : c));
      return null;
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      return err.detail;
    }
  }

  return { clients, loading, error, issued, load, issue, dismissIssued, revoke };
}
