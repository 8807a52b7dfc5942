import type { FastifyPluginAsyncTypebox, TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import {
  CreateExceptionBody,
  CreateResourceBody,
  CreateVenueBody,
  ExceptionParams,
  HoursException,
  Page,
  Photo,
  PhotoParams,
  Resource,
  ResourceParams,
  SetHoursBody,
  UpdateResourceBody,
  UpdateVenueBody,
  VenueDetail,
  VenueListQuery,
  VenueParams,
  VenueSummary,
} from '@sports/contracts';
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../../../../services/shared/actor.ts';
import { setVenueHours, addHoursException, deleteHoursException } from '../../../../services/venues/hours.ts';
import { createVenue, updateVenue, createResource, updateResource } from '../../../../services/venues/registry.ts';
import { addVenuePhoto, deleteVenuePhoto } from '../../../../services/venues/venue-photos.ts';
import { listVenues, getVenue } from '../../../../services/venues/venue-reads.ts';
import { uploadedFile } from '../../../../plugins/app/uploads.ts';
import { bearer, multipartUpload, problems } from '../../../responses.ts';

/** The venue registry: public reading, scoped staff writing. */
const venueRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const actorOrNull = (request: FastifyRequest): Actor | null => request.actor ?? null;

  fastify.get(
    '',
    {
      onRequest: fastify.identify,
      schema: {
        operationId: 'listVenues',
        tags: ['venues'],
        summary: '场馆列表 Venues: filters, distance sort, open now; `managed=true` lists what I manage',
        querystring: VenueListQuery,
        response: { 200: Page(VenueSummary), ...problems(400, 401, 403) },
      },
    },
    async (request) => listVenues(fastify.db, actorOrNull(request), request.query, fastify.now()),
  );

  fastify.get(
    '/:id',
    {
      onRequest: fastify.identify,
      schema: {
        operationId: 'getVenue',
        tags: ['venues'],
        summary: '场馆详情 A venue with resources, photos and the next 7 days of opening hours',
        params: VenueParams,
        response: { 200: VenueDetail, ...problems(400, 401, 404) },
      },
    },
    async (request) => getVenue(fastify.db, actorOrNull(request), request.params.id, fastify.now()),
  );

  // Writes: a signed-in staff member whose scope reaches the venue's owner (checked by the service).
  await fastify.register(async (plain) => {
    const staff = plain.withTypeProvider<TypeBoxTypeProvider>();
    staff.addHook('onRequest', fastify.authenticate);
    const writes = { security: bearer, tags: ['venues'] };

    staff.post(
      '',
      {
        schema: {
          operationId: 'createVenue',
          ...writes,
          summary: '新建场馆 Create a venue (bureau admin in scope, or the owning operator/school)',
          body: CreateVenueBody,
          response: { 201: VenueDetail, ...problems(400, 401, 403, 404, 422) },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await createVenue(fastify.db, request.actor, request.body, fastify.now())),
    );

    staff.patch(
      '/:id',
      {
        schema: {
          operationId: 'updateVenue',
          ...writes,
          summary: '修改场馆 Edit a venue; only a bureau admin reassigns its owner',
          params: VenueParams,
          body: UpdateVenueBody,
          response: { 200: VenueDetail, ...problems(400, 401, 403, 404, 422) },
        },
      },
      async (request) => updateVenue(fastify.db, request.actor, request.params.id, request.body, fastify.now()),
    );

    staff.put(
      '/:id/hours',
      {
        schema: {
          operationId: 'setVenueHours',
          ...writes,
          summary: '设置开放时间 Set the weekly hours and holiday rule',
          params: VenueParams,
          body: SetHoursBody,
          response: { 200: VenueDetail, ...problems(400, 401, 403, 404) },
        },
      },
      async (request) => setVenueHours(fastify.db, request.actor, request.params.id, request.body, fastify.now()),
    );

    staff.post(
      '/:id/exceptions',
      {
        schema: {
          operationId: 'addVenueException',
          ...writes,
          summary: '临时闭馆或特殊开放 Add a dated closure or special hours, with a reason',
          params: VenueParams,
          body: CreateExceptionBody,
          response: { 201: HoursException, ...problems(400, 401, 403, 404, 409) },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(await addHoursException(fastify.db, request.actor, request.params.id, request.body, fastify.now())),
    );

    staff.delete(
      '/:id/exceptions/:exceptionId',
      {
        schema: { operationId: 'deleteVenueException', summary: '删除临时安排 Remove a dated closure or special hours', ...writes, params: ExceptionParams, response: { 204: Type.Null(), ...problems(400, 401, 403, 404) } },
      },
      async (request, reply) => {
        await deleteHoursException(fastify.db, request.actor, request.params.id, request.params.exceptionId, fastify.now());
        return reply.status(204).send(null);
      },
    );

    staff.post(
      '/:id/resources',
      {
        schema: {
          operationId: 'addResource',
          ...writes,
          summary: '新增场地 Add a bookable resource (court, lane, field…)',
          params: VenueParams,
          body: CreateResourceBody,
          response: { 201: Resource, ...problems(400, 401, 403, 404, 409) },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await createResource(fastify.db, request.actor, request.params.id, request.body)),
    );

    staff.patch(
      '/:id/resources/:resourceId',
      {
        schema: {
          operationId: 'updateResource',
          ...writes,
          summary: '修改场地 Edit a resource: name, status, capacity, its own week',
          params: ResourceParams,
          body: UpdateResourceBody,
          response: { 200: Resource, ...problems(400, 401, 403, 404, 409) },
        },
      },
      async (request) =>
        updateResource(fastify.db, request.actor, request.params.id, request.params.resourceId, request.body, fastify.now()),
    );

    staff.post(
      '/:id/photos',
      {
        config: multipartUpload,
        schema: {
          operationId: 'uploadVenuePhoto',
          ...writes,
          summary: '上传照片 Upload a photo (multipart field `file`; JPEG, PNG or WebP)',
          consumes: ['multipart/form-data'],
          params: VenueParams,
          response: { 201: Photo, ...problems(400, 401, 403, 404, 413, 415, 422) },
        },
      },
      async (request, reply) => {
        const upload = await uploadedFile(request);
        const photo = await addVenuePhoto(fastify.db, fastify.uploads, request.actor, request.params.id, upload);
        return reply.status(201).send(photo);
      },
    );

    staff.delete(
      '/:id/photos/:photoId',
      {
        schema: { operationId: 'deleteVenuePhoto', summary: '删除照片 Remove a photo of the venue', ...writes, params: PhotoParams, response: { 204: Type.Null(), ...problems(400, 401, 403, 404) } },
      },
      async (request, reply) => {
        await deleteVenuePhoto(fastify.db, fastify.uploads, request.actor, request.params.id, request.params.photoId);
        return reply.status(204).send(null);
      },
    );
  });
};

export default venueRoutes;
