import { and, asc, count, eq, ilike, sql, type SQL } from 'drizzle-orm';
import type {
  CreateOrganisationBody,
  GrantRoleBody,
  Organisation,
  OrganisationListQuery,
  Page,
  Region,
  RoleAssignment,
} from '@sports/contracts';
import { schema, sqlState, UNIQUE_VIOLATION, type Db, type Queryable } from '@sports/db';
import { maskPhone, roleFitsOrganisation } from '@sports/domain';
import type { Actor } from '../shared/actor.ts';
import { recordAudit } from '../shared/audit.ts';
import { DomainError, fieldProblem } from '../shared/errors.ts';
import { authorize, organisationsReachedBy } from '../shared/grants.ts';

const o = schema.organisations;

const organisationColumns = {
  id: o.id,
  kind: o.kind,
  name: o.name,
  parentId: o.parentId,
  cityCode: o.cityCode,
  districtCode: o.districtCode,
  isDemo: o.isDemo,
  createdAt: o.createdAt,
};

function toOrganisation(row: { createdAt: Date } & Omit<Organisation, 'createdAt'>): Organisation {
  return { ...row, createdAt: row.createdAt.toISOString() };
}

/** Organisations the actor's staff roles reach, paginated. Residents without staff roles get 403. */
export async function listOrganisations(db: Db, actor: Actor, query: OrganisationListQuery): Promise<Page<Organisation>> {
  if (actor.grants.length === 0) throw new DomainError('FORBIDDEN');
  const filters: SQL[] = [organisationsReachedBy(actor.grants)];
  if (query.kind) filters.push(eq(o.kind, query.kind));
  if (query.q) filters.push(ilike(o.name, `%${escapeLike(query.q)}%`));
  const where = and(...filters);
  const [rows, [total]] = await Promise.all([
    db
      .select(organisationColumns)
      .from(o)
      .where(where)
      .orderBy(asc(o.cityCode), sql`${o.districtCode} nulls first`, asc(o.kind), asc(o.name))
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize),
    db.select({ n: count() }).from(o).where(where),
  ]);
  return { items: rows.map(toOrganisation), page: query.page, pageSize: query.pageSize, total: total?.n ?? 0 };
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export async function getOrganisation(db: Db, actor: Actor, id: string): Promise<Organisation> {
  await authorize(db, actor, ['bureau_admin', 'operator', 'school_admin', 'technician'], id);
  const [row] = await db.select(organisationColumns).from(o).where(eq(o.id, id));
  return toOrganisation(row!);
}

/**
 * A bureau admin creates an operator company, a school or a district bureau under a bureau it
 * reaches. The new organisation lives in the parent's city, and in the parent's district when the
 * parent is a district bureau.
 */
export async function createOrganisation(db: Db, actor: Actor, body: CreateOrganisationBody): Promise<Organisation> {
  return db.transaction(async (tx) => {
    const parent = await authorize(tx, actor, ['bureau_admin'], body.parentId);
    if (parent.kind !== 'bureau') {
      throw new DomainError('VALIDATION_FAILED', {}, [fieldProblem('parentId', '上级机构必须是体育局', 'must be a bureau')]);
    }
    const districtCode = body.districtCode ?? parent.districtCode;
    if (parent.districtCode !== null && districtCode !== parent.districtCode) throw new DomainError('FORBIDDEN');
    if (body.kind === 'bureau' && districtCode === null) {
      throw new DomainError('VALIDATION_FAILED', {}, [
        fieldProblem('districtCode', '新建的体育局须为区县体育局，请选择区县', 'a new bureau is a district bureau and needs a district'),
      ]);
    }
    if (districtCode !== null) await assertDistrictInCity(tx, districtCode, parent.cityCode);
    try {
      const [created] = await tx
        .insert(o)
        .values({ kind: body.kind, name: body.name.trim(), parentId: parent.id, cityCode: parent.cityCode, districtCode })
        .returning(organisationColumns);
      await recordAudit(tx, actor, {
        action: 'organisation.create',
        targetType: 'organisation',
        targetId: created!.id,
        organisationId: created!.id,
        detail: { kind: created!.kind, name: created!.name, parentId: parent.id, districtCode },
      });
      return toOrganisation(created!);
    } catch (err) {
      if (sqlState(err) === UNIQUE_VIOLATION) throw new DomainError('ORGANISATION_NAME_TAKEN');
      throw err;
    }
  });
}

async function assertDistrictInCity(tx: Queryable, districtCode: string, cityCode: string): Promise<void> {
  const [region] = await tx
    .select({ cityCode: schema.regions.cityCode, level: schema.regions.level })
    .from(schema.regions)
    .where(eq(schema.regions.code, districtCode));
  if (!region || region.level !== 'district' || region.cityCode !== cityCode) throw new DomainError('REGION_NOT_IN_CITY');
}

const ra = schema.roleAssignments;

export async function listRoleAssignments(db: Db, actor: Actor, organisationId: string): Promise<RoleAssignment[]> {
  await authorize(db, actor, ['bureau_admin'], organisationId);
  const rows = await db
    .select({
      id: ra.id,
      role: ra.role,
      createdAt: ra.createdAt,
      userId: schema.users.id,
      displayName: schema.users.displayName,
      phone: schema.users.phone,
    })
    .from(ra)
    .innerJoin(schema.users, eq(schema.users.id, ra.userId))
    .where(eq(ra.organisationId, organisationId))
    .orderBy(asc(ra.role), asc(ra.createdAt));
  return rows.map((r) => ({
    id: r.id,
    role: r.role,
    createdAt: r.createdAt.toISOString(),
    user: { id: r.userId, displayName: r.displayName, phoneMasked: maskPhone(r.phone) },
  }));
}

/** A bureau admin grants a staff role in an organisation it reaches to a registered user. Audited. */
export async function grantRole(
  db: Db,
  actor: Actor,
  organisationId: string,
  body: GrantRoleBody,
): Promise<RoleAssignment> {
  return db.transaction(async (tx) => {
    const target = await authorize(tx, actor, ['bureau_admin'], organisationId);
    if (!roleFitsOrganisation(body.role, target.kind)) throw new DomainError('ROLE_NOT_FOR_ORGANISATION');
    const [user] = await tx
      .select({ id: schema.users.id, displayName: schema.users.displayName, phone: schema.users.phone })
      .from(schema.users)
      .where(eq(schema.users.phone, body.phone));
    if (!user) throw new DomainError('USER_NOT_FOUND');
    const [created] = await tx
      .insert(ra)
      .values({ userId: user.id, role: body.role, organisationId, grantedBy: actor.userId })
      .onConflictDoNothing()
      .returning({ id: ra.id, createdAt: ra.createdAt });
    if (!created) throw new DomainError('ROLE_ALREADY_GRANTED');
    await recordAudit(tx, actor, {
      action: 'role.grant',
      targetType: 'user',
      targetId: user.id,
      organisationId,
      detail: { role: body.role, assignmentId: created.id },
    });
    return {
      id: created.id,
      role: body.role,
      createdAt: created.createdAt.toISOString(),
      user: { id: user.id, displayName: user.displayName, phoneMasked: maskPhone(user.phone) },
    };
  });
}

/** Revokes one role assignment. A bureau admin cannot revoke their own admin role (no lock-outs). Audited. */
export async function revokeRole(db: Db, actor: Actor, organisationId: string, assignmentId: string): Promise<void> {
  await db.transaction(async (tx) => {
    await authorize(tx, actor, ['bureau_admin'], organisationId);
    const [removed] = await tx
      .delete(ra)
      .where(and(eq(ra.id, assignmentId), eq(ra.organisationId, organisationId)))
      .returning({ userId: ra.userId, role: ra.role });
    if (!removed) throw new DomainError('NOT_FOUND');
    if (removed.userId === actor.userId && removed.role === 'bureau_admin') {
      throw new DomainError('CANNOT_REVOKE_OWN_ADMIN');
    }
    await recordAudit(tx, actor, {
      action: 'role.revoke',
      targetType: 'user',
      targetId: removed.userId,
      organisationId,
      detail: { role: removed.role, assignmentId },
    });
  });
}

/** Cities and districts, for forms and filters. Public. */
export async function listRegions(db: Db, cityCode?: string): Promise<Region[]> {
  const r = schema.regions;
  return db
    .select({
      code: r.code,
      name: r.name,
      level: r.level,
      cityCode: r.cityCode,
      lat: r.lat,
      lng: r.lng,
      approximate: r.approximate,
    })
    .from(r)
    .where(cityCode ? eq(r.cityCode, cityCode) : undefined)
    .orderBy(asc(r.cityCode), sql`${r.level} = 'district'`, asc(r.code));
}

