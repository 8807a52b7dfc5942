import { Type, type Static } from 'typebox';
import { Phone } from '../accounts/auth.ts';
import { AssetCode, AssetType } from './assets.ts';
import { PageQuery, Timestamp, Uuid } from '../shared/common.ts';
import { Latitude, Longitude } from '../venues/venues.ts';

// Spelled out again from the domain (contracts import nothing of ours); tools/enum-consistency.test.ts
// checks they agree.
export const TICKET_STATES = [
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
] as const;
export const TICKET_MOVES = ['accept', 'reject', 'mark_duplicate', 'transfer', 'dispatch', 'start', 'hold', 'resume', 'resolve', 'close', 'reopen'] as const;
export const TICKET_ACTORS = ['dispatcher', 'technician', 'reporter', 'bureau', 'system'] as const;
export const TICKET_PRIORITIES = ['urgent', 'normal', 'low'] as const;
export const TICKET_PHOTO_KINDS = ['report', 'after'] as const;

export const TicketState = Type.Enum(TICKET_STATES);
export const TicketMove = Type.Enum(TICKET_MOVES);
export const TicketActor = Type.Enum(TICKET_ACTORS);
export const TicketPriority = Type.Enum(TICKET_PRIORITIES);
export const TicketPhotoKind = Type.Enum(TICKET_PHOTO_KINDS);
/** A fault key of the category's one-tap choices (see the asset's `faultChoices`). */
export const FaultKey = Type.String({ minLength: 1, maxLength: 40, pattern: '^[a-z_]+$' });

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

/**
 * A repair report. Where: a scanned asset code, or a venue (and perhaps a court), or a point on the
 * map — exactly one of them. Without an account, a phone number is required.
 */
export const ReportTicketBody = Type.Object(
  {
    assetCode: Type.Optional(AssetCode),
    venueId: Type.Optional(Uuid),
    resourceId: Type.Optional(Uuid),
    lat: Type.Optional(Latitude),
    lng: Type.Optional(Longitude),
    category: AssetType,
    fault: FaultKey,
    description: Type.Optional(Type.String({ maxLength: 500 })),
    /** Only for a report without an account: how staff reach the reporter. Shown masked. */
    phone: Type.Optional(Phone),
  },
  { additionalProperties: false },
);
export type ReportTicketBody = Static<typeof ReportTicketBody>;

export const TicketParams = Type.Object({ id: Uuid });

export const TicketPhotoQuery = Type.Object(
  { kind: Type.Optional(TicketPhotoKind) },
  { additionalProperties: false },
);
export type TicketPhotoQuery = Static<typeof TicketPhotoQuery>;

export const TicketSuggestionsQuery = Type.Object(
  {
    assetCode: Type.Optional(AssetCode),
    lat: Type.Optional(Latitude),
    lng: Type.Optional(Longitude),
    category: Type.Optional(AssetType),
  },
  { additionalProperties: false },
);
export type TicketSuggestionsQuery = Static<typeof TicketSuggestionsQuery>;

export const TicketMoveBody = Type.Object(
  {
    move: TicketMove,
    /** Required to reject, hold, transfer and reopen. */
    reason: Type.Optional(Type.String({ maxLength: 500 })),
    /** To dispatch: a technician of the owning organisation. */
    assigneeId: Type.Optional(Uuid),
    /** To mark as a duplicate: the ticket it repeats. */
    originalId: Type.Optional(Uuid),
    /** To transfer: the organisation that should fix it. */
    targetOrganisationId: Type.Optional(Uuid),
    /** Staff may set the priority when accepting; the due time follows from the SLA. */
    priority: Type.Optional(TicketPriority),
  },
  { additionalProperties: false },
);
export type TicketMoveBody = Static<typeof TicketMoveBody>;

export const TicketNoteBody = Type.Object(
  {
    text: Type.String({ minLength: 1, maxLength: 1000, pattern: '\\S' }),
    /** Staff-only: hidden from the reporter and the public. */
    internal: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type TicketNoteBody = Static<typeof TicketNoteBody>;

export const TicketRatingBody = Type.Object({ stars: Type.Integer({ minimum: 1, maximum: 5 }) }, { additionalProperties: false });
export type TicketRatingBody = Static<typeof TicketRatingBody>;

/**
 * A ticket code, or its first 3–7 characters, to find tickets by in the staff's queue: the label
 * alphabet (no look-alikes), lower case and spaces around forgiven.
 */
export const TicketCodeSearch = Type.String({ maxLength: 20, pattern: '^\\s*[2-9A-HJKMNP-Za-hjkmnp-z]{3,8}\\s*$' });

export const TicketListQuery = Type.Object(
  {
    ...PageQuery.properties,
    code: Type.Optional(TicketCodeSearch),
    state: Type.Optional(TicketState),
    priority: Type.Optional(TicketPriority),
    venueId: Type.Optional(Uuid),
    overdue: Type.Optional(Type.Boolean()),
    /** `me`: only tickets assigned to the caller. */
    assignee: Type.Optional(Type.Literal('me')),
  },
  { additionalProperties: false },
);
export type TicketListQuery = Static<typeof TicketListQuery>;

export const MyTicketsQuery = Type.Object({ ...PageQuery.properties }, { additionalProperties: false });
export type MyTicketsQuery = Static<typeof MyTicketsQuery>;

/** A ticket as lists show it. */
export const TicketSummary = Type.Object({
  id: Uuid,
  code: Type.String(),
  state: TicketState,
  priority: TicketPriority,
  category: AssetType,
  fault: Type.String(),
  faultName: Type.Object({ zh: Type.String(), en: Type.String() }),
  description: Type.String(),
  organisationId: Uuid,
  organisationName: Type.String(),
  venue: Nullable(Type.Object({ id: Uuid, name: Type.String() })),
  asset: Nullable(Type.Object({ code: Type.String(), name: Type.String() })),
  resourceName: Nullable(Type.String()),
  lat: Nullable(Type.Number()),
  lng: Nullable(Type.Number()),
  dueAt: Timestamp,
  overdue: Type.Boolean(),
  assigneeId: Nullable(Uuid),
  /** Residents who said "我也遇到". */
  meTooCount: Type.Integer(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type TicketSummary = Static<typeof TicketSummary>;

export const TicketPhoto = Type.Object({
  id: Uuid,
  kind: TicketPhotoKind,
  url: Type.String(),
  thumbUrl: Type.String(),
  width: Type.Integer(),
  height: Type.Integer(),
});
export type TicketPhoto = Static<typeof TicketPhoto>;

export const TicketEvent = Type.Object({
  id: Type.Integer(),
  at: Timestamp,
  /** A workflow move, or report, note, escalate. */
  kind: Type.String(),
  fromState: Nullable(TicketState),
  toState: Nullable(TicketState),
  note: Type.String(),
  /** Staff-only entries are sent to staff only. */
  internal: Type.Boolean(),
  /** Whether staff made it (names of staff are not shown to residents). */
  byStaff: Type.Boolean(),
});
export type TicketEvent = Static<typeof TicketEvent>;

/** One ticket with its timeline, as the caller may see it, and the moves the caller may make. */
export const TicketDetail = Type.Object({
  ...TicketSummary.properties,
  source: Type.Enum(['app', 'open311'] as const),
  duplicateOf: Nullable(Uuid),
  resolvedAt: Nullable(Timestamp),
  closedAt: Nullable(Timestamp),
  rating: Nullable(Type.Integer()),
  escalatedAt: Nullable(Timestamp),
  /** The anonymous reporter's number, masked; staff only. */
  reporterPhone: Nullable(Type.String()),
  /** The caller reported it. */
  mine: Type.Boolean(),
  following: Type.Boolean(),
  /** The caller has said "我也遇到" on it; false without an account. */
  meTooByMe: Type.Boolean(),
  /** The caller's parts in the workflow. */
  roles: Type.Array(TicketActor),
  moves: Type.Array(TicketMove),
  photos: Type.Array(TicketPhoto),
  timeline: Type.Array(TicketEvent),
  /**
   * Only in the answer to a report made without an account: lets that reporter add up to four photos
   * for the next hour by sending it as the `X-Report-Token` header.
   */
  uploadToken: Type.Optional(Type.String()),
});
export type TicketDetail = Static<typeof TicketDetail>;

export const TicketSuggestion = Type.Object({
  ...TicketSummary.properties,
  /** From the asked point, when one was given. */
  distanceMeters: Nullable(Type.Number()),
});
export type TicketSuggestion = Static<typeof TicketSuggestion>;

export const TicketFollowing = Type.Object({ following: Type.Boolean(), meToo: Type.Boolean(), meTooCount: Type.Integer() });
export type TicketFollowing = Static<typeof TicketFollowing>;

/** A technician of the ticket's owner, as the dispatcher chooses one. */
export const TicketTechnician = Type.Object({
  id: Uuid,
  name: Type.String(),
  /** Masked. */
  phone: Type.String(),
  /** Their tickets not yet resolved. */
  openTickets: Type.Integer(),
});
export type TicketTechnician = Static<typeof TicketTechnician>;

/** An organisation a ticket may be transferred to: the same city's bureaus and venue owners. */
export const TicketTransferTarget = Type.Object({ id: Uuid, name: Type.String(), kind: Type.String() });
export type TicketTransferTarget = Static<typeof TicketTransferTarget>;

/** A promise per priority, in hours, that an organisation makes for its repairs. */
export const TicketSla = Type.Object(
  {
    urgent: Type.Integer({ minimum: 1, maximum: 720 }),
    normal: Type.Integer({ minimum: 1, maximum: 720 }),
    low: Type.Integer({ minimum: 1, maximum: 720 }),
  },
  { additionalProperties: false },
);
export type TicketSla = Static<typeof TicketSla>;

// ——— Open311 clients (the console's side; the GeoReport v2 API itself is under /open311/v2) ———

export const Open311Client = Type.Object({
  id: Uuid,
  name: Type.String(),
  organisationId: Uuid,
  organisationName: Type.String(),
  /** The first characters of the key, to tell keys apart; the key itself is shown once. */
  keyPrefix: Type.String(),
  createdAt: Timestamp,
  revokedAt: Nullable(Timestamp),
  requests: Type.Integer(),
});
export type Open311Client = Static<typeof Open311Client>;

export const CreateOpen311ClientBody = Type.Object(
  {
    name: Type.String({ minLength: 2, maxLength: 60, pattern: '\\S' }),
    /** The bureau whose city the client reports into; defaults to the caller's only bureau. */
    organisationId: Type.Optional(Uuid),
  },
  { additionalProperties: false },
);
export type CreateOpen311ClientBody = Static<typeof CreateOpen311ClientBody>;

/** The answer to issuing a key: the only time the key is shown. */
export const IssuedOpen311Client = Type.Object({ ...Open311Client.properties, apiKey: Type.String() });
export type IssuedOpen311Client = Static<typeof IssuedOpen311Client>;
