import type { RoleGrant } from '@sports/domain';

/** Who is asking: the signed-in user, the roles they hold where, and the request for the audit trail. */
export interface Actor {
  userId: string;
  grants: RoleGrant[];
  requestId: string;
}
