import { Type, type Static } from 'typebox';
import { PageQuery, Timestamp, Uuid } from '../shared/common.ts';
import { LocalDate, Sport, WeeklySchedule } from '../venues/venues.ts';

const RegionCode = Type.String({ pattern: '^\\d{6}$' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

// ——— real-name identity ———

/** The consent a resident gives before their name and ID number are stored; its version is recorded. */
export const IDENTITY_CONSENT = {
  version: '2026-11',
  zh:
    '为核验入校人员身份、保障校园安全，本平台将收集您的姓名、身份证号和居住区县，仅用于学校场地开放的报名与入校核验。' +
    '身份证号加密存储，任何工作人员只能看到脱敏后的号码（如 4101**********1234）。您可以随时查看、更正或删除实名信息；删除后将取消尚未开始的学校场地报名。',
  en:
    'To verify who enters a school and keep the campus safe, the platform collects your name, ID number and home district, used only to register for ' +
    'school-field sessions and check you in. The ID number is stored encrypted; staff only ever see it masked (e.g. 4101**********1234). You can view, ' +
    'correct or delete it at any time; deleting it cancels your school-field registrations that have not begun.',
} as const;

export const IdentityBody = Type.Object(
  {
    name: Type.String({ minLength: 2, maxLength: 30 }),
    /** 18 characters, GB 11643-1999; never returned or logged in full. */
    idNumber: Type.String({ minLength: 18, maxLength: 18, pattern: '^\\d{17}[\\dXx]$' }),
    districtCode: RegionCode,
    /** The resident has read IDENTITY_CONSENT of this version. */
    consentVersion: Type.Literal(IDENTITY_CONSENT.version),
  },
  { additionalProperties: false },
);
export type IdentityBody = Static<typeof IdentityBody>;

export const Identity = Type.Object({
  verified: Type.Boolean(),
  nameMasked: Nullable(Type.String()),
  idMasked: Nullable(Type.String()),
  districtCode: Nullable(Type.String()),
  cityCode: Nullable(Type.String()),
  consentVersion: Nullable(Type.String()),
  consentedAt: Nullable(Timestamp),
  consent: Type.Object({ version: Type.String(), text: Type.String() }),
});
export type Identity = Static<typeof Identity>;

// ——— safety pledge ———

export const SchoolParams = Type.Object({ organisationId: Uuid });

export const Pledge = Type.Object({
  organisationId: Uuid,
  schoolName: Type.String(),
  version: Type.Integer(),
  title: Type.String(),
  body: Type.String(),
  createdAt: Timestamp,
  /** Whether the signed-in resident has accepted this version (false when not signed in). */
  accepted: Type.Boolean(),
});
export type Pledge = Static<typeof Pledge>;

export const SetPledgeBody = Type.Object(
  { title: Type.String({ minLength: 2, maxLength: 60 }), body: Type.String({ minLength: 20, maxLength: 5000 }) },
  { additionalProperties: false },
);
export type SetPledgeBody = Static<typeof SetPledgeBody>;

export const AcceptPledgeBody = Type.Object({ version: Type.Integer({ minimum: 1, maximum: 1_000_000 }) }, { additionalProperties: false });

// ——— opening plans ———

export const SchoolEligibility = Type.Enum(['city', 'district']);

export const SchoolPlanBody = Type.Object(
  {
    venueId: Uuid,
    resourceId: Uuid,
    title: Type.String({ minLength: 2, maxLength: 60 }),
    startsOn: LocalDate,
    endsOn: LocalDate,
    weekly: WeeklySchedule,
    closedDates: Type.Array(LocalDate, { maxItems: 100, default: [] }),
    openOnHolidays: Type.Boolean({ default: false }),
    capacity: Type.Integer({ minimum: 1, maximum: 5000 }),
    eligibility: Type.Enum(['city', 'district'], { default: 'city' }),
    allowMinors: Type.Boolean({ default: true }),
  },
  { additionalProperties: false },
);
export type SchoolPlanBody = Static<typeof SchoolPlanBody>;

export const SchoolPlan = Type.Object({
  ...SchoolPlanBody.properties,
  id: Uuid,
  organisationId: Uuid,
  venueName: Type.String(),
  resourceName: Type.String(),
  status: Type.Enum(['draft', 'published', 'withdrawn']),
  publishedAt: Nullable(Timestamp),
  createdAt: Timestamp,
});
export type SchoolPlan = Static<typeof SchoolPlan>;

export const SchoolPlanParams = Type.Object({ id: Uuid });
export const SchoolPlanListQuery = Type.Object({
  ...PageQuery.properties,
  venueId: Type.Optional(Uuid),
  status: Type.Optional(Type.Enum(['draft', 'published', 'withdrawn'])),
});

export const PlanPreview = Type.Object({
  sessions: Type.Array(Type.Object({ date: LocalDate, start: Timestamp, end: Timestamp, note: Type.Optional(Type.String()) })),
  /** Holidays inside the plan and whether the field opens on them. */
  holidays: Type.Array(Type.Object({ date: LocalDate, name: Type.String(), open: Type.Boolean() })),
  /** Make-up workdays (调休上班) inside the plan: they follow Friday's sessions. */
  makeupWorkdays: Type.Array(LocalDate),
  placesOffered: Type.Integer(),
});
export type PlanPreview = Static<typeof PlanPreview>;

export const WithdrawBody = Type.Object({ reason: Type.String({ minLength: 2, maxLength: 200 }) }, { additionalProperties: false });

// ——— sessions and registrations ———

export const SchoolSession = Type.Object({
  id: Uuid,
  planId: Uuid,
  organisationId: Uuid,
  schoolName: Type.String(),
  venueId: Uuid,
  venueName: Type.String(),
  resourceName: Type.String(),
  sport: Sport,
  cityCode: Type.String(),
  districtCode: Nullable(Type.String()),
  date: LocalDate,
  start: Timestamp,
  end: Timestamp,
  capacity: Type.Integer(),
  taken: Type.Integer(),
  remaining: Type.Integer(),
  status: Type.Enum(['open', 'closed']),
  note: Nullable(Type.String()),
  closedReason: Nullable(Type.String()),
  eligibility: SchoolEligibility,
  allowMinors: Type.Boolean(),
});
export type SchoolSession = Static<typeof SchoolSession>;

export const SchoolSessionQuery = Type.Object({
  ...PageQuery.properties,
  city: RegionCode,
  district: Type.Optional(RegionCode),
  sport: Type.Optional(Sport),
  date: Type.Optional(LocalDate),
  venueId: Type.Optional(Uuid),
});
export type SchoolSessionQuery = Static<typeof SchoolSessionQuery>;

export const ManagedSessionQuery = Type.Object({
  ...PageQuery.properties,
  venueId: Type.Optional(Uuid),
  planId: Type.Optional(Uuid),
  from: Type.Optional(LocalDate),
  to: Type.Optional(LocalDate),
});
export type ManagedSessionQuery = Static<typeof ManagedSessionQuery>;

export const SessionParams = Type.Object({ id: Uuid });

export const Minor = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 20 }), age: Type.Integer({ minimum: 0, maximum: 17 }) },
  { additionalProperties: false },
);

export const SessionRegisterBody = Type.Object(
  {
    /** Places taken: the resident plus the children they bring. */
    partySize: Type.Integer({ minimum: 1, maximum: 4 }),
    minors: Type.Array(Minor, { maxItems: 3, default: [] }),
  },
  { additionalProperties: false },
);
export type SessionRegisterBody = Static<typeof SessionRegisterBody>;

export const REGISTRATION_STATUSES = ['confirmed', 'checked_in', 'checked_out', 'cancelled', 'no_show'] as const;
export const RegistrationStatus = Type.Enum(REGISTRATION_STATUSES);

export const SchoolRegistration = Type.Object({
  id: Uuid,
  code: Type.String(),
  /** Signed text for the entry QR code (入校码). */
  qr: Type.String(),
  status: RegistrationStatus,
  partySize: Type.Integer(),
  minors: Type.Array(Minor),
  session: SchoolSession,
  entryOpens: Timestamp,
  entryCloses: Timestamp,
  createdAt: Timestamp,
  checkedInAt: Nullable(Timestamp),
  checkedOutAt: Nullable(Timestamp),
  cancelledAt: Nullable(Timestamp),
  cancelReason: Nullable(Type.String()),
});
export type SchoolRegistration = Static<typeof SchoolRegistration>;

/**
 * The caller's own registration for one session, as the session page shows it once they have
 * registered: only an active one (confirmed, checked in or out), never anyone else's.
 */
export const MySessionRegistration = Type.Object(
  {
    id: Uuid,
    code: Type.String(),
    /** Signed text for the entry QR code (入校码). */
    qr: Type.String(),
    status: Type.Enum(['confirmed', 'checked_in', 'checked_out'] as const),
    partySize: Type.Integer(),
    entryOpens: Timestamp,
    entryCloses: Timestamp,
  },
  { additionalProperties: false },
);
export type MySessionRegistration = Static<typeof MySessionRegistration>;

/** One session as `GET /school-sessions/:id` answers it: the session, and what the caller holds of it. */
export const SchoolSessionDetail = Type.Object(
  {
    ...SchoolSession.properties,
    /** The signed-in caller's own active registration for this session; null when signed out or not registered. */
    myRegistration: Nullable(MySessionRegistration),
  },
  { additionalProperties: false },
);
export type SchoolSessionDetail = Static<typeof SchoolSessionDetail>;

export const MyRegistrationsQuery = Type.Object({
  ...PageQuery.properties,
  when: Type.Enum(['upcoming', 'past'], { default: 'upcoming' }),
});

export const RegistrationParams = Type.Object({ id: Uuid });

/** What staff see of a registration: never a full name, phone or ID number. */
export const StaffRegistration = Type.Object({
  id: Uuid,
  code: Type.String(),
  status: RegistrationStatus,
  partySize: Type.Integer(),
  minorAges: Type.Array(Type.Integer()),
  nameMasked: Type.String(),
  idMasked: Type.String(),
  phoneMasked: Type.String(),
  createdAt: Timestamp,
  checkedInAt: Nullable(Timestamp),
  checkedOutAt: Nullable(Timestamp),
});
export type StaffRegistration = Static<typeof StaffRegistration>;

export const Headcount = Type.Object({
  sessionId: Uuid,
  capacity: Type.Integer(),
  /** Places held by active registrations. */
  registered: Type.Integer(),
  /** People inside now (checked in, not yet out). */
  present: Type.Integer(),
  /** People who came and have left. */
  left: Type.Integer(),
});
export type Headcount = Static<typeof Headcount>;

export const EntryBody = Type.Object(
  { code: Type.String({ minLength: 4, maxLength: 200 }), direction: Type.Enum(['in', 'out']) },
  { additionalProperties: false },
);
export type EntryBody = Static<typeof EntryBody>;

export const EntryResult = Type.Object({
  registration: StaffRegistration,
  session: SchoolSession,
  headcount: Headcount,
});
export type EntryResult = Static<typeof EntryResult>;

export const CloseSessionBody = Type.Object({ reason: Type.String({ minLength: 2, maxLength: 200 }) }, { additionalProperties: false });

// ——— bureau view ———

export const OpeningSummaryQuery = Type.Object({ city: RegionCode });

const OpeningFigures = Type.Object({
  /** School venues in the registry. */
  schoolVenues: Type.Integer(),
  /** …of which with at least one published, open session in the next 7 days. */
  openVenues: Type.Integer(),
  ratio: Nullable(Type.Number()),
  placesOffered: Type.Integer(),
  placesTaken: Type.Integer(),
  /** Places of people who actually came in the last 7 days. */
  placesUsedLastWeek: Type.Integer(),
});

export const OpeningSummary = Type.Object({
  cityCode: Type.String(),
  from: LocalDate,
  to: LocalDate,
  target: Type.Number(),
  targetSource: Type.String(),
  total: OpeningFigures,
  districts: Type.Array(Type.Object({ districtCode: Type.String(), name: Type.String(), ...OpeningFigures.properties })),
});
export type OpeningSummary = Static<typeof OpeningSummary>;
