/** Every signed-in person is a resident; staff roles are held within one organisation. */
export const STAFF_ROLES = ['bureau_admin', 'operator', 'school_admin', 'technician'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];
export type Role = 'resident' | StaffRole;

export const ORGANISATION_KINDS = ['bureau', 'operator', 'school'] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

/** Which kind of organisation each staff role is held in. */
export const ROLE_ORGANISATION_KIND: Record<StaffRole, readonly OrganisationKind[]> = {
  bureau_admin: ['bureau'],
  operator: ['operator'],
  school_admin: ['school'],
  technician: ['operator', 'school', 'bureau'],
};

export function roleFitsOrganisation(role: StaffRole, kind: OrganisationKind): boolean {
  return ROLE_ORGANISATION_KIND[role].includes(kind);
}
