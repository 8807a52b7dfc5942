import { Type, type Static } from 'typebox';
import { PageQuery, Timestamp, Uuid } from '../shared/common.ts';
import { LocalDate } from '../venues/venues.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const Text = Type.Object({ zh: Type.String(), en: Type.String() });
const RegionCode = Type.String({ pattern: '^[0-9]{6}$' });

export const KPI_KEYS = [
  'venues',
  'resources',
  'utilisation',
  'no_show_rate',
  'school_open_ratio',
  'school_places_offered',
  'school_places_used',
  'tickets_open',
  'tickets_overdue',
  'median_hours_to_resolve',
  'sla_compliance',
  'good_order_rate',
  'opening_compliance',
  'free_low_hours',
] as const;
export const KPI_UNITS = ['count', 'ratio', 'hours'] as const;

export const KpiQuery = Type.Object(
  {
    /** The city's code, e.g. 410100 (Zhengzhou). */
    city: RegionCode,
    /** One district of it; empty or absent for the whole city. */
    district: Type.Optional(Type.Union([RegionCode, Type.Literal('')])),
    /** The period, inclusive, in the city's local dates; at most 366 days. */
    from: LocalDate,
    to: LocalDate,
  },
  { additionalProperties: false },
);
export type KpiQuery = Static<typeof KpiQuery>;

export const Kpi = Type.Object({
  key: Type.Enum(KPI_KEYS),
  label: Text,
  /** null when there is nothing to measure (no open hours, no assets, no resolutions…). */
  value: Nullable(Type.Number()),
  /** `ratio` values are 0–1. */
  unit: Type.Enum(KPI_UNITS),
  /** From the city's plan or the national rules, where one is set. */
  target: Nullable(Type.Number()),
  targetSource: Nullable(Text),
  /** Whether the value meets the target; null without either. */
  meetsTarget: Nullable(Type.Boolean()),
});
export type Kpi = Static<typeof Kpi>;

/** Booked hours over open hours in one cell of a breakdown. */
export const UtilisationCell = Type.Object({ bookedHours: Type.Number(), openHours: Type.Number(), value: Nullable(Type.Number()) });

export const KpiReport = Type.Object({
  city: Type.Object({ code: Type.String(), name: Type.String() }),
  district: Nullable(Type.Object({ code: Type.String(), name: Type.String() })),
  from: LocalDate,
  to: LocalDate,
  /** When the rollups the figures come from were last brought up to date. */
  computedAt: Timestamp,
  kpis: Type.Array(Kpi),
  venuesByKind: Type.Array(Type.Object({ kind: Type.String(), venues: Type.Integer(), resources: Type.Integer() })),
  resourcesBySport: Type.Array(Type.Object({ sport: Type.String(), resources: Type.Integer() })),
  utilisationByKind: Type.Array(Type.Object({ kind: Type.String(), ...UtilisationCell.properties })),
  utilisationBySport: Type.Array(Type.Object({ sport: Type.String(), ...UtilisationCell.properties })),
  /** weekday 1 (Monday) … 7 × hour 0–23, local time. */
  heatmap: Type.Array(Type.Object({ weekday: Type.Integer(), hour: Type.Integer(), ...UtilisationCell.properties })),
  /** For drill-down: every district of the city (of the district, when one is chosen: just it). */
  districts: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), kpis: Type.Record(Type.String(), Nullable(Type.Number())) })),
  /** The venues of the chosen district (of the city when none is chosen), with their own figures. */
  venues: Type.Array(
    Type.Object({
      id: Uuid,
      name: Type.String(),
      kind: Type.String(),
      districtCode: Nullable(Type.String()),
      lat: Type.Number(),
      lng: Type.Number(),
      kpis: Type.Record(Type.String(), Nullable(Type.Number())),
    }),
  ),
});
export type KpiReport = Static<typeof KpiReport>;

// ——— the audit log ———

export const AuditQuery = Type.Object(
  {
    ...PageQuery.properties,
    /** Who did it: a user id. */
    actorId: Type.Optional(Uuid),
    /** Or their phone number, as staff know one another. */
    actorPhone: Type.Optional(Type.String({ pattern: '^1[3-9][0-9]{9}$' })),
    organisationId: Type.Optional(Uuid),
    /** An action or a prefix of one, e.g. `ticket.` or `asset.status`. */
    action: Type.Optional(Type.String({ maxLength: 60, pattern: '^[a-z_.]+$' })),
    from: Type.Optional(LocalDate),
    to: Type.Optional(LocalDate),
  },
  { additionalProperties: false },
);
export type AuditQuery = Static<typeof AuditQuery>;

export const AuditEntry = Type.Object({
  id: Type.Integer(),
  at: Timestamp,
  /** Their phone masked. */
  actor: Nullable(Type.Object({ id: Uuid, name: Type.String(), phone: Type.String() })),
  organisation: Nullable(Type.Object({ id: Uuid, name: Type.String() })),
  action: Type.String(),
  targetType: Type.String(),
  targetId: Type.String(),
  detail: Type.Record(Type.String(), Type.Unknown()),
  requestId: Nullable(Type.String()),
});
export type AuditEntry = Static<typeof AuditEntry>;
