import jwt from '@fastify/jwt';
import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Session } from '@sports/contracts';
import { loadActor, type Actor, type Caller } from '../../services/shared/actor.ts';
import type { SignedIn } from '../../services/accounts/accounts.ts';
import { DomainError } from '../../services/shared/errors.ts';

export const REFRESH_COOKIE = 'sp_refresh';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The refresh cookie goes only to the auth routes. */
const REFRESH_COOKIE_PATH = '/api/v1/auth';

declare module '@fastify/jwt' {
  interface FastifyJWT {
    /** `sid`: the sign-in (refresh-token family); signing out ends every access token of it at once. */
    payload: { sub: string; sid?: string };
    user: { sub: string; sid?: string };
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** preHandler: requires a valid access token and loads who is asking into `request.actor`. */
    authenticate(request: FastifyRequest): Promise<void>;
    /**
     * preHandler for a route that reads the account itself, in the same round trip as its own work:
     * requires a valid access token and puts its user into `request.caller`; `request.actor` stays null.
     */
    verifyToken(request: FastifyRequest): Promise<void>;
    /** preHandler for public routes: like authenticate when a token is sent, else `request.actor` stays null. */
    identify(request: FastifyRequest): Promise<void>;
    /** Signs an access token, sets the rotating refresh cookie, and returns the session body. */
    issueSession(reply: FastifyReply, signedIn: SignedIn): Promise<Session>;
    /** Removes the refresh cookie from the browser. */
    clearSession(reply: FastifyReply): void;
  }
  interface FastifyContextConfig {
    /** The answer is for one person only (tokens, a secret feed): never stored by any cache. */
    private?: boolean;
  }
  interface FastifyRequest {
    /** Set by authenticate; null on public routes for someone not signed in. */
    actor: Actor;
    /** Set by authenticate and verifyToken: whose valid token came with the request. */
    caller: Caller;
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
    fastify.decorateRequest('caller', null as unknown as Caller);

    // No cache — a browser's, a proxy's or a CDN's — keeps an answer meant for one person: whatever
    // answers a request that carries a token or the refresh cookie, and the routes marked private.
    fastify.addHook('onSend', (request, reply, payload, done) => {
      if (
        request.headers.authorization !== undefined ||
        request.routeOptions.config?.private === true ||
        request.headers.cookie?.includes(`${REFRESH_COOKIE}=`)
      ) {
        const current = reply.getHeader('cache-control');
        if (typeof current !== 'string' || !current.includes('no-store')) reply.header('cache-control', 'no-store');
      }
      done(null, payload);
    });

    fastify.decorate('verifyToken', async (request: FastifyRequest) => {
      const header = request.headers.authorization;
      if (!header?.startsWith('Bearer ')) throw new DomainError('UNAUTHENTICATED');
      // The verifier itself, synchronously: request.jwtVerify() wraps it in callbacks and a promise
      // and looks for the token again, which on a booking cost as much as the signature check.
      let payload: { sub: string; sid?: string };
      try {
        payload = fastify.jwt.verify<{ sub: string; sid?: string }>(header.slice('Bearer '.length));
      } catch (err) {
        throw new DomainError((err as { code?: string }).code === 'FAST_JWT_EXPIRED' ? 'TOKEN_EXPIRED' : 'UNAUTHENTICATED');
      }
      // The account and the sign-in are checked where the account is read (loadActor, or the booking's
      // own statement), in the same round trip. A token without a session id was not issued by this
      // version (they all carry one, and a signed token cannot be changed): it lives out its minutes.
      const sessionId = payload.sid ?? null;
      if (sessionId !== null && !UUID.test(sessionId)) throw new DomainError('UNAUTHENTICATED');
      request.caller = { userId: payload.sub, sessionId, requestId: request.id };
    });

    fastify.decorate('authenticate', async (request: FastifyRequest) => {
      await fastify.verifyToken(request);
      request.actor = await loadActor(fastify.db, request.caller);
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
      const accessToken = await reply.jwtSign({ sub: signedIn.userId, sid: signedIn.sessionId });
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
