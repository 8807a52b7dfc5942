import type { Region } from '@sports/contracts';
import { request } from '@/api/shared/http.ts';

/** The districts of a city (and the city itself); without a city, every city and district. */
export function listRegions(cityCode?: string): Promise<Region[]> {
  return request<Region[]>('GET', '/regions', { query: { city: cityCode }, auth: false });
}
