import { inArray } from 'drizzle-orm';
import { openDatabase, schema } from '@sports/db';
import { DEFAULT_RESIDENT_RULES, addDays, localDate } from '@sports/domain';
import { regionSeeds } from '@sports/seeds';
import { hashPassword } from '../../src/services/accounts/passwords.ts';

export const RESIDENT_PASSWORD = 'ops-load-Resident-7x!';
const ZHENGZHOU = '410100';
const JINSHUI = '410105';
const TIME_ZONE = 'Asia/Shanghai';

export interface BookingWorld {
  venueId: string;
  courtIds: string[];
  residents: { id: string; phone: string }[];
  /** Every half-hour slot of every court from tomorrow on, `days` days of them, in a fixed order. */
  slots(days: number): { resourceId: string; start: string; end: string }[];
}

/**
 * Migrates the database at `url` and writes the least a booking load needs: the regions, a bureau
 * and an operator, one venue open round the clock with `courts` half-hour courts bookable two weeks
 * ahead for free, `residents` residents with RESIDENT_PASSWORD, and city rules loose enough that
 * quotas never refuse the load (so every refusal is about the database, not the rules).
 */
export async function createBookingWorld(url: string, counts: { courts: number; residents: number }): Promise<BookingWorld> {
  const database = await openDatabase({ url });
  try {
    await database.migrate();
    const db = database.db;
    await db.insert(schema.regions).values(regionSeeds()).onConflictDoNothing();
    const [bureau] = await db
      .insert(schema.organisations)
      .values({ kind: 'bureau', name: '郑州市体育局（故障测试）', cityCode: ZHENGZHOU, districtCode: null, parentId: null })
      .returning({ id: schema.organisations.id });
    const [operator] = await db
      .insert(schema.organisations)
      .values({ kind: 'operator', name: '场馆运营公司（故障测试）', cityCode: ZHENGZHOU, districtCode: null, parentId: bureau!.id })
      .returning({ id: schema.organisations.id });
    await db
      .insert(schema.cityBookingRules)
      .values({ cityCode: ZHENGZHOU, rules: { ...DEFAULT_RESIDENT_RULES, maxUpcoming: 1_000_000, maxHoursPerDayPerSport: 10_000 } })
      .onConflictDoNothing();
    const allDay = Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((d) => [d, [{ start: '00:00', end: '24:00' }]]));
    const [venue] = await db
      .insert(schema.venues)
      .values({
        kind: 'gym',
        name: '故障测试羽毛球馆',
        organisationId: operator!.id,
        cityCode: ZHENGZHOU,
        districtCode: JINSHUI,
        lat: 34.78,
        lng: 113.66,
        priceLevel: 'free',
        holidayRule: 'as_usual',
        weeklyHours: allDay,
        bookingSettings: {
          slotMinutes: 30,
          minSlots: 1,
          maxSlots: 1,
          windowDays: 14,
          releaseTime: '00:00',
          cancelHours: 0,
          defaultPriceFen: 0,
          bands: [],
        },
      })
      .returning({ id: schema.venues.id });
    const courts = await db
      .insert(schema.venueResources)
      .values(
        Array.from({ length: counts.courts }, (_, i) => ({
          venueId: venue!.id,
          name: `${i + 1}号场`,
          sport: 'badminton',
          mode: 'exclusive' as const,
          indoor: true,
          sortOrder: i + 1,
        })),
      )
      .returning({ id: schema.venueResources.id });
    const passwordHash = await hashPassword(RESIDENT_PASSWORD);
    const phones = Array.from({ length: counts.residents }, (_, i) => `1370000${String(i).padStart(4, '0')}`);
    await db
      .insert(schema.users)
      .values(phones.map((phone, i) => ({ phone, displayName: `故障测试居民${i}`, passwordHash })));
    const residents = await db
      .select({ id: schema.users.id, phone: schema.users.phone })
      .from(schema.users)
      .where(inArray(schema.users.phone, phones));
    const courtIds = courts.map((c) => c.id);
    return {
      venueId: venue!.id,
      courtIds,
      residents,
      slots(days) {
        const tomorrow = addDays(localDate(new Date(), TIME_ZONE), 1);
        const out: { resourceId: string; start: string; end: string }[] = [];
        for (let d = 0; d < days; d++) {
          const midnight = new Date(`${addDays(tomorrow, d)}T00:00:00+08:00`).getTime();
          for (let half = 0; half < 48; half++) {
            const start = new Date(midnight + half * 30 * 60_000).toISOString();
            const end = new Date(midnight + (half + 1) * 30 * 60_000).toISOString();
            for (const resourceId of courtIds) out.push({ resourceId, start, end });
          }
        }
        return out;
      },
    };
  } finally {
    await database.close();
  }
}
