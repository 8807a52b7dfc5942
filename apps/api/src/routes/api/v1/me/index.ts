import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { BookingStanding, Identity, IdentityBody, Me, Notification, StandingQuery, Uuid } from '@sports/contracts';
import { deleteIdentity, getIdentity, setIdentity, type IdentityKeys } from '../../../../services/accounts/identity.ts';
import { getMe } from '../../../../services/accounts/accounts.ts';
import { listNotifications, markNotificationRead } from '../../../../services/accounts/notifications.ts';
import { bookingStanding } from '../../../../services/booking/standing.ts';
import { bearer, problems } from '../../../responses.ts';

export interface MeRoutesOptions {
  identityKeys: IdentityKeys;
}

const meRoutes: FastifyPluginAsyncTypebox<MeRoutesOptions> = async (fastify, { identityKeys }) => {
  const identityTags = ['schools'];
  fastify.get(
    '/identity',
    {
      onRequest: fastify.authenticate,
      schema: {
        operationId: 'getMyIdentity',
        tags: identityTags,
        summary: '我的实名信息 My real-name record, masked, and the consent text',
        security: bearer,
        response: { 200: Identity, ...problems(401) },
      },
    },
    async (request) => getIdentity(fastify.db, request.actor.userId, request.locale === 'en' ? 'en' : 'zh'),
  );
  fastify.put(
    '/identity',
    {
      onRequest: fastify.authenticate,
      schema: {
        operationId: 'setMyIdentity',
        tags: identityTags,
        summary: '实名登记或更正 Record or correct name and ID number (checked by GB 11643; stored encrypted)',
        security: bearer,
        body: IdentityBody,
        response: { 200: Identity, ...problems(400, 401, 409) },
      },
    },
    async (request) => setIdentity(fastify.db, identityKeys, request.actor, request.body, fastify.now()),
  );
  fastify.delete(
    '/identity',
    {
      onRequest: fastify.authenticate,
      schema: {
        operationId: 'deleteMyIdentity',
        tags: identityTags,
        summary: '删除实名信息 Delete it; school registrations not yet begun are cancelled',
        security: bearer,
        response: { 204: Type.Null(), ...problems(401) },
      },
    },
    async (request, reply) => {
      await deleteIdentity(fastify.db, request.actor, fastify.now());
      return reply.status(204).send(null);
    },
  );

  fastify.get(
    '',
    {
      onRequest: fastify.authenticate,
      schema: {
        operationId: 'getMe',
        tags: ['auth'],
        summary: '当前用户 The signed-in user, phone masked, with roles and their scopes',
        security: bearer,
        response: { 200: Me, ...problems(401, 403) },
      },
    },
    async (request) => getMe(fastify.db, request.actor.userId),
  );

  fastify.get(
    '/booking-standing',
    {
      onRequest: fastify.authenticate,
      schema: {
        operationId: 'getMyBookingStanding',
        tags: ['bookings'],
        summary: '我的预约资格 Suspension (why, until when), the city rules, my calendar feed URL',
        security: bearer,
        querystring: StandingQuery,
        response: { 200: BookingStanding, ...problems(400, 401) },
      },
    },
    async (request) => bookingStanding(fastify.db, request.actor.userId, request.query.city, fastify.now()),
  );

  fastify.get(
    '/notifications',
    {
      onRequest: fastify.authenticate,
      schema: { operationId: 'listMyNotifications', tags: ['auth'], summary: '消息 My inbox, newest first', description: 'Each message’s title and body are rendered when read, in the language of Accept-Language (zh-CN unless English is preferred), times on the clock of the venue.', security: bearer, response: { 200: Type.Array(Notification), ...problems(401) } },
    },
    async (request) => listNotifications(fastify.db, request.actor.userId, request.locale),
  );

  fastify.post(
    '/notifications/:id/read',
    {
      onRequest: fastify.authenticate,
      schema: { operationId: 'markNotificationRead', summary: '标为已读 Mark one of my messages read', tags: ['auth'], security: bearer, params: Type.Object({ id: Uuid }), response: { 204: Type.Null(), ...problems(400, 401, 404) } },
    },
    async (request, reply) => {
      await markNotificationRead(fastify.db, request.actor.userId, request.params.id, fastify.now());
      return reply.status(204).send(null);
    },
  );
};

export default meRoutes;
