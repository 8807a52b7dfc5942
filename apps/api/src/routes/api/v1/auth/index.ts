import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { LoginBody, RegisterBody, Session } from '@sports/contracts';
import * as accounts from '../../../../services/accounts/accounts.ts';
import { REFRESH_COOKIE } from '../../../../plugins/app/auth.ts';
import { problems } from '../../../responses.ts';

export interface AuthRoutesOptions {
  settings: accounts.AccountSettings;
}

/** Register, sign in, refresh and sign out. The refresh token travels only in an httpOnly cookie. */
const authRoutes: FastifyPluginAsyncTypebox<AuthRoutesOptions> = async (fastify, { settings }) => {
  fastify.post(
    '/register',
    {
      config: { private: true },
      schema: {
        operationId: 'register',
        tags: ['auth'],
        summary: '注册 Register with a mainland mobile number',
        body: RegisterBody,
        response: { 201: Session, ...problems(400, 409, 422, 429) },
      },
    },
    async (request, reply) => {
      const signedIn = await accounts.register(fastify.db, settings, request.body);
      return reply.status(201).send(await fastify.issueSession(reply, signedIn));
    },
  );

  fastify.post(
    '/login',
    {
      config: { private: true },
      schema: {
        operationId: 'logIn',
        tags: ['auth'],
        summary: '登录 Sign in',
        body: LoginBody,
        response: { 200: Session, ...problems(400, 401, 403, 429) },
      },
    },
    async (request, reply) => {
      const signedIn = await accounts.login(fastify.db, settings, request.body, request.ip);
      return fastify.issueSession(reply, signedIn);
    },
  );

  fastify.post(
    '/refresh',
    {
      config: { private: true },
      schema: {
        operationId: 'refreshToken',
        tags: ['auth'],
        summary: '换取新令牌 Exchange the refresh cookie for a new access token',
        response: { 200: Session, ...problems(401, 403) },
      },
    },
    async (request, reply) => {
      try {
        return await fastify.issueSession(reply, await accounts.refresh(fastify.db, settings, request.cookies[REFRESH_COOKIE]));
      } catch (err) {
        fastify.clearSession(reply);
        throw err;
      }
    },
  );

  fastify.post(
    '/logout',
    {
      config: { private: true },
      schema: {
        operationId: 'logOut',
        tags: ['auth'],
        summary: '退出登录 Sign out this device',
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      await accounts.logout(fastify.db, request.cookies[REFRESH_COOKIE]);
      fastify.clearSession(reply);
      return reply.status(204).send(null);
    },
  );
};

export default authRoutes;
