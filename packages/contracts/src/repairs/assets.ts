import { Type, type Static } from 'typebox';
import { PageQuery, Timestamp, Uuid } from '../shared/common.ts';
import { Latitude, LocalDate, Longitude } from '../venues/venues.ts';

export const ASSET_TYPES = [
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
] as const;
export const ASSET_STATUSES = ['ok', 'degraded', 'out_of_service'] as const;
export const SERVICE_LIFE_STATES = ['in_service', 'warranty_expired', 'beyond_service_life'] as const;
/** Most years of service life an asset may be given. */
export const MAX_SERVICE_LIFE_YEARS = 50;

export const AssetType = Type.Enum(ASSET_TYPES);
export const AssetStatus = Type.Enum(ASSET_STATUSES);
export const ServiceLifeState = Type.Enum(SERVICE_LIFE_STATES);
/** As printed on the label: 8 characters without look-alikes; lower case, spaces and a dash are forgiven. */
export const AssetCode = Type.String({ minLength: 1, maxLength: 20, pattern: '^[0-9A-Za-z -]+$' });

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

const assetFields = {
  resourceId: Nullable(Uuid),
  type: AssetType,
  /** Not blank. */
  name: Type.String({ minLength: 1, maxLength: 60, pattern: '\\S' }),
  installDate: LocalDate,
  serviceLifeYears: Type.Integer({ minimum: 1, maximum: MAX_SERVICE_LIFE_YEARS }),
  /** Last day covered by the warranty; null when there is none. */
  warrantyUntil: Nullable(LocalDate),
  /** WGS-84, both or neither: where on a fitness path the equipment stands. */
  lat: Nullable(Latitude),
  lng: Nullable(Longitude),
};

export const CreateAssetBody = Type.Object(
  {
    venueId: Uuid,
    /** The court or field the equipment serves; must be one of the venue's. */
    resourceId: Type.Optional(assetFields.resourceId),
    type: assetFields.type,
    name: assetFields.name,
    installDate: assetFields.installDate,
    serviceLifeYears: assetFields.serviceLifeYears,
    warrantyUntil: Type.Optional(assetFields.warrantyUntil),
    lat: Type.Optional(assetFields.lat),
    lng: Type.Optional(assetFields.lng),
    status: Type.Optional(AssetStatus),
  },
  { additionalProperties: false },
);
export type CreateAssetBody = Static<typeof CreateAssetBody>;

/** Any of the fields; the venue and the code never change (the label is on the equipment). */
export const UpdateAssetBody = Type.Partial(Type.Object(assetFields, { additionalProperties: false }), {
  additionalProperties: false,
  minProperties: 1,
});
export type UpdateAssetBody = Static<typeof UpdateAssetBody>;

export const SetAssetStatusBody = Type.Object(
  {
    status: AssetStatus,
    /** Why; required for anything but `ok`. Kept in the audit log. */
    reason: Type.Optional(Type.String({ minLength: 2, maxLength: 200 })),
    /**
     * Only with `out_of_service`: the day it should be back in use. The linked court's slots are taken
     * out of booking up to the end of that day (or, without a date, until it is back in order).
     */
    expectedFixDate: Type.Optional(LocalDate),
  },
  { additionalProperties: false },
);
export type SetAssetStatusBody = Static<typeof SetAssetStatusBody>;

export const AssetParams = Type.Object({ id: Uuid });
export const AssetCodeParams = Type.Object({ code: AssetCode });

export const AssetListQuery = Type.Object({
  ...PageQuery.properties,
  venueId: Type.Optional(Uuid),
  type: Type.Optional(AssetType),
  status: Type.Optional(AssetStatus),
});
export type AssetListQuery = Static<typeof AssetListQuery>;

/** What staff see of an asset. */
export const Asset = Type.Object({
  id: Uuid,
  code: Type.String(),
  /** What the label's QR code encodes: `<PUBLIC_BASE_URL>/r/<code>`. */
  labelUrl: Type.String(),
  venueId: Uuid,
  venueName: Type.String(),
  organisationId: Uuid,
  resourceId: Nullable(Uuid),
  resourceName: Nullable(Type.String()),
  type: AssetType,
  name: Type.String(),
  installDate: LocalDate,
  serviceLifeYears: Type.Integer(),
  warrantyUntil: Nullable(LocalDate),
  /** First day past its service life. */
  serviceLifeEnds: LocalDate,
  /** On today's date in the venue's time zone. */
  serviceLife: ServiceLifeState,
  status: AssetStatus,
  /** While out of service: the day it should be back in use, when one was given. */
  expectedFixDate: Nullable(LocalDate),
  lat: Nullable(Type.Number()),
  lng: Nullable(Type.Number()),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Asset = Static<typeof Asset>;

export const FaultChoice = Type.Object({ key: Type.String(), zh: Type.String(), en: Type.String() });
export type FaultChoice = Static<typeof FaultChoice>;

/** What anyone who scans the label sees (`/r/<code>`): nothing staff-only. */
export const PublicAsset = Type.Object({
  code: Type.String(),
  type: AssetType,
  typeName: Type.Object({ zh: Type.String(), en: Type.String() }),
  name: Type.String(),
  status: AssetStatus,
  venue: Type.Object({ id: Uuid, name: Type.String(), address: Type.String() }),
  resourceName: Nullable(Type.String()),
  lat: Nullable(Type.Number()),
  lng: Nullable(Type.Number()),
  /** The one-tap choices of the report form, in order. */
  faultChoices: Type.Array(FaultChoice),
  /** While out of service: the day it should be back in use, when one was given. */
  expectedFixDate: Nullable(LocalDate),
  /** The ticket already open on this equipment: the page offers 我也遇到 and 关注 instead of a new report. */
  openTicket: Nullable(
    Type.Object({
      id: Uuid,
      code: Type.String(),
      state: Type.String(),
      /** When the fix is due under the owner's promise. */
      dueAt: Timestamp,
      meTooCount: Type.Integer(),
      /** The caller has said "我也遇到" on it (and so follows it); false without an account. */
      meTooByMe: Type.Boolean(),
      /** The caller reported it (and so is not offered 我也遇到); false without an account. */
      reportedByMe: Type.Boolean(),
    }),
  ),
});
export type PublicAsset = Static<typeof PublicAsset>;
