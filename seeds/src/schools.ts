import { asc, eq, inArray } from 'drizzle-orm';
import { schema, type Tx } from '@sports/db';
import { addDays, localDate } from '@sports/domain';

const PLEDGE_BODY = [
  '一、本人自愿参加学校体育场地开放活动，已了解自身健康状况，不患有不宜运动的疾病。',
  '二、遵守学校管理规定，凭入校码从指定校门出入，服从工作人员管理，不进入教学区和开放区域以外的场所。',
  '三、爱护场地设施，不在场内吸烟、饮酒、乱扔垃圾，不携带宠物、易燃易爆物品和管制器具。',
  '四、携带未满 14 周岁儿童的，由本人全程看护并承担监护责任。',
  '五、运动中注意安全、量力而行；因本人违反规定或自身原因造成的伤害，由本人承担相应责任。',
].join('\n');

/**
 * Each demo school's safety pledge, and an opening plan published on every school venue the demo
 * schools own (weekday evenings, weekend mornings and afternoons, 50 people, open on holidays),
 * running from a month ago to four months ahead so sessions exist whenever the demo starts. The
 * server writes their sessions a week ahead on start.
 */
export async function insertSchoolOpening(tx: Tx, schoolIds: readonly string[], createdBy: string | undefined): Promise<void> {
  if (schoolIds.length === 0) return;
  await tx.insert(schema.schoolPledges).values(
    schoolIds.map((organisationId) => ({ organisationId, version: 1, title: '学校体育场地开放安全承诺书', body: PLEDGE_BODY, createdBy })),
  );
  const venues = await tx
    .select({ id: schema.venues.id, organisationId: schema.venues.organisationId })
    .from(schema.venues)
    .where(inArray(schema.venues.organisationId, [...schoolIds]))
    .orderBy(asc(schema.venues.name));
  const today = localDate(new Date(), 'Asia/Shanghai');
  for (const venue of venues) {
    const [field] = await tx
      .select({ id: schema.venueResources.id, name: schema.venueResources.name, mode: schema.venueResources.mode })
      .from(schema.venueResources)
      .where(eq(schema.venueResources.venueId, venue.id))
      .orderBy(asc(schema.venueResources.sortOrder));
    if (!field) continue;
    await tx.insert(schema.schoolPlans).values({
      venueId: venue.id,
      resourceId: field.id,
      organisationId: venue.organisationId,
      title: `${field.name}课余开放`,
      startsOn: addDays(today, -30),
      endsOn: addDays(today, 120),
      weekly: {
        1: [{ start: '18:00', end: '20:30' }],
        2: [{ start: '18:00', end: '20:30' }],
        3: [{ start: '18:00', end: '20:30' }],
        4: [{ start: '18:00', end: '20:30' }],
        5: [{ start: '18:00', end: '20:30' }],
        6: [{ start: '08:00', end: '11:00' }, { start: '15:00', end: '18:00' }],
        7: [{ start: '08:00', end: '11:00' }, { start: '15:00', end: '18:00' }],
      },
      closedDates: [],
      openOnHolidays: true,
      capacity: 50,
      eligibility: 'city',
      allowMinors: true,
      status: 'published',
      publishedAt: new Date(),
      createdBy,
    });
  }
}
