export { MAINLAND_MOBILE_PATTERN, isMainlandMobile, maskPhone } from './phone.ts';
export { checkIdNumber, idNumberCheckChar, maskIdNumber } from './id-number.ts';
export type { IdNumberCheck, IdNumberProblem } from './id-number.ts';
export { STAFF_ROLES, ORGANISATION_KINDS, ROLE_ORGANISATION_KIND, roleFitsOrganisation } from './roles.ts';
export type { Role, StaffRole, OrganisationKind } from './roles.ts';
export { grantReaches, canActOn } from './scope.ts';
export type { OrganisationPlace, RoleGrant } from './scope.ts';
