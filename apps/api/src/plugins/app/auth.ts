import jwt from '@fastify/jwt';
import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Session } from '@sports/contracts';
import { preparedRows } from '@sports/db';
import type { Actor } from '../../services/actor.ts';
import type { SignedIn } from '../../services/accounts.ts';
import { DomainError } from '../../services/errors.ts';
import type { GrantWithName } from '../../services/grants.ts';

export const REFRESH_COOKIE = 'sp_refresh';
/** The refresh cookie goes only to the auth routes. */
const REFRESH_COOKIE_PATH = '/api/v1/auth';

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: { sub: string };
    user: { sub: string };
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** preHandler: requires a valid access token and loads who is asking into `request.actor`. */
    authenticate(request: FastifyRequest): Promise<void>;
    /** preHandler for public routes: like authenticate when a token is sent, else `request.actor` stays null. */
    identify(request: FastifyRequest): Promise<void>;
    /** Signs an access token, sets the rotating refresh cookie, and returns the session body. */
    issueSession(reply: FastifyReply, signedIn: SignedIn): Promise<Session>;
    /** Removes the refresh cookie from the browser. */
    clearSession(reply: FastifyReply): void;
  }
  interface FastifyRequest {
    /** Set by authenticate; null on public routes for someone not signed in. */
    actor: Actor;
  }
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

export interface AuthPluginOptions {
  secret: string;
  accessTokenTtlSeconds: number;
  cookieSecure: boolean;
}

export default fp<AuthPluginOptions>(
  async (fastify, opts) => {
    await fastify.register(jwt, { secret: opts.secret, sign: { expiresIn: opts.accessTokenTtlSeconds } });
    fastify.decorateRequest('actor', null as unknown as Actor);

    fastify.decorate('authenticate', async (request: FastifyRequest) => {
      const header = request.headers.authorization;
      if (!header?.startsWith('Bearer ')) throw new DomainError('UNAUTHENTICATED');
      let payload: { sub: string };
      try {
        payload = await request.jwtVerify<{ sub: string }>();
      } catch (err) {
        const expired = (err as { code?: string }).code === 'FST_JWT_AUTHORIZATION_TOKEN_EXPIRED';
        throw new DomainError(expired ? 'TOKEN_EXPIRED' : 'UNAUTHENTICATED');
      }
      // Roles are read on every request so a revoked role or a disabled account takes effect at once:
      // the account and its roles in one round trip, as a prepared statement (parsed and planned once
      // per connection; the name is ignored on the embedded database).
      const [user] = await preparedRows<{ disabled: boolean; grants: GrantWithName[] }>(fastify.db, 'account_and_grants', ACCOUNT_AND_GRANTS, [payload.sub]);
      if (!user) throw new DomainError('UNAUTHENTICATED');
      if (user.disabled) throw new DomainError('ACCOUNT_DISABLED');
      request.actor = { userId: payload.sub, grants: user.grants, requestId: request.id };
    });

    fastify.decorate('identify', async (request: FastifyRequest) => {
      if (request.headers.authorization) await fastify.authenticate(request);
    });

    fastify.decorate('issueSession', async (reply: FastifyReply, signedIn: SignedIn): Promise<Session> => {
      reply.setCookie(REFRESH_COOKIE, signedIn.refreshToken, {
        path: REFRESH_COOKIE_PATH,
        httpOnly: true,
        sameSite: 'strict',
        secure: opts.cookieSecure,
        expires: signedIn.refreshExpiresAt,
      });
      const accessToken = await reply.jwtSign({ sub: signedIn.userId });
      return { accessToken, expiresIn: opts.accessTokenTtlSeconds, user: signedIn.me };
    });

    fastify.decorate('clearSession', (reply: FastifyReply) => {
      reply.clearCookie(REFRESH_COOKIE, {
        path: REFRESH_COOKIE_PATH,
        httpOnly: true,
        sameSite: 'strict',
        secure: opts.cookieSecure,
      });
    });
  },
  { name: 'auth', dependencies: ['db', 'cookie', 'errors'] },
);
