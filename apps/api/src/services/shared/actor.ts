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
  /**
   * The sign-in (refresh-token family) the access token belongs to; the token stops working when it
   * is signed out. Null only for a token that carries none, which this server never issues.
   */
  sessionId: string | null;
  requestId: string;
}

/**
 * Whether the sign-in is still live ($2: the session id, null for none to check): some token of its
 * family not revoked. Signing out and a reused refresh token revoke the whole family.
 */
const SESSION_LIVE = (user: string, session: string) => `(${session}::uuid is null or exists (
           select 1 from refresh_tokens rt where rt.family_id = ${session}::uuid and rt.user_id = ${user}::uuid and rt.revoked_at is null))`;

/** Whether the account is disabled, whether the sign-in is live, and its roles: the same rows, in the same order, as loadGrants. */
const ACCOUNT_AND_GRANTS = `
  select u.disabled_at is not null as disabled,
         ${SESSION_LIVE('$1', '$2')} as "signedIn",
         coalesce((select json_agg(json_build_object('role', ra.role,
                                                     'organisation', json_build_object('id', o.id, 'name', o.name, 'kind', o.kind,
                                                                                       'cityCode', o.city_code, 'districtCode', o.district_code))
                                   order by ra.created_at)
                     from role_assignments ra join organisations o on o.id = ra.organisation_id
                    where ra.user_id = u.id), '[]'::json) as grants
    from users u where u.id = $1::uuid`;

/**
 * Only whether the account is disabled and the sign-in still live (`user`, `session`: the parameters
 * holding the user id and the session id; no row when there is no such account), for a statement
 * that reads the account as a subquery in the same round trip as its own work (see reserve).
 */
export const accountState = (user: string, session: string) =>
  `select u.disabled_at is not null as disabled, ${SESSION_LIVE(user, session)} as "signedIn" from users u where u.id = ${user}::uuid`;

/** Refuses a caller whose account is missing or disabled, or whose sign-in has ended. */
export function requireEnabled(account: { disabled: boolean; signedIn: boolean } | undefined): void {
  if (!account || !account.signedIn) throw new DomainError('UNAUTHENTICATED');
  if (account.disabled) throw new DomainError('ACCOUNT_DISABLED');
}

interface AccountRow {
  disabled: boolean;
  signedIn: boolean;
  grants: GrantWithName[];
}

/**
 * Reads the caller's account and roles — on every request, so a revoked role or a disabled account
 * takes effect at once — in one round trip, as a prepared statement (parsed and planned once per
 * connection; the name is ignored on the embedded database).
 */
export async function loadActor(db: Queryable, caller: Caller): Promise<Actor> {
  const [account] = await preparedRows<AccountRow>(db, 'account_and_grants', ACCOUNT_AND_GRANTS, [caller.userId, caller.sessionId]);
  requireEnabled(account);
  return { userId: caller.userId, grants: account!.grants, requestId: caller.requestId };
}
