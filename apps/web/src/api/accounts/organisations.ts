import type {
  CreateOrganisationBody,
  GrantRoleBody,
  Organisation,
  OrganisationKind,
  Page,
  RoleAssignment,
} from '@sports/contracts';
import { request } from '@/api/shared/http.ts';

export interface OrganisationFilter {
  page: number;
  pageSize: number;
  kind?: OrganisationKind | undefined;
  q?: string | undefined;
}

export function listOrganisations(filter: OrganisationFilter): Promise<Page<Organisation>> {
  return request<Page<Organisation>>('GET', '/organisations', { query: { ...filter } });
}

export function createOrganisation(body: CreateOrganisationBody): Promise<Organisation> {
  return request<Organisation>('POST', '/organisations', { body });
}

export function listRoleAssignments(organisationId: string): Promise<RoleAssignment[]> {
  return request<RoleAssignment[]>('GET', `/organisations/${encodeURIComponent(organisationId)}/roles`);
}

export function grantRole(organisationId: string, body: GrantRoleBody): Promise<RoleAssignment> {
  return request<RoleAssignment>('POST', `/organisations/${encodeURIComponent(organisationId)}/roles`, { body });
}

export function revokeRole(organisationId: string, assignmentId: string): Promise<void> {
  return request<void>(
    'DELETE',
    `/organisations/${encodeURIComponent(organisationId)}/roles/${encodeURIComponent(assignmentId)}`,
  );
}
