import { Type, type Static } from 'typebox';
import { OrganisationKind, Phone, StaffRole } from './auth.ts';
import { PageQuery, Timestamp, Uuid } from '../shared/common.ts';

export const Region = Type.Object({
  code: Type.String(),
  name: Type.String(),
  level: Type.Union([Type.Literal('city'), Type.Literal('district')]),
  cityCode: Type.String(),
  lat: Type.Number(),
  lng: Type.Number(),
  approximate: Type.Boolean(),
});
export type Region = Static<typeof Region>;

export const Organisation = Type.Object({
  id: Uuid,
  kind: OrganisationKind,
  name: Type.String(),
  parentId: Type.Union([Uuid, Type.Null()]),
  cityCode: Type.String(),
  districtCode: Type.Union([Type.String(), Type.Null()]),
  isDemo: Type.Boolean(),
  createdAt: Timestamp,
});
export type Organisation = Static<typeof Organisation>;

export const OrganisationListQuery = Type.Object({
  ...PageQuery.properties,
  kind: Type.Optional(OrganisationKind),
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
});
export type OrganisationListQuery = Static<typeof OrganisationListQuery>;

export const CreateOrganisationBody = Type.Object(
  {
    kind: OrganisationKind,
    name: Type.String({ minLength: 2, maxLength: 60 }),
    /** The supervising bureau; must be within the caller's scope. */
    parentId: Uuid,
    districtCode: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 40 }), Type.Null()])),
  },
  { additionalProperties: false },
);
export type CreateOrganisationBody = Static<typeof CreateOrganisationBody>;

export const OrganisationParams = Type.Object({ id: Uuid });

export const RoleAssignment = Type.Object({
  id: Uuid,
  role: StaffRole,
  user: Type.Object({ id: Uuid, displayName: Type.String(), phoneMasked: Type.String() }),
  createdAt: Timestamp,
});
export type RoleAssignment = Static<typeof RoleAssignment>;

export const GrantRoleBody = Type.Object(
  { phone: Phone, role: StaffRole },
  { additionalProperties: false },
);
export type GrantRoleBody = Static<typeof GrantRoleBody>;

export const RoleAssignmentParams = Type.Object({ id: Uuid, assignmentId: Uuid });
