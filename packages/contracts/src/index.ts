export { ERRORS, errorMessage } from './errors.ts';
export type { ErrorCode, Locale } from './errors.ts';
export { Uuid, Problem, PageQuery, Page, Timestamp } from './common.ts';
export {
  Phone,
  Password,
  StaffRole,
  STAFF_ROLES,
  OrganisationKind,
  ORGANISATION_KINDS,
  RegisterBody,
  LoginBody,
  RoleScope,
  Me,
  Session,
} from './auth.ts';
export {
  Region,
  Organisation,
  OrganisationListQuery,
  CreateOrganisationBody,
  OrganisationParams,
  RoleAssignment,
  GrantRoleBody,
  RoleAssignmentParams,
} from './organisations.ts';
