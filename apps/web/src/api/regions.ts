import type { Region } from '@sports/contracts';
import { request } from './http.ts';

export function listRegions(cityCode: string): Promise<Region[]> {
  return request<Region[]>('GET', '/regions', { query: { city: cityCode }, auth: false });
}
