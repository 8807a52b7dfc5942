import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import {
  MyTicketsQuery,
  Page,
  ReportTicketBody,
  TicketDetail,
  TicketFollowing,
  TicketListQuery,
  TicketMoveBody,
  TicketNoteBody,
  TicketParams,
  TicketPhoto,
  TicketPhotoQuery,
  TicketRatingBody,
  TicketSuggestion,
  TicketSuggestionsQuery,
  TicketSummary,
  CreateOpen311ClientBody,
  IssuedOpen311Client,
  Open311Client,
  TicketSla,
  TicketTechnician,
  TicketTransferTarget,
} from '@sports/contracts';
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../../../../services/shared/actor.ts';
import { DomainError } from '../../../../services/shared/errors.ts';
import * as open311 from '../../../../services/repairs/open311.ts';
import { suggestDuplicates, followTicket } from '../../../../services/repairs/followers.ts';
import { reportTicket } from '../../../../services/repairs/report.ts';
import { getTicketSla, setTicketSla } from '../../../../services/repairs/sla.ts';
import { uploadTokenFor, checkUploadToken, addTicketPhoto } from '../../../../services/repairs/ticket-photos.ts';
import { getTicket, listTickets, myTickets, ticketTechnicians, ticketTransferTargets } from '../../../../services/repairs/ticket-reads.ts';
import { moveTicket, addTicketNote, rateTicket } from '../../../../services/repairs/workflow.ts';
import { uploadedFile } from '../../../../plugins/app/uploads.ts';
import { bearer, multipartUpload, problems } from '../../../responses.ts';

/**
 * Repair tickets (一键报修): reporting, duplicates, the workflow, and the staff's and residents'
 * lists. Mounted at /api/v1 (it also answers /me/tickets).
 */
interface TicketRoutesOptions {
  secrets: { reportKey: string };
}

const ticketRoutes: FastifyPluginAsyncTypebox<TicketRoutesOptions> = async (fastify, { secrets }) => {
  const tags = ['tickets'];
  const signedIn = { onRequest: fastify.authenticate };
  const anyone = { onRequest: fastify.identify };
  const actorOrNull = (request: FastifyRequest): Actor | null => request.actor ?? null;
  const detail = (request: FastifyRequest, id: string) => getTicket(fastify.db, actorOrNull(request), id, fastify.now());

  fastify.post(
    '/tickets',
    {
      ...anyone,
      schema: {
        operationId: 'reportTicket',
        tags,
        summary: '报修 Report a fault: by asset code, venue (and court) or map point; without an account, with a phone number',
        body: ReportTicketBody,
        response: { 201: TicketDetail, ...problems(400, 401, 409, 422, 429) },
      },
    },
    async (request, reply) => {
      const actor = actorOrNull(request);
      const id = await reportTicket(fastify.db, actor, request.body, { ip: request.ip }, fastify.now());
      const answer = await detail(request, id);
      // Without an account there is no other way to prove, for the photos that follow, who reported it.
      if (!actor) answer.uploadToken = uploadTokenFor(secrets.reportKey, id, fastify.now());
      return reply.status(201).send(answer);
    },
  );

  fastify.get(
    '/tickets/suggestions',
    {
      schema: {
        operationId: 'suggestDuplicateTickets',
        tags,
        summary: '可能重复的报修 Open tickets on the same asset, or within 50 m in the same category',
        querystring: TicketSuggestionsQuery,
        response: { 200: Type.Array(TicketSuggestion), ...problems(400) },
      },
    },
    async (request) => suggestDuplicates(fastify.db, request.query, fastify.now()),
  );

  fastify.get(
    '/tickets',
    {
      ...signedIn,
      schema: {
        operationId: 'listTickets',
        tags,
        security: bearer,
        summary: '报修队列 Tickets of the organisations I reach: overdue first, then by due time',
        querystring: TicketListQuery,
        response: { 200: Page(TicketSummary), ...problems(400, 401, 403) },
      },
    },
    async (request) => listTickets(fastify.db, request.actor, request.query, fastify.now()),
  );

  fastify.get(
    '/me/tickets',
    {
      ...signedIn,
      schema: {
        operationId: 'listMyTickets',
        tags,
        security: bearer,
        summary: '我的报修 Tickets I reported or follow, newest first',
        querystring: MyTicketsQuery,
        response: { 200: Page(TicketSummary), ...problems(400, 401) },
      },
    },
    async (request) => myTickets(fastify.db, request.actor, request.query, fastify.now()),
  );

  fastify.get(
    '/tickets/:id',
    {
      ...anyone,
      schema: {
        operationId: 'getTicket',
        tags,
        summary: '报修详情 A ticket with its timeline (internal notes for staff only) and the moves I may make',
        params: TicketParams,
        response: { 200: TicketDetail, ...problems(400, 401, 404) },
      },
    },
    async (request) => detail(request, request.params.id),
  );

  fastify.post(
    '/tickets/:id/photos',
    {
      ...anyone,
      config: multipartUpload,
      schema: {
        operationId: 'uploadTicketPhoto',
        tags,
        security: bearer,
        summary:
          '报修照片 Upload a photo (multipart field `file`): `kind=report` by the reporter (up to 4; without an account, with the report’s `X-Report-Token`), `kind=after` by staff',
        consumes: ['multipart/form-data'],
        params: TicketParams,
        querystring: TicketPhotoQuery,
        headers: Type.Object({ 'x-report-token': Type.Optional(Type.String({ maxLength: 200 })) }),
        response: { 201: TicketPhoto, ...problems(400, 401, 403, 404, 409, 413, 415, 422) },
      },
    },
    async (request, reply) => {
      const actor = actorOrNull(request);
      const token = request.headers['x-report-token'];
      const anonymousReporter = !actor && token !== undefined && checkUploadToken(secrets.reportKey, request.params.id, token, fastify.now());
      if (!actor && !anonymousReporter) throw new DomainError('UNAUTHENTICATED');
      const upload = await uploadedFile(request);
      const kind = request.query.kind ?? 'report';
      const photo = await addTicketPhoto(fastify.db, fastify.uploads, actor, request.params.id, kind, upload, anonymousReporter);
      return reply.status(201).send(photo);
    },
  );

  fastify.get(
    '/tickets/:id/technicians',
    {
      ...signedIn,
      schema: {
        operationId: 'listTicketTechnicians',
        tags,
        security: bearer,
        summary: '可派维修人员 Technicians of the ticket’s owner, least busy first (dispatchers and bureaus)',
        params: TicketParams,
        response: { 200: Type.Array(TicketTechnician), ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => ticketTechnicians(fastify.db, request.actor, request.params.id),
  );

  fastify.get(
    '/tickets/:id/transfer-targets',
    {
      ...signedIn,
      schema: {
        operationId: 'listTransferTargets',
        tags,
        security: bearer,
        summary: '可转办单位 Organisations of the same city a ticket may be transferred to',
        params: TicketParams,
        response: { 200: Type.Array(TicketTransferTarget), ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => ticketTransferTargets(fastify.db, request.actor, request.params.id),
  );

  fastify.get(
    '/open311-clients',
    {
      ...signedIn,
      schema: {
        operationId: 'listOpen311Clients',
        tags,
        security: bearer,
        summary: 'Open311 客户端 Clients allowed to post reports into the bureaus I administer',
        response: { 200: Type.Array(Open311Client), ...problems(401, 403) },
      },
    },
    async (request) => open311.listClients(fastify.db, request.actor),
  );

  fastify.post(
    '/open311-clients',
    {
      ...signedIn,
      schema: {
        operationId: 'issueOpen311Client',
        tags,
        security: bearer,
        summary: '发放 Open311 密钥 Issue a key to a client; the answer is the only time the key is shown',
        body: CreateOpen311ClientBody,
        response: { 201: IssuedOpen311Client, ...problems(400, 401, 403) },
      },
    },
    async (request, reply) => reply.status(201).send(await open311.issueClient(fastify.db, request.actor, request.body, fastify.now())),
  );

  fastify.post(
    '/open311-clients/:id/revoke',
    {
      ...signedIn,
      schema: {
        operationId: 'revokeOpen311Client',
        tags,
        security: bearer,
        summary: '吊销 Open311 密钥 Revoke a client’s key at once',
        params: TicketParams,
        response: { 200: Open311Client, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => open311.revokeClient(fastify.db, request.actor, request.params.id, fastify.now()),
  );

  fastify.get(
    '/organisations/:id/ticket-sla',
    {
      ...signedIn,
      schema: {
        operationId: 'getTicketSla',
        tags,
        security: bearer,
        summary: '维修时限 The organisation’s repair promise in hours per priority',
        params: TicketParams,
        response: { 200: TicketSla, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => getTicketSla(fastify.db, request.actor, request.params.id),
  );

  fastify.put(
    '/organisations/:id/ticket-sla',
    {
      ...signedIn,
      schema: {
        operationId: 'setTicketSla',
        tags,
        security: bearer,
        summary: '设置维修时限 Set the promise; tickets reported from now on are due by it',
        params: TicketParams,
        body: TicketSla,
        response: { 200: TicketSla, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => setTicketSla(fastify.db, request.actor, request.params.id, request.body),
  );

  fastify.post(
    '/tickets/:id/me-too',
    {
      ...signedIn,
      schema: {
        operationId: 'addMeToo',
        tags,
        security: bearer,
        summary: '我也遇到 +1 on an open ticket (and follow it); idempotent',
        params: TicketParams,
        response: { 200: TicketFollowing, ...problems(400, 401, 404, 409) },
      },
    },
    async (request) => followTicket(fastify.db, request.actor, request.params.id, true),
  );
  fastify.post(
    '/tickets/:id/follow',
    {
      ...signedIn,
      schema: {
        operationId: 'followTicket',
        tags,
        security: bearer,
        summary: '关注 Follow a ticket’s progress; idempotent',
        params: TicketParams,
        response: { 200: TicketFollowing, ...problems(400, 401, 404) },
      },
    },
    async (request) => followTicket(fastify.db, request.actor, request.params.id, false),
  );

  fastify.post(
    '/tickets/:id/moves',
    {
      ...signedIn,
      schema: {
        operationId: 'moveTicket',
        tags,
        security: bearer,
        summary: '处理报修 Make a workflow move (accept, dispatch, resolve, …) as dispatcher, technician, reporter or bureau',
        params: TicketParams,
        body: TicketMoveBody,
        response: { 200: TicketDetail, ...problems(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => {
      await moveTicket(fastify.db, request.actor, request.params.id, request.body, fastify.now());
      return detail(request, request.params.id);
    },
  );

  fastify.post(
    '/tickets/:id/notes',
    {
      ...signedIn,
      schema: {
        operationId: 'addTicketNote',
        tags,
        security: bearer,
        summary: '备注 A note on the timeline by staff; `internal` notes are hidden from the reporter and the public',
        params: TicketParams,
        body: TicketNoteBody,
        response: { 201: TicketDetail, ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await addTicketNote(fastify.db, request.actor, request.params.id, request.body, fastify.now());
      return reply.status(201).send(await detail(request, request.params.id));
    },
  );

  fastify.post(
    '/tickets/:id/rating',
    {
      ...signedIn,
      schema: {
        operationId: 'rateTicket',
        tags,
        security: bearer,
        summary: '评价维修 The reporter rates the repair 1–5, once, after it is resolved',
        params: TicketParams,
        body: TicketRatingBody,
        response: { 200: TicketDetail, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      await rateTicket(fastify.db, request.actor, request.params.id, request.body.stars, fastify.now());
      return detail(request, request.params.id);
    },
  );
};

export default ticketRoutes;
