import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigserial,
  boolean,
  check,
  doublePrecision,
  index,
  inet,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type { OrganisationKind, StaffRole } from '@sports/domain';

const timestamps = {
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
};

// The database may import domain types only (DESIGN §2); tools/enum-consistency.test.ts checks these
// lists hold exactly the domain's values.
export const organisationKind = pgEnum('organisation_kind', [
  'bureau',
  'operator',
  'school',
] as const satisfies readonly OrganisationKind[]);
export const staffRole = pgEnum('staff_role', [
  'bureau_admin',
  'operator',
  'school_admin',
  'technician',
] as const satisfies readonly StaffRole[]);
export const regionLevel = pgEnum('region_level', ['city', 'district']);

/** Cities and their districts. Codes are the national adcode where one exists, else a stable slug. */
export const regions = pgTable(
  'regions',
  {
    code: text('code').primaryKey(),
    name: text('name').notNull(),
    level: regionLevel('level').notNull(),
    cityCode: text('city_code').notNull(),
    timeZone: text('time_zone').notNull().default('Asia/Shanghai'),
    lat: doublePrecision('lat').notNull(),
    lng: doublePrecision('lng').notNull(),
    /** The point is a rough estimate (functional zones without a government seat). */
    approximate: boolean('approximate').notNull().default(false),
  },
  (t) => [
    index('regions_city_idx').on(t.cityCode),
    check('regions_lat_range', sql`${t.lat} between -90 and 90`),
    check('regions_lng_range', sql`${t.lng} between -180 and 180`),
  ],
);

/** Bureaus, operator companies and schools. Every staff role is held within one of these. */
export const organisations = pgTable(
  'organisations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: organisationKind('kind').notNull(),
    name: text('name').notNull(),
    /** The supervising bureau; null only for a city bureau. */
    parentId: uuid('parent_id').references((): AnyPgColumn => organisations.id, { onDelete: 'restrict' }),
    cityCode: text('city_code')
      .notNull()
      .references(() => regions.code),
    /** null for an organisation that works city-wide. */
    districtCode: text('district_code').references(() => regions.code),
    isDemo: boolean('is_demo').notNull().default(false),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('organisations_city_name_uq').on(t.cityCode, t.name),
    index('organisations_parent_idx').on(t.parentId),
    check('organisations_parent_required', sql`${t.kind} = 'bureau' or ${t.parentId} is not null`),
  ],
);

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    phone: text('phone').notNull(),
    displayName: text('display_name').notNull(),
    passwordHash: text('password_hash').notNull(),
    locale: text('locale').notNull().default('zh-CN'),
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('users_phone_uq').on(t.phone),
    check('users_phone_format', sql`${t.phone} ~ '^1[3-9][0-9]{9}$'`),
  ],
);

/** A staff role held by a user within one organisation. A user may hold several. */
export const roleAssignments = pgTable(
  'role_assignments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: staffRole('role').notNull(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    grantedBy: uuid('granted_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamps.createdAt,
  },
  (t) => [
    uniqueIndex('role_assignments_uq').on(t.userId, t.role, t.organisationId),
    index('role_assignments_org_idx').on(t.organisationId),
  ],
);

/**
 * Refresh tokens, stored as SHA-256 of the token. Each login starts a family; each refresh marks the
 * presented token used and issues the next one in the same family. Presenting a used token revokes
 * the whole family.
 */
export const refreshTokens = pgTable(
  'refresh_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    familyId: uuid('family_id').notNull(),
    tokenHash: text('token_hash').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    createdAt: timestamps.createdAt,
  },
  (t) => [
    uniqueIndex('refresh_tokens_hash_uq').on(t.tokenHash),
    index('refresh_tokens_family_idx').on(t.familyId),
    index('refresh_tokens_user_idx').on(t.userId),
  ],
);

/** Failed sign-ins, counted per phone and per client address to slow down password guessing. */
export const loginFailures = pgTable(
  'login_failures',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    phone: text('phone').notNull(),
    ip: inet('ip').notNull(),
    failedAt: timestamp('failed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('login_failures_phone_idx').on(t.phone, t.failedAt),
    index('login_failures_ip_idx').on(t.ip, t.failedAt),
  ],
);

/** Append-only: a trigger refuses UPDATE and DELETE (see the custom migration). */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    actorId: uuid('actor_id').references(() => users.id),
    /** The organisation whose data changed, so a bureau can read what happened in its scope. */
    organisationId: uuid('organisation_id').references(() => organisations.id),
    action: text('action').notNull(),
    targetType: text('target_type').notNull(),
    targetId: text('target_id').notNull(),
    detail: jsonb('detail').notNull().default({}),
    requestId: text('request_id'),
  },
  (t) => [
    index('audit_log_org_at_idx').on(t.organisationId, t.at),
    index('audit_log_actor_at_idx').on(t.actorId, t.at),
  ],
);
