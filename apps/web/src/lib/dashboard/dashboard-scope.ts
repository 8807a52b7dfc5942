import type { LocationQuery } from 'vue-router';
import type { RoleScope } from '@sports/contracts';
import { cityToday, periodProblem, presetPeriod, type Period } from './kpi-period.ts';

/** What a bureau admin may look at in one city: all of it, or only the districts of their bureaus. */
export interface BureauReach {
  cityCode: string;
  /** null: the whole city (a city bureau); otherwise the districts of their district bureaus. */
  districts: string[] | null;
}

/** The cities (and districts) the signed-in person's bureau roles reach, in the order of their roles. */
export function bureauReach(roles: readonly RoleScope[]): BureauReach[] {
  const byCity = new Map<string, BureauReach>();
  for (const scope of roles) {
    if (scope.role !== 'bureau_admin') continue;
    const { cityCode, districtCode } = scope.organisation;
    const reach = byCity.get(cityCode) ?? { cityCode, districts: [] };
    if (districtCode === null) reach.districts = null;
    else if (reach.districts && !reach.districts.includes(districtCode)) reach.districts.push(districtCode);
    byCity.set(cityCode, reach);
  }
  return [...byCity.values()];
}

/** What the dashboard shows: kept in the address, so a view can be shared, reloaded and gone back to. */
export interface DashboardView extends Period {
  city: string;
  /** '' for the whole city. */
  district: string;
  /** The venue whose figures are open, or ''. */
  venue: string;
}

function text(value: LocationQuery[string] | undefined): string {
  return typeof value === 'string' ? value : '';
}

/**
 * The view the address asks for, made to fit what the person may see: an unknown city falls back to
 * their first, a district outside their reach to their first district (or the whole city when they
 * reach all of it), a missing or impossible period to this month.
 */
export function dashboardViewFrom(query: LocationQuery, reach: readonly BureauReach[], now: Date): DashboardView | null {
  const city = reach.find((r) => r.cityCode === text(query.city)) ?? reach[0];
  if (!city) return null;
  const asked = text(query.district);
  const district = city.districts === null ? (/^\d{6}$/.test(asked) ? asked : '') : city.districts.includes(asked) ? asked : (city.districts[0] ?? '');
  const period = { from: text(query.from), to: text(query.to) };
  const { from, to } = periodProblem(period) === null ? period : presetPeriod('thisMonth', cityToday(now));
  return { city: city.cityCode, district, from, to, venue: district === text(query.district) ? text(query.venue) : '' };
}

/** The address query of a view (empty parts left out). */
export function dashboardQuery(view: DashboardView): Record<string, string> {
  const query: Record<string, string> = { city: view.city, from: view.from, to: view.to };
  if (view.district) query.district = view.district;
  if (view.venue) query.venue = view.venue;
  return query;
}
