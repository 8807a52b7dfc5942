import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import {
  Asset,
  AssetCodeParams,
  AssetListQuery,
  AssetParams,
  CreateAssetBody,
  Page,
  PublicAsset,
  SetAssetStatusBody,
  UpdateAssetBody,
  VenueParams,
} from '@sports/contracts';
import { venueLabelSheet } from '../../../../services/repairs/asset-labels.ts';
import * as assets from '../../../../services/repairs/assets.ts';
import { bearer, problems } from '../../../responses.ts';

export interface AssetRoutesOptions {
  links: assets.AssetLinks;
}

/**
 * Equipment that residents can report broken: the register kept by venue staff, the public view
 * behind each QR label, and the printable label sheet. Mounted at /api/v1.
 */
const assetRoutes: FastifyPluginAsyncTypebox<AssetRoutesOptions> = async (fastify, { links }) => {
  const tags = ['assets'];
  const signedIn = { onRequest: fastify.authenticate };
  const anyone = { onRequest: fastify.identify };

  fastify.get(
    '/assets/by-code/:code',
    {
      ...anyone,
      schema: {
        operationId: 'getAssetByCode',
        tags,
        summary: '扫码查看设施 What the report page shows for a label’s code: type, fault choices, venue, status; signed in, whether I said 我也遇到 on its open ticket',
        params: AssetCodeParams,
        response: { 200: PublicAsset, ...problems(400, 401, 404) },
      },
    },
    async (request) => assets.assetByCode(fastify.db, request.actor ?? null, request.params.code),
  );

  fastify.get(
    '/assets',
    {
      ...signedIn,
      schema: {
        operationId: 'listAssets',
        tags,
        security: bearer,
        summary: '设施台账 Assets of the venues I keep, filtered by venue, type and status',
        querystring: AssetListQuery,
        response: { 200: Page(Asset), ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => assets.listAssets(fastify.db, request.actor, request.query, links, fastify.now()),
  );
  fastify.post(
    '/assets',
    {
      ...signedIn,
      schema: {
        operationId: 'createAsset',
        tags,
        security: bearer,
        summary: '登记设施 Register equipment at a venue; it gets its label code',
        body: CreateAssetBody,
        response: { 201: Asset, ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => reply.status(201).send(await assets.createAsset(fastify.db, request.actor, request.body, links, fastify.now())),
  );
  fastify.get(
    '/assets/:id',
    {
      ...signedIn,
      schema: { operationId: 'getAsset', tags, security: bearer, summary: '设施详情 One asset', params: AssetParams, response: { 200: Asset, ...problems(400, 401, 403, 404) } },
    },
    async (request) => assets.getAsset(fastify.db, request.actor, request.params.id, links, fastify.now()),
  );
  fastify.patch(
    '/assets/:id',
    {
      ...signedIn,
      schema: {
        operationId: 'updateAsset',
        tags,
        security: bearer,
        summary: '修改设施信息 Change an asset (its venue and code stay)',
        params: AssetParams,
        body: UpdateAssetBody,
        response: { 200: Asset, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => assets.updateAsset(fastify.db, request.actor, request.params.id, request.body, links, fastify.now()),
  );
  fastify.put(
    '/assets/:id/status',
    {
      ...signedIn,
      schema: {
        operationId: 'setAssetStatus',
        tags,
        security: bearer,
        summary: '设施状态 Mark an asset ok, degraded or out of service (a reason unless ok)',
        params: AssetParams,
        body: SetAssetStatusBody,
        response: { 200: Asset, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => assets.setAssetStatus(fastify.db, request.actor, request.params.id, request.body, links, fastify.now()),
  );

  fastify.get(
    '/venues/:id/asset-labels',
    {
      ...signedIn,
      schema: {
        operationId: 'printAssetLabels',
        tags,
        security: bearer,
        summary: '打印二维码标签 A print-ready A4 HTML page of QR labels for every asset of the venue',
        params: VenueParams,
        produces: ['text/html'],
        response: { 200: Type.String({ description: 'text/html' }), ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const html = await venueLabelSheet(fastify.db, request.actor, request.params.id, links);
      return reply.type('text/html; charset=utf-8').header('cache-control', 'private, no-store').send(html);
    },
  );
};

export default assetRoutes;
