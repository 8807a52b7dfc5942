import type { CreateOpen311ClientBody, IssuedOpen311Client, Open311Client } from '@sports/contracts';
import { request } from '@/api/shared/http.ts';

/** The Open311 GeoReport v2 clients of the bureaus the caller runs. */
export function listOpen311Clients(): Promise<Open311Client[]> {
  return request('GET', '/open311-clients');
}

/** Issues a key; the answer is the only time the key itself is shown. */
export function issueOpen311Client(body: CreateOpen311ClientBody): Promise<IssuedOpen311Client> {
  return request('POST', '/open311-clients', { body });
}

export function revokeOpen311Client(id: string): Promise<Open311Client> {
  return request('POST', `/open311-clients/${encodeURIComponent(id)}/revoke`, { body: {} });
}
