import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import {
  AcceptPledgeBody,
  CloseSessionBody,
  EntryBody,
  EntryResult,
  Headcount,
  IdempotencyHeaders,
  ManagedSessionQuery,
  MyRegistrationsQuery,
  OpeningSummary,
  OpeningSummaryQuery,
  Page,
  PageQuery,
  PlanPreview,
  Pledge,
  RegistrationParams,
  SchoolParams,
  SchoolPlan,
  SchoolPlanBody,
  SchoolPlanListQuery,
  SchoolPlanParams,
  SchoolRegistration,
  SchoolSession,
  SchoolSessionDetail,
  SchoolSessionQuery,
  SessionParams,
  SessionRegisterBody,
  SetPledgeBody,
  StaffRegistration,
  WithdrawBody,
} from '@sports/contracts';
import { schoolOpenTarget } from '@sports/domain';
import type { ReservationSecrets } from '../../../../services/booking/reservation-rows.ts';
import * as plans from '../../../../services/schools/school-plans.ts';
import { closeSession, cancelRegistration } from '../../../../services/schools/cancel.ts';
import { listSessionRegistrations, sessionRegistrationsCsv, sessionHeadcount, recordEntry } from '../../../../services/schools/gate.ts';
import { openingSummary } from '../../../../services/schools/opening-summary.ts';
import { register } from '../../../../services/schools/register.ts';
import { listSessions, listManagedSessions, getSession, listMyRegistrations } from '../../../../services/schools/registration-reads.ts';
import { bearer, problems } from '../../../responses.ts';

export interface SchoolRoutesOptions {
  secrets: ReservationSecrets;
}

/**
 * School fields open to residents: safety pledges, opening plans, sessions and registrations, the
 * gate, and the bureau's per-district view. Mounted at /api/v1.
 */
const schoolRoutes: FastifyPluginAsyncTypebox<SchoolRoutesOptions> = async (fastify, { secrets }) => {
  const tags = ['schools'];
  const signedIn = { onRequest: fastify.authenticate };

  // ——— safety pledge ———
  fastify.get(
    '/schools/:organisationId/pledge',
    {
      onRequest: fastify.identify,
      schema: { operationId: 'getSchoolPledge', tags, summary: '安全承诺书 The school’s current safety pledge; `accepted` for the signed-in resident', params: SchoolParams, response: { 200: Pledge, ...problems(400, 404) } },
    },
    async (request) => plans.getPledge(fastify.db, request.params.organisationId, request.actor?.userId),
  );
  fastify.put(
    '/schools/:organisationId/pledge',
    {
      ...signedIn,
      schema: { operationId: 'publishSchoolPledge', tags, security: bearer, summary: '发布新版承诺书 A new version of the pledge (school staff)', params: SchoolParams, body: SetPledgeBody, response: { 200: Pledge, ...problems(400, 401, 403, 404) } },
    },
    async (request) => plans.setPledge(fastify.db, request.actor, request.params.organisationId, request.body),
  );
  fastify.post(
    '/schools/:organisationId/pledge/acceptances',
    {
      ...signedIn,
      schema: { operationId: 'acceptSchoolPledge', tags, security: bearer, summary: '同意承诺书 Accept the current version', params: SchoolParams, body: AcceptPledgeBody, response: { 204: Type.Null(), ...problems(400, 401, 404, 409) } },
    },
    async (request, reply) => {
      await plans.acceptPledge(fastify.db, request.actor, request.params.organisationId, request.body.version);
      return reply.status(204).send(null);
    },
  );

  // ——— opening plans ———
  fastify.get(
    '/school-plans',
    { ...signedIn, schema: { operationId: 'listSchoolPlans', tags, security: bearer, summary: '开放计划 Plans of the schools I run', querystring: SchoolPlanListQuery, response: { 200: Page(SchoolPlan), ...problems(400, 401) } } },
    async (request) => plans.listPlans(fastify.db, request.actor, request.query),
  );
  fastify.post(
    '/school-plans',
    { ...signedIn, schema: { operationId: 'createSchoolPlan', tags, security: bearer, summary: '新建开放计划（草稿） A draft plan', body: SchoolPlanBody, response: { 201: SchoolPlan, ...problems(400, 401, 403, 404) } } },
    async (request, reply) => reply.status(201).send(await plans.createPlan(fastify.db, request.actor, request.body)),
  );
  fastify.post(
    '/school-plans/preview',
    {
      ...signedIn,
      schema: { operationId: 'previewSchoolPlan', tags, security: bearer, summary: '预览 The calendar a plan would produce, holidays and make-up days marked; saves nothing', body: SchoolPlanBody, response: { 200: PlanPreview, ...problems(400, 401, 403, 404) } },
    },
    async (request) => plans.previewPlan(fastify.db, request.actor, request.body),
  );
  fastify.get(
    '/school-plans/:id',
    { ...signedIn, schema: { operationId: 'getSchoolPlan', tags, security: bearer, summary: '开放计划详情 One plan', params: SchoolPlanParams, response: { 200: SchoolPlan, ...problems(400, 401, 403, 404) } } },
    async (request) => plans.getPlan(fastify.db, request.actor, request.params.id),
  );
  fastify.put(
    '/school-plans/:id',
    {
      ...signedIn,
      schema: { operationId: 'updateSchoolPlan', tags, security: bearer, summary: '修改草稿 Edit a draft (published plans are withdrawn and replaced instead)', params: SchoolPlanParams, body: SchoolPlanBody, response: { 200: SchoolPlan, ...problems(400, 401, 403, 404, 409) } },
    },
    async (request) => plans.updatePlan(fastify.db, request.actor, request.params.id, request.body, fastify.now()),
  );
  fastify.post(
    '/school-plans/:id/publish',
    {
      ...signedIn,
      schema: { operationId: 'publishSchoolPlan', tags, security: bearer, summary: '发布 Publish: sessions are written for the registration window', params: SchoolPlanParams, response: { 200: SchoolPlan, ...problems(400, 401, 403, 404, 409) } },
    },
    async (request) => plans.publishPlan(fastify.db, request.actor, request.params.id, fastify.now()),
  );
  fastify.post(
    '/school-plans/:id/withdraw',
    {
      ...signedIn,
      schema: { operationId: 'withdrawSchoolPlan', tags, security: bearer, summary: '撤回 Withdraw: future sessions close and registrants are told', params: SchoolPlanParams, body: WithdrawBody, response: { 200: SchoolPlan, ...problems(400, 401, 403, 404) } },
    },
    async (request) => plans.withdrawPlan(fastify.db, request.actor, request.params.id, request.body.reason, fastify.now()),
  );

  // ——— sessions ———
  fastify.get(
    '/school-sessions',
    {
      schema: { operationId: 'listSchoolSessions', tags, summary: '可报名场次 Open sessions with places left, next 7 days', querystring: SchoolSessionQuery, response: { 200: Page(SchoolSession), ...problems(400) } },
    },
    async (request) => listSessions(fastify.db, request.query, fastify.now()),
  );
  fastify.get(
    '/school-sessions/managed',
    {
      ...signedIn,
      schema: { operationId: 'listManagedSchoolSessions', tags, security: bearer, summary: '本校场次 Sessions of the schools I run, any status', querystring: ManagedSessionQuery, response: { 200: Page(SchoolSession), ...problems(400, 401) } },
    },
    async (request) => listManagedSessions(fastify.db, request.actor, request.query, fastify.now()),
  );
  fastify.get(
    '/school-sessions/:id',
    {
      onRequest: fastify.identify,
      schema: {
        operationId: 'getSchoolSession',
        tags,
        summary: '场次详情 One session; `myRegistration` is the signed-in resident’s own active registration for it (null signed out or when none)',
        params: SessionParams,
        response: { 200: SchoolSessionDetail, ...problems(400, 401, 404) },
      },
    },
    async (request) => getSession(fastify.db, secrets, request.params.id, request.actor?.userId ?? null),
  );
  fastify.post(
    '/school-sessions/:id/registrations',
    {
      ...signedIn,
      schema: {
        operationId: 'registerForSchoolSession',
        tags,
        security: bearer,
        summary: '报名 Register (with up to 3 children) — Idempotency-Key required; places are taken atomically',
        params: SessionParams,
        headers: IdempotencyHeaders,
        body: SessionRegisterBody,
        response: { 201: SchoolRegistration, ...problems(400, 401, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const { registration } = await register(
        fastify.db,
        secrets,
        request.actor,
        request.params.id,
        request.body,
        request.headers['idempotency-key'],
        fastify.now(),
      );
      return reply.status(201).send(registration);
    },
  );
  fastify.post(
    '/school-sessions/:id/close',
    {
      ...signedIn,
      schema: { operationId: 'closeSchoolSession', tags, security: bearer, summary: '关闭场次 Close a session: registrants are released without penalty and told', params: SessionParams, body: CloseSessionBody, response: { 200: SchoolSession, ...problems(400, 401, 403, 404, 409) } },
    },
    async (request) => closeSession(fastify.db, request.actor, request.params.id, request.body.reason, fastify.now()),
  );
  fastify.get(
    '/school-sessions/:id/registrations',
    {
      ...signedIn,
      schema: { operationId: 'listSessionRegistrations', tags, security: bearer, summary: '报名名单 Who registered, masked', params: SessionParams, querystring: PageQuery, response: { 200: Page(StaffRegistration), ...problems(400, 401, 403, 404) } },
    },
    async (request) => listSessionRegistrations(fastify.db, request.actor, request.params.id, request.query),
  );
  fastify.get(
    '/school-sessions/:id/registrations.csv',
    {
      ...signedIn,
      schema: { operationId: 'exportSessionRegistrations', produces: ['text/csv'], tags, security: bearer, summary: '导出名单 The list as CSV (UTF-8 with BOM, opens in Excel)', params: SessionParams, response: { 200: Type.String(), ...problems(400, 401, 403, 404) } },
    },
    async (request, reply) => {
      const { filename, body } = await sessionRegistrationsCsv(fastify.db, request.actor, request.params.id);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${filename}"`)
        .header('cache-control', 'no-store')
        .send(body);
    },
  );
  fastify.get(
    '/school-sessions/:id/headcount',
    { ...signedIn, schema: { operationId: 'getSessionHeadcount', tags, security: bearer, summary: '在场人数 Registered, inside now, left', params: SessionParams, response: { 200: Headcount, ...problems(400, 401, 403, 404) } } },
    async (request) => sessionHeadcount(fastify.db, request.actor, request.params.id),
  );

  // ——— my registrations ———
  fastify.get(
    '/school-registrations',
    { ...signedIn, schema: { operationId: 'listMySchoolRegistrations', tags, security: bearer, summary: '我的校园开放报名 My registrations', querystring: MyRegistrationsQuery, response: { 200: Page(SchoolRegistration), ...problems(400, 401) } } },
    async (request) => listMyRegistrations(fastify.db, secrets, request.actor, request.query, fastify.now()),
  );
  fastify.post(
    '/school-registrations/:id/cancel',
    {
      ...signedIn,
      schema: { operationId: 'cancelSchoolRegistration', tags, security: bearer, summary: '取消报名 Cancel before the session starts; the places are freed', params: RegistrationParams, response: { 200: SchoolRegistration, ...problems(400, 401, 404, 409) } },
    },
    async (request) => cancelRegistration(fastify.db, secrets, request.actor, request.params.id, fastify.now()),
  );

  // ——— the gate ———
  fastify.post(
    '/school-entries',
    {
      ...signedIn,
      schema: {
        operationId: 'recordSchoolEntry',
        tags,
        security: bearer,
        summary: '入校/离校核验 Check a party in (30 min before to the end) or out, by QR or typed code',
        body: EntryBody,
        response: { 200: EntryResult, ...problems(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => recordEntry(fastify.db, secrets, request.actor, request.body, fastify.now()),
  );

  // ——— the bureau ———
  fastify.get(
    '/school-opening/summary',
    {
      ...signedIn,
      schema: {
        operationId: 'getSchoolOpeningSummary',
        tags,
        security: bearer,
        summary: '学校场地开放统计 Per district: school venues, open in the next 7 days, ratio vs target, places',
        querystring: OpeningSummaryQuery,
        response: { 200: OpeningSummary, ...problems(400, 401, 403) },
      },
    },
    async (request) => {
      const target = schoolOpenTarget(request.query.city);
      const source = request.locale === 'en' ? target.source.en : target.source.zh;
      return openingSummary(fastify.db, request.actor, request.query.city, { value: target.value, source }, fastify.now());
    },
  );
};

export default schoolRoutes;
