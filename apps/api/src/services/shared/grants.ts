import { and, eq, or, sql, type SQL } from 'drizzle-orm';
import { schema, type Queryable } from '@sports/db';
import { canActOn, type OrganisationPlace, type RoleGrant, type StaffRole } from '@sports/domain';
import type { Actor } from './actor.ts';
import { DomainError } from './errors.ts';

export interface GrantWithName extends RoleGrant {
  organisation: OrganisationPlace & { name: string };
}

/** The staff roles a user holds, each with the organisation it is held in. */
export async function loadGrants(db: Queryable, userId: string): Promise<GrantWithName[]> {
  const rows = await db
    .select({
      role: schema.roleAssignments.role,
      id: schema.organisations.id,
      name: schema.organisations.name,
      kind: schema.organisations.kind,
      cityCode: schema.organisations.cityCode,
      districtCode: schema.organisations.districtCode,
    })
    .from(schema.roleAssignments)
    .innerJoin(schema.organisations, eq(schema.organisations.id, schema.roleAssignments.organisationId))
    .where(eq(schema.roleAssignments.userId, userId))
    .orderBy(schema.roleAssignments.createdAt);
  return rows.map(({ role, ...organisation }) => ({ role, organisation }));
}

export async function findOrganisationPlace(db: Queryable, id: string): Promise<OrganisationPlace | undefined> {
  const [row] = await db
    .select({
      id: schema.organisations.id,
      kind: schema.organisations.kind,
      cityCode: schema.organisations.cityCode,
      districtCode: schema.organisations.districtCode,
    })
    .from(schema.organisations)
    .where(eq(schema.organisations.id, id));
  return row;
}

/**
 * The guard every service uses: the actor must hold one of `roles` in a scope that reaches the
 * organisation that owns the thing. An organisation that does not exist is a 404, one out of reach
 * a 403.
 */
export async function authorize(
  db: Queryable,
  actor: Actor,
  roles: readonly StaffRole[],
  organisationId: string,
): Promise<OrganisationPlace> {
  const target = await findOrganisationPlace(db, organisationId);
  if (!target) throw new DomainError('NOT_FOUND');
  if (!canActOn(actor.grants, roles, target)) throw new DomainError('FORBIDDEN');
  return target;
}

/**
 * SQL over `organisations`: the rows any of `grants` reaches — the query form of grantReaches() in
 * the domain, for listing what a person may manage.
 */
export function organisationsReachedBy(grants: readonly RoleGrant[]): SQL {
  const o = schema.organisations;
  if (grants.length === 0) return sql`false`;
  return or(
    ...grants.map((grant) => {
      const home = grant.organisation;
      if (grant.role !== 'bureau_admin' || home.kind !== 'bureau') return eq(o.id, home.id);
      if (home.districtCode === null) return eq(o.cityCode, home.cityCode);
      return or(eq(o.id, home.id), and(eq(o.cityCode, home.cityCode), eq(o.districtCode, home.districtCode)));
    }),
  )!;
}
