import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  bigserial,
  boolean,
  check,
  customType,
  date,
  doublePrecision,
  foreignKey,
  index,
  inet,
  integer,
  jsonb,
  pgEnum,
  primaryKey,
  pgTable,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type {
  AssetStatus,
  AssetType,
  BookingSettings,
  HolidayRule,
  OrganisationKind,
  PriceLevel,
  ResidentRules,
  ResourceMode,
  ResourceStatus,
  SchoolEligibility,
  StaffRole,
  TicketPhotoKind,
  TicketPriority,
  TicketSlaHours,
  TicketSource,
  TicketState,
  TimeRange,
  VenueKind,
  WeeklySchedule,
} from '@sports/domain';

/** A range of instants, written and read as PostgreSQL's text form, e.g. `[2026-11-23 06:00+08,2026-11-23 12:00+08)`. */
const tstzrange = customType<{ data: string; driverData: string }>({ dataType: () => 'tstzrange' });

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
    /** The repair promise in hours per priority; null keeps the defaults (DEFAULT_SLA_HOURS). */
    ticketSla: jsonb('ticket_sla').$type<TicketSlaHours>(),
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
    /** Secret of the person's private calendar feed URL; null until they ask for one. */
    calendarToken: text('calendar_token').unique(),
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

// ——— Venue registry (issue 3) ———

export const venueKind = pgEnum('venue_kind', [
  'stadium',
  'gym',
  'community_center',
  'park',
  'fitness_path',
  'school',
] as const satisfies readonly VenueKind[]);
export const priceLevel = pgEnum('price_level', ['free', 'low', 'paid'] as const satisfies readonly PriceLevel[]);
export const holidayRule = pgEnum('holiday_rule', ['as_weekend', 'closed', 'as_usual'] as const satisfies readonly HolidayRule[]);
export const resourceMode = pgEnum('resource_mode', ['exclusive', 'shared'] as const satisfies readonly ResourceMode[]);
export const resourceStatus = pgEnum('resource_status', [
  'active',
  'out_of_service',
  'retired',
] as const satisfies readonly ResourceStatus[]);
export const hoursExceptionKind = pgEnum('hours_exception_kind', ['closed', 'special']);

/** A place residents can go: a stadium, a gym, a park with a fitness path, a school's grounds. */
export const venues = pgTable(
  'venues',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    name: text('name').notNull(),
    kind: venueKind('kind').notNull(),
    cityCode: text('city_code')
      .notNull()
      .references(() => regions.code),
    districtCode: text('district_code')
      .notNull()
      .references(() => regions.code),
    address: text('address').notNull().default(''),
    /** WGS-84. */
    lat: doublePrecision('lat').notNull(),
    lng: doublePrecision('lng').notNull(),
    /** The position is approximate (placed near the district seat, or from a low-confidence source). */
    locationApproximate: boolean('location_approximate').notNull().default(false),
    sports: text('sports').array().notNull().default(sql`'{}'::text[]`),
    facilities: text('facilities').array().notNull().default(sql`'{}'::text[]`),
    phone: text('phone'),
    description: text('description').notNull().default(''),
    priceLevel: priceLevel('price_level').notNull(),
    isPublic: boolean('is_public').notNull().default(true),
    isDemo: boolean('is_demo').notNull().default(false),
    timeZone: text('time_zone').notNull().default('Asia/Shanghai'),
    holidayRule: holidayRule('holiday_rule').notNull().default('as_usual'),
    /** WeeklySchedule of the domain package: ISO weekday → local time ranges. */
    weeklyHours: jsonb('weekly_hours').$type<WeeklySchedule>().notNull().default({}),
    /** Booking settings for the venue's resources (slot length, window, prices…), over the platform defaults. */
    bookingSettings: jsonb('booking_settings').$type<Partial<BookingSettings>>().notNull().default({}),
    ...timestamps,
  },
  (t) => [
    index('venues_city_district_idx').on(t.cityCode, t.districtCode),
    index('venues_organisation_idx').on(t.organisationId),
    index('venues_sports_idx').using('gin', t.sports),
    index('venues_location_idx').using('gist', sql`point(${t.lng}, ${t.lat})`),
    check('venues_lat_range', sql`${t.lat} between -90 and 90`),
    check('venues_lng_range', sql`${t.lng} between -180 and 180`),
  ],
);

/** A bookable unit inside a venue: a court, a pitch, a lane, a table, a field. */
export const venueResources = pgTable(
  'venue_resources',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    venueId: uuid('venue_id')
      .notNull()
      .references(() => venues.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    sport: text('sport').notNull(),
    indoor: boolean('indoor').notNull().default(false),
    mode: resourceMode('mode').notNull(),
    /** Places per session for a shared resource; 1 for an exclusive one. */
    capacity: integer('capacity').notNull().default(1),
    status: resourceStatus('status').notNull().default('active'),
    /** The resource's own week, replacing the venue's when set. */
    weeklyHours: jsonb('weekly_hours').$type<WeeklySchedule>(),
    /** The resource's own booking settings, over its venue's. */
    bookingSettings: jsonb('booking_settings').$type<Partial<BookingSettings>>(),
    sortOrder: integer('sort_order').notNull().default(0),
    ...timestamps,
  },
  (t) => [
    index('venue_resources_venue_idx').on(t.venueId),
    uniqueIndex('venue_resources_name_uq').on(t.venueId, t.name),
    // Lets other tables require that a resource they name belongs to the venue they name (assets).
    unique('venue_resources_id_venue_uq').on(t.id, t.venueId),
    check('venue_resources_capacity', sql`(${t.mode} = 'exclusive' and ${t.capacity} = 1) or (${t.mode} = 'shared' and ${t.capacity} between 1 and 10000)`),
  ],
);

/** A dated closure or special hours for a venue, or for one of its resources. */
export const venueHoursExceptions = pgTable(
  'venue_hours_exceptions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    venueId: uuid('venue_id')
      .notNull()
      .references(() => venues.id, { onDelete: 'cascade' }),
    resourceId: uuid('resource_id').references(() => venueResources.id, { onDelete: 'cascade' }),
    date: date('date', { mode: 'string' }).notNull(),
    kind: hoursExceptionKind('kind').notNull(),
    ranges: jsonb('ranges').$type<TimeRange[]>().notNull().default([]),
    reason: text('reason').notNull(),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: timestamps.createdAt,
  },
  (t) => [
    unique('venue_hours_exceptions_uq').on(t.venueId, t.resourceId, t.date).nullsNotDistinct(),
    check('venue_hours_exceptions_ranges', sql`${t.kind} = 'closed' or jsonb_array_length(${t.ranges}) > 0`),
  ],
);

/** Photos, re-encoded and stripped of metadata, with a thumbnail. Keys point into the upload store. */
export const venuePhotos = pgTable(
  'venue_photos',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    venueId: uuid('venue_id')
      .notNull()
      .references(() => venues.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    thumbKey: text('thumb_key').notNull(),
    width: integer('width').notNull(),
    height: integer('height').notNull(),
    bytes: integer('bytes').notNull(),
    sortOrder: integer('sort_order').notNull().default(0),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: timestamps.createdAt,
  },
  (t) => [index('venue_photos_venue_idx').on(t.venueId)],
);

/**
 * When each venue is open, expanded from its rules by expandOpeningHours() for a rolling window, so
 * "open now" is one indexed lookup over thousands of venues. Rewritten whenever a venue's hours
 * change and extended by a sweep; the rules stay the only source of truth.
 */
export const venueOpenIntervals = pgTable(
  'venue_open_intervals',
  {
    venueId: uuid('venue_id')
      .notNull()
      .references(() => venues.id, { onDelete: 'cascade' }),
    during: tstzrange('during').notNull(),
  },
  (t) => [
    // "Is venue V open at T": one probe of (venue_id, during) — for a page of results.
    index('venue_open_intervals_venue_during_idx').using('gist', t.venueId, t.during),
    // "Which venues are open at T": one search over all intervals — for the open-now filter and the map.
    index('venue_open_intervals_during_idx').using('gist', t.during),
  ],
);

// ——— Court booking (issue 4) ———

export const reservationKind = pgEnum('reservation_kind', ['booking', 'block', 'series']);
export const reservationStatus = pgEnum('reservation_status', ['confirmed', 'checked_in', 'completed', 'cancelled', 'no_show']);
export const paymentStatus = pgEnum('payment_status', ['unpaid', 'paid_on_site', 'waived', 'refunded']);

/** The bureau's rules for residents of a city, across all its venues. */
export const cityBookingRules = pgTable('city_booking_rules', {
  cityCode: text('city_code')
    .primaryKey()
    .references(() => regions.code),
  rules: jsonb('rules').$type<ResidentRules>().notNull(),
  updatedBy: uuid('updated_by').references(() => users.id),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * A court held for a time: a resident's booking, an operator's block (maintenance, an event) or one
 * date of a club's recurring booking. No two active ones of a resource overlap: an exclusion
 * constraint (custom migration) makes it impossible, whatever the application does.
 */
export const reservations = pgTable(
  'reservations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Short code shown to the resident and typed at the gate when the QR cannot be scanned. */
    code: text('code').notNull(),
    kind: reservationKind('kind').notNull().default('booking'),
    resourceId: uuid('resource_id')
      .notNull()
      .references(() => venueResources.id),
    venueId: uuid('venue_id')
      .notNull()
      .references(() => venues.id),
    /** The resident (bookings), or the holder of a recurring booking; null for a block. */
    userId: uuid('user_id').references(() => users.id),
    during: tstzrange('during').notNull(),
    status: reservationStatus('status').notNull().default('confirmed'),
    sport: text('sport').notNull(),
    priceFen: integer('price_fen').notNull().default(0),
    paymentStatus: paymentStatus('payment_status').notNull().default('unpaid'),
    idempotencyKey: text('idempotency_key'),
    requestHash: text('request_hash'),
    seriesId: uuid('series_id'),
    /** A block's reason, or a recurring booking's holder and purpose. */
    note: text('note').notNull().default(''),
    /** For a block kept while this equipment is out of service (repair-aware booking). */
    repairAssetId: uuid('repair_asset_id').references((): AnyPgColumn => assets.id),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: timestamps.createdAt,
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    cancelledBy: uuid('cancelled_by').references(() => users.id),
    cancelReason: text('cancel_reason'),
    /** Cancelled by the venue or its closure: never counts against the resident. */
    cancelledWithoutPenalty: boolean('cancelled_without_penalty').notNull().default(false),
    checkedInAt: timestamp('checked_in_at', { withTimezone: true }),
    checkedInBy: uuid('checked_in_by').references(() => users.id),
    reminderSentAt: timestamp('reminder_sent_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('reservations_code_uq').on(t.code),
    uniqueIndex('reservations_idempotency_uq').on(t.userId, t.idempotencyKey),
    index('reservations_user_start_idx').on(t.userId, sql`lower(${t.during})`),
    index('reservations_venue_start_idx').on(t.venueId, sql`lower(${t.during})`),
    index('reservations_status_start_idx').on(t.status, sql`lower(${t.during})`),
    check('reservations_price_nonnegative', sql`${t.priceFen} >= 0`),
    check('reservations_booking_has_user', sql`${t.kind} = 'block' or ${t.userId} is not null`),
    check('reservations_repair_is_block', sql`${t.repairAssetId} is null or ${t.kind} = 'block'`),
    index('reservations_repair_asset_idx').on(t.repairAssetId).where(sql`${t.repairAssetId} is not null`),
  ],
);

/** A resident may not book in a city until `until` (no-shows). */
export const bookingSuspensions = pgTable(
  'booking_suspensions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    cityCode: text('city_code')
      .notNull()
      .references(() => regions.code),
    until: timestamp('until', { withTimezone: true }).notNull(),
    reason: text('reason').notNull(),
    createdAt: timestamps.createdAt,
  },
  (t) => [index('booking_suspensions_user_idx').on(t.userId, t.cityCode, t.until)],
);

/** The in-app inbox: what the platform told a person, and whether they have read it. */
export const notifications = pgTable(
  'notifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    kind: text('kind').notNull(),
    /** What the message says, as facts (ids, codes, instants, numbers, names): rendered in the reader's language when read. */
    params: jsonb('params').notNull().default({}),
    /** Text of rows written before messages were stored as kind + params (migration 0013); null since. */
    title: text('title'),
    body: text('body'),
    data: jsonb('data').notNull().default({}),
    readAt: timestamp('read_at', { withTimezone: true }),
    createdAt: timestamps.createdAt,
  },
  (t) => [index('notifications_user_idx').on(t.userId, t.createdAt)],
);

/**
 * Messages leaving the platform (text messages today), written in the transaction of the change
 * that causes them and sent after commit by the outbox sweep, with retries; `sent_text` keeps what
 * was sent.
 */
export const outbox = pgTable(
  'outbox',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    channel: text('channel').notNull(),
    recipient: text('recipient').notNull(),
    kind: text('kind').notNull(),
    params: jsonb('params').notNull().default({}),
    locale: text('locale').notNull().default('zh-CN'),
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    lastError: text('last_error'),
    sentText: text('sent_text'),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    createdAt: timestamps.createdAt,
  },
  (t) => [
    index('outbox_pending_idx').on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
    check('outbox_status', sql`${t.status} in ('pending', 'sent', 'failed')`),
    check('outbox_channel', sql`${t.channel} in ('sms')`),
    check('outbox_locale', sql`${t.locale} in ('zh-CN', 'en')`),
  ],
);

// ——— School fields open to residents (issue 5) ———

export const schoolEligibility = pgEnum('school_eligibility', ['city', 'district'] as const satisfies readonly SchoolEligibility[]);
export const schoolPlanStatus = pgEnum('school_plan_status', ['draft', 'published', 'withdrawn']);
export const schoolSessionStatus = pgEnum('school_session_status', ['open', 'closed']);
export const schoolRegistrationStatus = pgEnum('school_registration_status', ['confirmed', 'checked_in', 'checked_out', 'cancelled', 'no_show']);

/**
 * A resident's real name and ID number, needed once to register at schools. The number is stored
 * only encrypted (AES-256-GCM) and as a keyed hash (HMAC-SHA-256), so one ID holds one account and
 * nobody reading the table learns it; the masked form is what anyone is ever shown.
 */
export const residentIdentities = pgTable(
  'resident_identities',
  {
    userId: uuid('user_id')
      .primaryKey()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** iv.tag.ciphertext, base64url, of the full name. */
    nameCipher: text('name_cipher').notNull(),
    nameMasked: text('name_masked').notNull(),
    /** iv.tag.ciphertext, base64url, of the ID number. */
    idCipher: text('id_cipher').notNull(),
    idHash: text('id_hash').notNull(),
    idMasked: text('id_masked').notNull(),
    birthDate: date('birth_date').notNull(),
    /** The district the resident declares they live in: decides which schools they may use. */
    districtCode: text('district_code')
      .notNull()
      .references(() => regions.code),
    cityCode: text('city_code')
      .notNull()
      .references(() => regions.code),
    consentVersion: text('consent_version').notNull(),
    consentedAt: timestamp('consented_at', { withTimezone: true }).notNull(),
    ...timestamps,
  },
  (t) => [uniqueIndex('resident_identities_id_hash_uq').on(t.idHash), check('resident_identities_masked', sql`${t.idMasked} ~ '^[0-9]{4}[*]{10}[0-9]{3}[0-9X]$'`)],
);

/** A school's safety pledge (安全承诺书). Each edit is a new version; residents accept the newest. */
export const schoolPledges = pgTable(
  'school_pledges',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    version: integer('version').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: timestamps.createdAt,
  },
  (t) => [uniqueIndex('school_pledges_version_uq').on(t.organisationId, t.version), check('school_pledges_version_positive', sql`${t.version} >= 1`)],
);

export const pledgeAcceptances = pgTable(
  'pledge_acceptances',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    pledgeId: uuid('pledge_id')
      .notNull()
      .references(() => schoolPledges.id),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('pledge_acceptances_uq').on(t.userId, t.pledgeId)],
);

/** When a school field or hall is open to residents, for how many, and to whom. */
export const schoolPlans = pgTable(
  'school_plans',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    venueId: uuid('venue_id')
      .notNull()
      .references(() => venues.id),
    resourceId: uuid('resource_id')
      .notNull()
      .references(() => venueResources.id),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    title: text('title').notNull(),
    startsOn: date('starts_on').notNull(),
    endsOn: date('ends_on').notNull(),
    weekly: jsonb('weekly').$type<WeeklySchedule>().notNull(),
    closedDates: jsonb('closed_dates').$type<string[]>().notNull().default([]),
    openOnHolidays: boolean('open_on_holidays').notNull().default(false),
    capacity: integer('capacity').notNull(),
    eligibility: schoolEligibility('eligibility').notNull().default('city'),
    allowMinors: boolean('allow_minors').notNull().default(true),
    status: schoolPlanStatus('status').notNull().default('draft'),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    createdBy: uuid('created_by').references(() => users.id),
    ...timestamps,
  },
  (t) => [
    index('school_plans_venue_idx').on(t.venueId, t.status),
    check('school_plans_capacity', sql`${t.capacity} between 1 and 5000`),
    check('school_plans_dates', sql`${t.endsOn} >= ${t.startsOn}`),
  ],
);

/**
 * One session of a published plan, materialised for the registration window. `taken` counts places
 * held; the check constraint makes going over capacity impossible whatever the application does.
 */
export const schoolSessions = pgTable(
  'school_sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    planId: uuid('plan_id')
      .notNull()
      .references(() => schoolPlans.id),
    venueId: uuid('venue_id')
      .notNull()
      .references(() => venues.id),
    resourceId: uuid('resource_id')
      .notNull()
      .references(() => venueResources.id),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    date: date('date').notNull(),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    capacity: integer('capacity').notNull(),
    taken: integer('taken').notNull().default(0),
    status: schoolSessionStatus('status').notNull().default('open'),
    note: text('note'),
    closedReason: text('closed_reason'),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    closedBy: uuid('closed_by').references(() => users.id),
  },
  (t) => [
    uniqueIndex('school_sessions_plan_start_uq').on(t.planId, t.startsAt),
    index('school_sessions_start_idx').on(t.startsAt),
    index('school_sessions_venue_start_idx').on(t.venueId, t.startsAt),
    check('school_sessions_capacity', sql`${t.taken} >= 0 and ${t.taken} <= ${t.capacity}`),
    check('school_sessions_times', sql`${t.endsAt} > ${t.startsAt}`),
  ],
);

/** A resident's place (and their children's) in a session, with the code shown at the school gate. */
export const schoolRegistrations = pgTable(
  'school_registrations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    sessionId: uuid('session_id')
      .notNull()
      .references(() => schoolSessions.id),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    code: text('code').notNull(),
    partySize: integer('party_size').notNull(),
    /** Accompanying children: first name and age only. */
    minors: jsonb('minors').$type<{ name: string; age: number }[]>().notNull().default([]),
    status: schoolRegistrationStatus('status').notNull().default('confirmed'),
    idempotencyKey: text('idempotency_key'),
    requestHash: text('request_hash'),
    createdAt: timestamps.createdAt,
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    /** Closed by the school or cancelled in time: never counts against the resident. */
    cancelledWithoutPenalty: boolean('cancelled_without_penalty').notNull().default(false),
    cancelReason: text('cancel_reason'),
    checkedInAt: timestamp('checked_in_at', { withTimezone: true }),
    checkedInBy: uuid('checked_in_by').references(() => users.id),
    checkedOutAt: timestamp('checked_out_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('school_registrations_code_uq').on(t.code),
    uniqueIndex('school_registrations_idempotency_uq').on(t.userId, t.idempotencyKey),
    // One active place per resident per session, whatever races.
    uniqueIndex('school_registrations_one_per_session_uq')
      .on(t.sessionId, t.userId)
      .where(sql`${t.status} in ('confirmed', 'checked_in', 'checked_out')`),
    index('school_registrations_user_idx').on(t.userId, t.createdAt),
    check('school_registrations_party', sql`${t.partySize} between 1 and 4`),
  ],
);

// ——— Repair reports (issue 6) ———

export const assetType = pgEnum('asset_type', [
  'basketball_hoop',
  'net',
  'court_surface',
  'lighting',
  'fence',
  'toilet',
  'seating',
  'walker',
  'air_walker',
  'back_massager',
  'horizontal_bar',
  'parallel_bars',
  'rider',
  'twister',
  'other',
] as const satisfies readonly AssetType[]);
export const assetStatus = pgEnum('asset_status', ['ok', 'degraded', 'out_of_service'] as const satisfies readonly AssetStatus[]);

/**
 * A piece of equipment residents can report broken: a hoop, a light, a fitness machine on a path.
 * Its code is printed as a QR label; the optional resource is the court it serves, and must be one of
 * the same venue (a composite foreign key makes any other impossible).
 */
export const assets = pgTable(
  'assets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    venueId: uuid('venue_id')
      .notNull()
      .references(() => venues.id),
    resourceId: uuid('resource_id'),
    /** Short and unguessable, from the alphabet of ASSET_CODE_ALPHABET: what the label's QR points to. */
    code: text('code').notNull(),
    type: assetType('type').notNull(),
    /** The label staff and residents know it by, e.g. 1号场东侧篮球架. */
    name: text('name').notNull(),
    installDate: date('install_date', { mode: 'string' }).notNull(),
    serviceLifeYears: integer('service_life_years').notNull(),
    /** Last day covered by the warranty; null when there is none on record. */
    warrantyUntil: date('warranty_until', { mode: 'string' }),
    status: assetStatus('status').notNull().default('ok'),
    /** While out of service: the day it should be back in use, when staff gave one. */
    expectedFixDate: date('expected_fix_date', { mode: 'string' }),
    /** WGS-84; for equipment along a fitness path, where the venue's point says little. */
    lat: doublePrecision('lat'),
    lng: doublePrecision('lng'),
    createdBy: uuid('created_by').references(() => users.id),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('assets_code_uq').on(t.code),
    index('assets_venue_idx').on(t.venueId, t.type),
    index('assets_resource_idx').on(t.resourceId),
    foreignKey({
      name: 'assets_resource_same_venue_fk',
      columns: [t.resourceId, t.venueId],
      foreignColumns: [venueResources.id, venueResources.venueId],
    }),
    check('assets_code_format', sql`${t.code} ~ '^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}$'`),
    check('assets_name_present', sql`length(btrim(${t.name})) > 0`),
    check('assets_service_life', sql`${t.serviceLifeYears} between 1 and 50`),
    check('assets_warranty_after_install', sql`${t.warrantyUntil} >= ${t.installDate}`),
    check('assets_position_whole', sql`(${t.lat} is null) = (${t.lng} is null)`),
    check('assets_lat_range', sql`${t.lat} between -90 and 90`),
    check('assets_lng_range', sql`${t.lng} between -180 and 180`),
    check('assets_fix_date_only_out_of_service', sql`${t.expectedFixDate} is null or ${t.status} = 'out_of_service'`),
  ],
);

export const ticketState = pgEnum('ticket_state', [
  'submitted',
  'accepted',
  'dispatched',
  'in_progress',
  'on_hold',
  'resolved',
  'closed',
  'rejected',
  'duplicate',
  'transferred',
  'reopened',
] as const satisfies readonly TicketState[]);
export const ticketPriority = pgEnum('ticket_priority', ['urgent', 'normal', 'low'] as const satisfies readonly TicketPriority[]);
export const ticketSource = pgEnum('ticket_source', ['app', 'open311'] as const satisfies readonly TicketSource[]);
export const ticketPhotoKind = pgEnum('ticket_photo_kind', ['report', 'after'] as const satisfies readonly TicketPhotoKind[]);

/**
 * A repair report and where it stands in the workflow (packages/domain tickets.ts). It concerns an
 * asset, a venue (and perhaps one of its courts), or a bare point on the map, and belongs to the
 * organisation that must fix it. At most one ticket per asset is open at a time.
 */
export const tickets = pgTable(
  'tickets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Short, unguessable, from the label alphabet: what a resident or an Open311 client quotes. */
    code: text('code').notNull(),
    assetId: uuid('asset_id').references(() => assets.id),
    venueId: uuid('venue_id').references(() => venues.id),
    resourceId: uuid('resource_id').references(() => venueResources.id),
    /** Who must fix it; changes when the ticket is transferred. */
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    /** The asset type the fault belongs to; 'other' for a venue or a point without one. */
    category: assetType('category').notNull(),
    /** A fault key of the category's one-tap choices (ASSET_CATALOGUE). */
    fault: text('fault').notNull(),
    description: text('description').notNull().default(''),
    /** WGS-84. */
    lat: doublePrecision('lat'),
    lng: doublePrecision('lng'),
    reporterId: uuid('reporter_id').references(() => users.id),
    /** For a report without an account; shown masked only. */
    reporterPhone: text('reporter_phone'),
    state: ticketState('state').notNull().default('submitted'),
    priority: ticketPriority('priority').notNull().default('normal'),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    assigneeId: uuid('assignee_id').references(() => users.id),
    duplicateOf: uuid('duplicate_of').references((): AnyPgColumn => tickets.id),
    source: ticketSource('source').notNull().default('app'),
    /** The Open311 client that sent it, for reports from elsewhere. */
    open311ClientId: uuid('open311_client_id').references((): AnyPgColumn => open311Clients.id),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    rating: integer('rating'),
    /** When the sweep passed the overdue ticket up to the district bureau. */
    escalatedAt: timestamp('escalated_at', { withTimezone: true }),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('tickets_code_uq').on(t.code),
    // The dispatcher's queue: an organisation's tickets in a state, soonest due first.
    index('tickets_queue_idx').on(t.organisationId, t.state, t.dueAt),
    // One open ticket per asset: a second report is a +1 on the first, even when two arrive at once.
    uniqueIndex('tickets_open_asset_uq')
      .on(t.assetId)
      .where(sql`${t.state} not in ('resolved', 'closed', 'rejected', 'duplicate')`),
    index('tickets_venue_idx').on(t.venueId),
    index('tickets_reporter_idx').on(t.reporterId, t.createdAt),
    index('tickets_assignee_idx').on(t.assigneeId, t.state),
    check('tickets_code_format', sql`${t.code} ~ '^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}$'`),
    check('tickets_fault_present', sql`length(btrim(${t.fault})) > 0`),
    check('tickets_position_whole', sql`(${t.lat} is null) = (${t.lng} is null)`),
    check('tickets_lat_range', sql`${t.lat} between -90 and 90`),
    check('tickets_lng_range', sql`${t.lng} between -180 and 180`),
    check('tickets_place_known', sql`${t.assetId} is not null or ${t.venueId} is not null or ${t.lat} is not null`),
    check('tickets_reporter_known', sql`${t.source} = 'open311' or ${t.reporterId} is not null or ${t.reporterPhone} is not null`),
    check('tickets_reporter_phone_format', sql`${t.reporterPhone} ~ '^1[3-9][0-9]{9}$'`),
    check('tickets_rating_range', sql`${t.rating} between 1 and 5`),
    check('tickets_duplicate_of_other', sql`${t.duplicateOf} <> ${t.id}`),
  ],
);

/** The ticket's timeline: every report, move, assignment and note, with who and when. */
export const ticketEvents = pgTable(
  'ticket_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    /** null for the system (auto-close, escalation) and for an anonymous reporter. */
    actorId: uuid('actor_id').references(() => users.id),
    /** A workflow move, or 'report', 'note', 'me_too', 'rating', 'escalate', 'merged'. */
    kind: text('kind').notNull(),
    fromState: ticketState('from_state'),
    toState: ticketState('to_state'),
    note: text('note').notNull().default(''),
    /** Staff-only: hidden from the reporter and the public. */
    internal: boolean('internal').notNull().default(false),
  },
  (t) => [index('ticket_events_ticket_idx').on(t.ticketId, t.at, t.id)],
);

/** The reporter's photos and the technician's after-photos, re-encoded like venue photos. */
export const ticketPhotos = pgTable(
  'ticket_photos',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    kind: ticketPhotoKind('kind').notNull(),
    key: text('key').notNull(),
    thumbKey: text('thumb_key').notNull(),
    width: integer('width').notNull(),
    height: integer('height').notNull(),
    bytes: integer('bytes').notNull(),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: timestamps.createdAt,
  },
  (t) => [index('ticket_photos_ticket_idx').on(t.ticketId, t.kind)],
);

/** Residents told about a ticket's progress: its reporter's +1s ("我也遇到") and plain followers. */
export const ticketFollowers = pgTable(
  'ticket_followers',
  {
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    meToo: boolean('me_too').notNull().default(false),
    createdAt: timestamps.createdAt,
  },
  (t) => [primaryKey({ name: 'ticket_followers_pk', columns: [t.ticketId, t.userId] }), index('ticket_followers_user_idx').on(t.userId)],
);

/** Reports without an account, counted per phone and per client address to throttle them. */
export const anonymousTicketReports = pgTable(
  'anonymous_ticket_reports',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    phone: text('phone').notNull(),
    ip: inet('ip').notNull(),
    reportedAt: timestamp('reported_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('anonymous_ticket_reports_phone_idx').on(t.phone, t.reportedAt),
    index('anonymous_ticket_reports_ip_idx').on(t.ip, t.reportedAt),
  ],
);

/**
 * An Open311 GeoReport v2 client (another city app, a hotline's system) allowed to post requests into
 * a bureau's city. Only a hash of its key is kept; the key is shown once, when issued.
 */
export const open311Clients = pgTable(
  'open311_clients',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    name: text('name').notNull(),
    /** sha256 of the key, hex. */
    keyHash: text('key_hash').notNull(),
    keyPrefix: text('key_prefix').notNull(),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: timestamps.createdAt,
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('open311_clients_key_uq').on(t.keyHash),
    index('open311_clients_organisation_idx').on(t.organisationId),
    check('open311_clients_name_present', sql`length(btrim(${t.name})) > 0`),
  ],
);

// ——— Dashboard rollups (issue 7) ———

/**
 * One court or field on one local day, summed for the bureau's dashboard: open and booked minutes
 * (also per local hour, for the hour × weekday heatmap), bookings whose time came and no-shows.
 * Kept up to date by the KPI sweep over a rolling window; past days no longer change.
 */
export const kpiResourceDays = pgTable(
  'kpi_resource_days',
  {
    resourceId: uuid('resource_id')
      .notNull()
      .references(() => venueResources.id, { onDelete: 'cascade' }),
    day: date('day', { mode: 'string' }).notNull(),
    venueId: uuid('venue_id')
      .notNull()
      .references(() => venues.id, { onDelete: 'cascade' }),
    /** Booked by the hour (an exclusive court); shared spaces count only towards open hours. */
    bookable: boolean('bookable').notNull(),
    openMinutes: integer('open_minutes').notNull(),
    bookedMinutes: integer('booked_minutes').notNull(),
    /** Minutes per local hour 0–23. */
    openByHour: integer('open_by_hour').array().notNull(),
    bookedByHour: integer('booked_by_hour').array().notNull(),
    /** Bookings whose start has come: checked in, completed or no-show. */
    due: integer('due').notNull(),
    noShows: integer('no_shows').notNull(),
    refreshedAt: timestamp('refreshed_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.resourceId, t.day] }),
    index('kpi_resource_days_venue_day_idx').on(t.venueId, t.day),
    // The days at the edges of a period, across a whole city.
    index('kpi_resource_days_day_idx').on(t.day),
    check('kpi_resource_days_minutes', sql`${t.bookedMinutes} >= 0 and ${t.openMinutes} >= 0 and ${t.noShows} <= ${t.due}`),
    check('kpi_resource_days_hours', sql`cardinality(${t.openByHour}) = 24 and cardinality(${t.bookedByHour}) = 24`),
  ],
);

/**
 * A venue's month per sport, summed from kpi_resource_days, so a year's figures are twelve rows a
 * sport rather than 365 a court. Rebuilt for the months a refresh touches.
 */
export const kpiVenueMonths = pgTable(
  'kpi_venue_months',
  {
    venueId: uuid('venue_id')
      .notNull()
      .references(() => venues.id, { onDelete: 'cascade' }),
    sport: text('sport').notNull(),
    /** The month's first day. */
    month: date('month', { mode: 'string' }).notNull(),
    /** Open minutes of courts booked by the hour. */
    openMinutes: bigint('open_minutes', { mode: 'number' }).notNull(),
    /** Open minutes of every court and field. */
    allOpenMinutes: bigint('all_open_minutes', { mode: 'number' }).notNull(),
    bookedMinutes: bigint('booked_minutes', { mode: 'number' }).notNull(),
    due: integer('due').notNull(),
    noShows: integer('no_shows').notNull(),
  },
  (t) => [primaryKey({ columns: [t.venueId, t.sport, t.month] }), check('kpi_venue_months_first_day', sql`extract(day from ${t.month}) = 1`)],
);

/**
 * An area's (a district's; '' for venues without one) day by local hour, summed over its courts: the
 * heatmap's sums, a few thousand rows a year for a whole city.
 */
export const kpiAreaDays = pgTable(
  'kpi_area_days',
  {
    cityCode: text('city_code').notNull(),
    districtCode: text('district_code').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    /** Open minutes of courts booked by the hour, per local hour 0–23. */
    openByHour: bigint('open_by_hour', { mode: 'number' }).array().notNull(),
    bookedByHour: bigint('booked_by_hour', { mode: 'number' }).array().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.cityCode, t.districtCode, t.day] }),
    check('kpi_area_days_hours', sql`cardinality(${t.openByHour}) = 24 and cardinality(${t.bookedByHour}) = 24`),
  ],
);
