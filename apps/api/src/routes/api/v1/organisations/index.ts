import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import {
  CreateOrganisationBody,
  GrantRoleBody,
  Organisation,
  OrganisationListQuery,
  OrganisationParams,
  Page,
  RoleAssignment,
  RoleAssignmentParams,
} from '@sports/contracts';
import * as organisations from '../../../../services/accounts/organisations.ts';
import { bearer, problems } from '../../../responses.ts';

/** The organisation registry and the roles held in each organisation. Staff only, scoped. */
const organisationRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.addHook('onRequest', fastify.authenticate);

  fastify.get(
    '',
    {
      schema: {
        operationId: 'listOrganisations',
        tags: ['organisations'],
        summary: '我可管理的机构 Organisations within my scope',
        security: bearer,
        querystring: OrganisationListQuery,
        response: { 200: Page(Organisation), ...problems(400, 401, 403) },
      },
    },
    async (request) => organisations.listOrganisations(fastify.db, request.actor, request.query),
  );

  fastify.post(
    '',
    {
      schema: {
        operationId: 'createOrganisation',
        tags: ['organisations'],
        summary: '新建机构 Create an organisation under a bureau (bureau admin)',
        security: bearer,
        body: CreateOrganisationBody,
        response: { 201: Organisation, ...problems(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await organisations.createOrganisation(fastify.db, request.actor, request.body)),
  );

  fastify.get(
    '/:id',
    {
      schema: {
        operationId: 'getOrganisation',
        summary: '机构详情 One organisation within my scope',
        tags: ['organisations'],
        security: bearer,
        params: OrganisationParams,
        response: { 200: Organisation, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => organisations.getOrganisation(fastify.db, request.actor, request.params.id),
  );

  fastify.get(
    '/:id/roles',
    {
      schema: {
        operationId: 'listOrganisationRoles',
        tags: ['organisations'],
        summary: '机构内的角色 Roles held in an organisation (bureau admin)',
        security: bearer,
        params: OrganisationParams,
        response: { 200: Type.Array(RoleAssignment), ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => organisations.listRoleAssignments(fastify.db, request.actor, request.params.id),
  );

  fastify.post(
    '/:id/roles',
    {
      schema: {
        operationId: 'grantRole',
        tags: ['organisations'],
        summary: '授予角色 Grant a role to a registered user (bureau admin, audited)',
        security: bearer,
        params: OrganisationParams,
        body: GrantRoleBody,
        response: { 201: RoleAssignment, ...problems(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await organisations.grantRole(fastify.db, request.actor, request.params.id, request.body)),
  );

  fastify.delete(
    '/:id/roles/:assignmentId',
    {
      schema: {
        operationId: 'revokeRole',
        tags: ['organisations'],
        summary: '撤销角色 Revoke a role (bureau admin, audited)',
        security: bearer,
        params: RoleAssignmentParams,
        response: { 204: Type.Null(), ...problems(400, 401, 403, 404, 422) },
      },
    },
    async (request, reply) => {
      await organisations.revokeRole(fastify.db, request.actor, request.params.id, request.params.assignmentId);
      return reply.status(204).send(null);
    },
  );
};

export default organisationRoutes;
