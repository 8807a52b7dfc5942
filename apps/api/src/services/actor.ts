import type { RoleGrant } from '@sports/domain';
import { preparedRows, type Queryable } from '@sports/db';
import { DomainError } from './errors.ts';
import type { GrantWithName } from './grants.ts';

/** Who is asking: the signed-in user, the roles they hold where, and the request for the audit trail. */
export interface Actor {
  userId: string;
  grants: RoleGrant[];
  requestId: string;
}

/** Whose valid access token came with a request, before their account has been read. */
export interface Caller {
  userId: string;
  requestId: string;
}

/** Whether the account is disabled, and its roles: the same rows, in the same order, as loadGrants. */
const ACCOUNT_AND_GRANTS = `
  select u.disabled_at is not null as disabled,
         coalesce((select json_agg(json_build_object('role', ra.role,
                                                     'organisation', json_build_object('id', o.id, 'name', o.name, 'kind', o.kind,
                                                                                       'cityCode', o.city_code, 'districtCode', o.district_code))
                                   order by ra.created_at)
                     from role_assignments ra join organisations o on o.id = ra.organisation_id
                    where ra.user_id = u.id), '[]'::json) as grants
    from users u where u.id = $1::uuid`;

/**
 * Only whether the account is disabled ($1: the user id; no row when there is no such account), for a
 * statement that reads the account as a subquery in the same round trip as its own work (see reserve).
 */
export const ACCOUNT_STATE = `select u.disabled_at is not null as disabled from users u where u.id = $1::uuid`;

/** Refuses a caller whose account is missing or disabled. */
export function requireEnabled(account: { disabled: boolean } | undefined): void {
  if (!account) throw new DomainError('UNAUTHENTICATED');
  if (account.disabled) throw new DomainError('ACCOUNT_DISABLED');
}

interface AccountRow {
  disabled: boolean;
  grants: GrantWithName[];
}

/**
 * Reads the caller's account and roles — on every request, so a revoked role or a disabled account
 * takes effect at once — in one round trip, as a prepared statement (parsed and planned once per
 * connection; the name is ignored on the embedded database).
 */
export async function loadActor(db: Queryable, caller: Caller): Promise<Actor> {
  const [account] = await preparedRows<AccountRow>(db, 'account_and_grants', ACCOUNT_AND_GRANTS, [caller.userId]);
  requireEnabled(account);
  return { userId: caller.userId, grants: account!.grants, requestId: caller.requestId };
}
