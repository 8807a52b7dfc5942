import jwt from '@fastify/jwt';
import { eq } from 'drizzle-orm';
import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Session } from '@sports/contracts';
import { schema } from '@sports/db';
import type { Actor } from '../../services/actor.ts';
import type { SignedIn } from '../../services/accounts.ts';
import { DomainError } from '../../services/errors.ts';
import { loadGrants } from '../../services/grants.ts';

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
      // Roles are read on every request so a revoked role or a disabled account takes effect at once.
      const [user] = await fastify.db
        .select({ disabledAt: schema.users.disabledAt })
        .from(schema.users)
        .where(eq(schema.users.id, payload.sub));
      if (!user) throw new DomainError('UNAUTHENTICATED');
      if (user.disabledAt) throw new DomainError('ACCOUNT_DISABLED');
      request.actor = { userId: payload.sub, grants: await loadGrants(fastify.db, payload.sub), requestId: request.id };
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
