import { sql } from 'drizzle-orm';
import type { OpeningSummary } from '@sports/contracts';
import { schema, type Db } from '@sports/db';
import { addDays, localDate, SCHOOL_WINDOW_DAYS } from '@sports/domain';
import type { Actor } from '../shared/actor.ts';
import { DomainError } from '../shared/errors.ts';
import { p, reg, s, v } from './registration-rows.ts';

// ——— the bureau's view ———

/**
 * Per district of a city: school venues in the registry, those with at least one published open
 * session in the next 7 days, the ratio against the target, and places offered, taken and used.
 */
export async function openingSummary(db: Db, actor: Actor, cityCode: string, target: { value: number; source: string }, now: Date): Promise<OpeningSummary> {
  const bureaus = actor.grants.filter((g) => g.role === 'bureau_admin' && g.organisation.kind === 'bureau' && g.organisation.cityCode === cityCode);
  if (bureaus.length === 0) throw new DomainError('FORBIDDEN');
  const cityWide = bureaus.some((g) => g.organisation.districtCode === null);
  const districts = cityWide ? null : bureaus.map((g) => g.organisation.districtCode!);
  const from = localDate(now, 'Asia/Shanghai');
  const to = addDays(from, SCHOOL_WINDOW_DAYS - 1);
  const lastWeek = addDays(from, -7);
  const result = await db.execute(sql`
    with school_venues as (
      select id, district_code from ${v} where city_code = ${cityCode} and kind = 'school' and is_public
    ), upcoming as (
      select ${s.venueId} as venue_id, sum(${s.capacity}) as offered, sum(${s.taken}) as taken
      from ${s} join ${p} on ${p.id} = ${s.planId}
      where ${s.status} = 'open' and ${p.status} = 'published' and ${s.date} between ${from} and ${to}
      group by ${s.venueId}
    ), used as (
      select ${s.venueId} as venue_id, sum(${reg.partySize}) as used
      from ${reg} join ${s} on ${s.id} = ${reg.sessionId}
      where ${reg.status} in ('checked_in', 'checked_out') and ${s.date} >= ${lastWeek} and ${s.date} < ${from}
      group by ${s.venueId}
    )
    select r.code as district_code, r.name,
      count(sv.id)::int as school_venues,
      count(u.venue_id)::int as open_venues,
      coalesce(sum(u.offered), 0)::int as offered,
      coalesce(sum(u.taken), 0)::int as taken,
      coalesce(sum(used.used), 0)::int as used
    from ${schema.regions} r
    left join school_venues sv on sv.district_code = r.code
    left join upcoming u on u.venue_id = sv.id
    left join used on used.venue_id = sv.id
    where r.city_code = ${cityCode} and r.level = 'district'
    group by r.code, r.name
    order by r.code
  `);
  const rows = (result as unknown as { rows: Record<string, unknown>[] }).rows
    .map((r) => ({
      districtCode: String(r.district_code),
      name: String(r.name),
      schoolVenues: Number(r.school_venues),
      openVenues: Number(r.open_venues),
      placesOffered: Number(r.offered),
      placesTaken: Number(r.taken),
      placesUsedLastWeek: Number(r.used),
    }))
    .filter((r) => districts === null || districts.includes(r.districtCode));
  const ratio = (open: number, all: number) => (all === 0 ? null : open / all);
  const sum = (key: 'schoolVenues' | 'openVenues' | 'placesOffered' | 'placesTaken' | 'placesUsedLastWeek') => rows.reduce((n, r) => n + r[key], 0);
  const total = {
    schoolVenues: sum('schoolVenues'),
    openVenues: sum('openVenues'),
    placesOffered: sum('placesOffered'),
    placesTaken: sum('placesTaken'),
    placesUsedLastWeek: sum('placesUsedLastWeek'),
  };
  return {
    cityCode,
    from,
    to,
    target: target.value,
    targetSource: target.source,
    total: { ...total, ratio: ratio(total.openVenues, total.schoolVenues) },
    districts: rows.map((r) => ({ ...r, ratio: ratio(r.openVenues, r.schoolVenues) })),
  };
}
