import { Type, type Static } from 'typebox';
import { Timestamp, Uuid } from '../shared/common.ts';

/** Mainland mobile number; kept equal to MAINLAND_MOBILE_PATTERN in the domain package. */
export const Phone = Type.String({ pattern: '^1[3-9]\\d{9}$', description: '中国大陆手机号 Mainland mobile number' });
export const Password = Type.String({ minLength: 8, maxLength: 128 });

export const STAFF_ROLES = ['bureau_admin', 'operator', 'school_admin', 'technician'] as const;
export const StaffRole = Type.Enum(STAFF_ROLES);
export type StaffRole = (typeof STAFF_ROLES)[number];

export const ORGANISATION_KINDS = ['bureau', 'operator', 'school'] as const;
export const OrganisationKind = Type.Enum(ORGANISATION_KINDS);
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

export const RegisterBody = Type.Object(
  {
    phone: Phone,
    password: Password,
    displayName: Type.String({ minLength: 1, maxLength: 40 }),
  },
  { additionalProperties: false },
);
export type RegisterBody = Static<typeof RegisterBody>;

export const LoginBody = Type.Object(
  { phone: Phone, password: Type.String({ minLength: 1, maxLength: 128 }) },
  { additionalProperties: false },
);
export type LoginBody = Static<typeof LoginBody>;

export const RoleScope = Type.Object({
  role: StaffRole,
  organisation: Type.Object({
    id: Uuid,
    name: Type.String(),
    kind: OrganisationKind,
    cityCode: Type.String(),
    districtCode: Type.Union([Type.String(), Type.Null()]),
  }),
});
export type RoleScope = Static<typeof RoleScope>;

/** A user as they see themselves: the phone masked, their roles with the organisations they are held in. */
export const Me = Type.Object({
  id: Uuid,
  displayName: Type.String(),
  phoneMasked: Type.String(),
  locale: Type.String(),
  roles: Type.Array(RoleScope),
  createdAt: Timestamp,
});
export type Me = Static<typeof Me>;

export const Session = Type.Object({
  accessToken: Type.String(),
  /** Seconds until the access token expires. */
  expiresIn: Type.Integer(),
  user: Me,
});
export type Session = Static<typeof Session>;
