import type { OrganisationKind, StaffRole } from './roles.ts';

/** Where an organisation sits: its city and, below city level, its district. */
export interface OrganisationPlace {
  id: string;
  kind: OrganisationKind;
  cityCode: string;
  /** null for a city-level organisation (a city bureau, a city-wide operator). */
  districtCode: string | null;
}

export interface RoleGrant {
  role: StaffRole;
  organisation: OrganisationPlace;
}

/**
 * Whether one role grant reaches a target organisation.
 * - A bureau admin of a city bureau reaches every organisation in its city;
 *   of a district bureau, every organisation in that district.
 * - Every other staff role reaches only the organisation it is held in.
 */
export function grantReaches(grant: RoleGrant, target: OrganisationPlace): boolean {
  const home = grant.organisation;
  if (home.id === target.id) return true;
  if (grant.role !== 'bureau_admin' || home.kind !== 'bureau') return false;
  if (home.cityCode !== target.cityCode) return false;
  return home.districtCode === null || home.districtCode === target.districtCode;
}

/** Whether any of `grants` holds one of `roles` in a scope that reaches `target`. */
export function canActOn(
  grants: readonly RoleGrant[],
  roles: readonly StaffRole[],
  target: OrganisationPlace,
): boolean {
  return grants.some((g) => roles.includes(g.role) && grantReaches(g, target));
}
