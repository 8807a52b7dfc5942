import { sql } from 'drizzle-orm';
import { schema, type Tx } from '@sports/db';

/**
 * Four weeks of past use on the demo venues (not the schools, which open through their plans), so
 * the dashboard has something to measure from the first start: clubs' block bookings (held by the operator's account, never a resident's, so no
 * resident's history or standing changes) in a share of the open hours between 08:00 and 22:00, busier in the
 * evening and at weekends. Only days before `today`; nothing ahead, so no slot a resident might book
 * is taken.
 */
export async function insertDemoActivity(tx: Tx, holderId: string, today: string, days = 28): Promise<void> {
  await tx.execute(sql`
    insert into ${schema.reservations} (code, kind, resource_id, venue_id, user_id, during, status, sport, price_fen, note, created_at)
    select 'H' || upper(substr(md5(c.id::text || d::text || h::text), 1, 9)), 'series', c.id, c.venue_id, ${holderId},
           tstzrange(((d + make_interval(hours => h))::timestamp) at time zone v.time_zone, ((d + make_interval(hours => h + 1))::timestamp) at time zone v.time_zone),
           'completed', c.sport, 0, '俱乐部包场（演示）', (d - interval '7 days')::timestamp at time zone v.time_zone
    from ${schema.venueResources} c
    join ${schema.venues} v on v.id = c.venue_id
    join ${schema.organisations} o on o.id = v.organisation_id and o.is_demo,
         generate_series(${today}::date - ${days}::int, ${today}::date - 1, interval '1 day') d,
         generate_series(8, 21) h
    where c.mode = 'exclusive' and c.status = 'active' and v.kind <> 'school'
      -- Only in the court's opening hours for that weekday (its own week, else the venue's).
      and exists (
        select 1 from jsonb_array_elements(coalesce(c.weekly_hours, v.weekly_hours) -> extract(isodow from d)::int::text) r
        where r ->> 'start' <= lpad(h::text, 2, '0') || ':00' and r ->> 'end' >= lpad((h + 1)::text, 2, '0') || ':00')
      -- Evenings (18:00–21:00) and weekends are busier; the hash makes the same demo every time.
      and (abs(hashtext(c.id::text || d::text || h::text)) % 100) < case when h >= 18 then 55 when extract(isodow from d) >= 6 then 45 else 20 end
    on conflict do nothing`);
}
