import { sql } from 'drizzle-orm';
import { schema, type Tx } from '@sports/db';

/**
 * Four weeks of past use on the demo venues, so the dashboard has something to measure from the
 * first start: clubs' block bookings (held by the operator's account, never a resident's, so no
 * resident's history or standing changes) in about a third of the hours 08:00–21:00, busier in the
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
    where c.mode = 'exclusive' and c.status = 'active'
      -- Evenings (18:00–21:00) and weekends are busier; the hash makes the same demo every time.
      and (abs(hashtext(c.id::text || d::text || h::text)) % 100) < case when h >= 18 then 55 when extract(isodow from d) >= 6 then 45 else 20 end
    on conflict do nothing`);
}
