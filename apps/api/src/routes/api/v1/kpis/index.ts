import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AuditEntry, AuditQuery, KpiQuery, KpiReport, Page } from '@sports/contracts';
import { auditEntries } from '../../../../services/dashboard/audit-log.ts';
import { kpiReport } from '../../../../services/dashboard/kpis.ts';
import { bearer, problems } from '../../../responses.ts';

/** The bureau's dashboard figures and the audit log. Mounted at /api/v1. */
const kpiRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const signedIn = { onRequest: fastify.authenticate };

  fastify.get(
    '/kpis',
    {
      ...signedIn,
      schema: {
        operationId: 'getKpis',
        tags: ['dashboard'],
        security: bearer,
        summary: '数据看板 Every KPI of a city or district for a period, against its target, with breakdowns for drill-down',
        querystring: KpiQuery,
        response: { 200: KpiReport, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => kpiReport(fastify.db, request.actor, request.query, fastify.now()),
  );

  fastify.get(
    '/audit',
    {
      ...signedIn,
      schema: {
        operationId: 'listAuditEntries',
        tags: ['dashboard'],
        security: bearer,
        summary: '操作日志 Who changed what and when, in the organisations I reach',
        querystring: AuditQuery,
        response: { 200: Page(AuditEntry), ...problems(400, 401, 403) },
      },
    },
    async (request) => auditEntries(fastify.db, request.actor, request.query),
  );
};

export default kpiRoutes;
