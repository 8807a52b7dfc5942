import { Type, type Static } from 'typebox';
import { PageQuery, Timestamp, Uuid } from '../shared/common.ts';
import { LocalDate, LocalTime, Sport } from '../venues/venues.ts';

export const SLOT_STATES = ['free', 'booked', 'closed', 'out_of_service', 'not_yet_released', 'past'] as const;
export const RESERVATION_STATUSES = ['confirmed', 'checked_in', 'completed', 'cancelled', 'no_show'] as const;
export const ReservationStatus = Type.Enum(RESERVATION_STATUSES);
export const PaymentStatus = Type.Enum(['unpaid', 'paid_on_site', 'waived', 'refunded']);

export const PriceBand = Type.Object(
  {
    days: Type.Enum(['weekday', 'weekend', 'holiday']),
    start: LocalTime,
    end: LocalTime,
    priceFen: Type.Integer({ minimum: 0, maximum: 10_000_000 }),
  },
  { additionalProperties: false },
);

export const BookingSettings = Type.Object(
  {
    slotMinutes: Type.Union([Type.Literal(30), Type.Literal(60), Type.Literal(90), Type.Literal(120)]),
    minSlots: Type.Integer({ minimum: 1, maximum: 8 }),
    maxSlots: Type.Integer({ minimum: 1, maximum: 8 }),
    windowDays: Type.Integer({ minimum: 0, maximum: 30 }),
    releaseTime: LocalTime,
    cancelHours: Type.Integer({ minimum: 0, maximum: 168 }),
    defaultPriceFen: Type.Integer({ minimum: 0, maximum: 10_000_000 }),
    bands: Type.Array(PriceBand, { maxItems: 20 }),
  },
  { additionalProperties: false },
);
export type BookingSettings = Static<typeof BookingSettings>;

export const ResidentRules = Type.Object(
  {
    maxUpcoming: Type.Integer({ minimum: 1, maximum: 50 }),
    maxHoursPerDayPerSport: Type.Integer({ minimum: 1, maximum: 24 }),
    noShowGraceMinutes: Type.Integer({ minimum: 0, maximum: 120 }),
    noShowLimit: Type.Integer({ minimum: 1, maximum: 50 }),
    noShowWindowDays: Type.Integer({ minimum: 1, maximum: 365 }),
    suspensionDays: Type.Integer({ minimum: 1, maximum: 365 }),
    schoolPerSchoolPerDay: Type.Optional(Type.Integer({ minimum: 1, maximum: 10 })),
    schoolPerWeek: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
  },
  { additionalProperties: false },
);
export type ResidentRules = Static<typeof ResidentRules>;

export const Slot = Type.Object({
  start: Timestamp,
  end: Timestamp,
  status: Type.Enum(SLOT_STATES),
  priceFen: Type.Integer(),
});
export type Slot = Static<typeof Slot>;

export const AvailabilityQuery = Type.Object({
  date: LocalDate,
  days: Type.Integer({ minimum: 1, maximum: 14, default: 1 }),
});

/** Per resource, its slots and the rules that apply. Never says who booked. */
export const Availability = Type.Object({
  venueId: Uuid,
  timeZone: Type.String(),
  resources: Type.Array(
    Type.Object({
      id: Uuid,
      name: Type.String(),
      sport: Sport,
      status: Type.String(),
      settings: BookingSettings,
      slots: Type.Array(Slot),
    }),
  ),
});
export type Availability = Static<typeof Availability>;

export const CreateReservationBody = Type.Object(
  { resourceId: Uuid, start: Timestamp, end: Timestamp },
  { additionalProperties: false },
);
export type CreateReservationBody = Static<typeof CreateReservationBody>;

export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.String({ minLength: 8, maxLength: 100, pattern: '^[\\w.:-]+$' }),
});

export const Reservation = Type.Object({
  id: Uuid,
  code: Type.String(),
  kind: Type.Enum(['booking', 'block', 'series']),
  status: ReservationStatus,
  start: Timestamp,
  end: Timestamp,
  priceFen: Type.Integer(),
  paymentStatus: PaymentStatus,
  sport: Sport,
  venue: Type.Object({ id: Uuid, name: Type.String(), address: Type.String(), timeZone: Type.String() }),
  resource: Type.Object({ id: Uuid, name: Type.String() }),
  /** Free cancellation is possible until this instant. */
  cancelDeadline: Timestamp,
  checkInOpens: Timestamp,
  checkInCloses: Timestamp,
  /** Signed text for the entry QR code. */
  qr: Type.String(),
  cancelReason: Type.Union([Type.String(), Type.Null()]),
  createdAt: Timestamp,
});
export type Reservation = Static<typeof Reservation>;

export const ReservationParams = Type.Object({ id: Uuid });

export const MyReservationsQuery = Type.Object({
  ...PageQuery.properties,
  when: Type.Enum(['upcoming', 'past'], { default: 'upcoming' }),
});

export const CancelBody = Type.Object({ reason: Type.Optional(Type.String({ minLength: 2, maxLength: 200 })) }, { additionalProperties: false });

/** The short code typed at the gate, or the text of the scanned QR. */
export const CheckInBody = Type.Object({ code: Type.String({ minLength: 6, maxLength: 200 }) }, { additionalProperties: false });

/** A booking as the operator sees it on the day grid: the booker's name and masked phone. */
export const DayBooking = Type.Object({
  id: Uuid,
  code: Type.String(),
  kind: Type.Enum(['booking', 'block', 'series']),
  resourceId: Uuid,
  status: ReservationStatus,
  start: Timestamp,
  end: Timestamp,
  priceFen: Type.Integer(),
  holder: Type.Union([Type.Object({ displayName: Type.String(), phoneMasked: Type.String() }), Type.Null()]),
  note: Type.String(),
});
export type DayBooking = Static<typeof DayBooking>;

export const DayGrid = Type.Object({
  date: LocalDate,
  resources: Type.Array(Type.Object({ id: Uuid, name: Type.String(), sport: Sport, status: Type.String() })),
  bookings: Type.Array(DayBooking),
});
export type DayGrid = Static<typeof DayGrid>;

export const DayGridQuery = Type.Object({ date: LocalDate });

export const CreateBlockBody = Type.Object(
  {
    resourceIds: Type.Array(Uuid, { minItems: 1, maxItems: 50, uniqueItems: true }),
    start: Timestamp,
    end: Timestamp,
    reason: Type.String({ minLength: 2, maxLength: 200 }),
  },
  { additionalProperties: false },
);
export type CreateBlockBody = Static<typeof CreateBlockBody>;

export const BlockResult = Type.Object({
  blocks: Type.Array(DayBooking),
  /** Residents' bookings cancelled without penalty; their holders were told. */
  cancelled: Type.Array(DayBooking),
});

export const CreateSeriesBody = Type.Object(
  {
    resourceId: Uuid,
    /** ISO weekday, 1 = Monday. */
    weekday: Type.Integer({ minimum: 1, maximum: 7 }),
    startTime: LocalTime,
    endTime: LocalTime,
    fromDate: LocalDate,
    toDate: LocalDate,
    /** The club or team's contact, a registered user. */
    holderPhone: Type.String({ pattern: '^1[3-9]\\d{9}$' }),
    note: Type.String({ minLength: 2, maxLength: 200 }),
    /** Only list what would be created and what conflicts. */
    dryRun: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type CreateSeriesBody = Static<typeof CreateSeriesBody>;

export const SeriesResult = Type.Object({
  seriesId: Type.Union([Uuid, Type.Null()]),
  created: Type.Array(Type.Object({ date: LocalDate, start: Timestamp, end: Timestamp })),
  conflicts: Type.Array(
    Type.Object({ date: LocalDate, start: Timestamp, end: Timestamp, reason: Type.Enum(['taken', 'closed', 'out_of_service']) }),
  ),
});
export type SeriesResult = Static<typeof SeriesResult>;

export const Notification = Type.Object({
  id: Uuid,
  kind: Type.String(),
  title: Type.String(),
  body: Type.String(),
  data: Type.Record(Type.String(), Type.Unknown()),
  readAt: Type.Union([Timestamp, Type.Null()]),
  createdAt: Timestamp,
});
export type Notification = Static<typeof Notification>;

export const BookingStanding = Type.Object({
  /** Set while the resident may not book in this city. */
  suspendedUntil: Type.Union([Timestamp, Type.Null()]),
  suspensionReason: Type.Union([Type.String(), Type.Null()]),
  noShowsInWindow: Type.Integer(),
  rules: ResidentRules,
  /** URL of the private calendar feed (webcal-subscribable). */
  calendarFeedPath: Type.String(),
});
export type BookingStanding = Static<typeof BookingStanding>;

export const CityParams = Type.Object({ city: Type.String({ pattern: '^\\d{6}$' }) });
export const StandingQuery = Type.Object({ city: Type.String({ pattern: '^\\d{6}$' }) });
