import { Type, type Static } from 'typebox';
import { PageQuery, Timestamp, Uuid } from '../shared/common.ts';

export const SPORTS = [
  'basketball',
  'football',
  'badminton',
  'table_tennis',
  'tennis',
  'volleyball',
  'swimming',
  'diving',
  'athletics',
  'running',
  'fitness',
  'gateball',
  'chess',
  'skating',
  'yoga',
  'martial_arts',
] as const;
export const VENUE_KINDS = ['stadium', 'gym', 'community_center', 'park', 'fitness_path', 'school'] as const;
export const FACILITIES = [
  'parking',
  'showers',
  'lighting',
  'accessible_entrance',
  'lockers',
  'drinking_water',
  'toilets',
  'first_aid',
  'air_conditioning',
] as const;
export const PRICE_LEVELS = ['free', 'low', 'paid'] as const;
export const HOLIDAY_RULES = ['as_weekend', 'closed', 'as_usual'] as const;
export const RESOURCE_MODES = ['exclusive', 'shared'] as const;
export const RESOURCE_STATUSES = ['active', 'out_of_service', 'retired'] as const;

export const Sport = Type.Enum(SPORTS);
export const VenueKind = Type.Enum(VENUE_KINDS);
export const Facility = Type.Enum(FACILITIES);
export const PriceLevel = Type.Enum(PRICE_LEVELS);
export const HolidayRule = Type.Enum(HOLIDAY_RULES);
export const ResourceMode = Type.Enum(RESOURCE_MODES);
export const ResourceStatus = Type.Enum(RESOURCE_STATUSES);

export const Latitude = Type.Number({ minimum: -90, maximum: 90 });
export const Longitude = Type.Number({ minimum: -180, maximum: 180 });
/** A local date, YYYY-MM-DD, that the calendar has (the API checks the format `date`). */
export const LocalDate = Type.String({ format: 'date', pattern: '^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])$' });
/** A local wall-clock time, HH:MM; 24:00 only as the end of a range. */
export const LocalTime = Type.String({ pattern: '^(([01]\\d|2[0-3]):[0-5]\\d|24:00)$' });

export const TimeRange = Type.Object({ start: LocalTime, end: LocalTime }, { additionalProperties: false });
export type TimeRange = Static<typeof TimeRange>;
const DayRanges = Type.Array(TimeRange, { maxItems: 6 });
/** ISO weekday (1 = Monday … 7 = Sunday) → open ranges; a missing or empty day is closed. */
export const WeeklySchedule = Type.Object(
  {
    1: Type.Optional(DayRanges),
    2: Type.Optional(DayRanges),
    3: Type.Optional(DayRanges),
    4: Type.Optional(DayRanges),
    5: Type.Optional(DayRanges),
    6: Type.Optional(DayRanges),
    7: Type.Optional(DayRanges),
  },
  { additionalProperties: false },
);
export type WeeklySchedule = Static<typeof WeeklySchedule>;

export const OpenInterval = Type.Object({
  date: LocalDate,
  start: Timestamp,
  end: Timestamp,
  note: Type.Optional(Type.String()),
});
export type OpenInterval = Static<typeof OpenInterval>;

export const Photo = Type.Object({ id: Uuid, url: Type.String(), thumbUrl: Type.String(), width: Type.Integer(), height: Type.Integer() });
export type Photo = Static<typeof Photo>;

export const Resource = Type.Object({
  id: Uuid,
  name: Type.String(),
  sport: Sport,
  indoor: Type.Boolean(),
  mode: ResourceMode,
  capacity: Type.Integer(),
  status: ResourceStatus,
  weeklyHours: Type.Union([WeeklySchedule, Type.Null()]),
  sortOrder: Type.Integer(),
});
export type Resource = Static<typeof Resource>;

export const VenueSummary = Type.Object({
  id: Uuid,
  name: Type.String(),
  kind: VenueKind,
  organisationId: Uuid,
  cityCode: Type.String(),
  districtCode: Type.String(),
  address: Type.String(),
  lat: Type.Number(),
  lng: Type.Number(),
  approximate: Type.Boolean(),
  sports: Type.Array(Sport),
  priceLevel: PriceLevel,
  isPublic: Type.Boolean(),
  isDemo: Type.Boolean(),
  openNow: Type.Boolean(),
  /** Present when the list was asked for `near` a point. */
  distanceMeters: Type.Optional(Type.Integer()),
  thumbUrl: Type.Union([Type.String(), Type.Null()]),
});
export type VenueSummary = Static<typeof VenueSummary>;

export const HoursException = Type.Object({
  id: Uuid,
  resourceId: Type.Union([Uuid, Type.Null()]),
  date: LocalDate,
  kind: Type.Enum(['closed', 'special']),
  ranges: Type.Array(TimeRange),
  reason: Type.String(),
});
export type HoursException = Static<typeof HoursException>;

export const VenueDetail = Type.Object({
  ...VenueSummary.properties,
  organisationName: Type.String(),
  facilities: Type.Array(Facility),
  phone: Type.Union([Type.String(), Type.Null()]),
  description: Type.String(),
  timeZone: Type.String(),
  holidayRule: HolidayRule,
  weeklyHours: WeeklySchedule,
  /** Upcoming dated closures and special hours, today onwards. */
  exceptions: Type.Array(HoursException),
  resources: Type.Array(Resource),
  photos: Type.Array(Photo),
  /** Open intervals of today and the next six days, from the rules. */
  openingIntervals: Type.Array(OpenInterval),
  /** Whether the caller may edit this venue. */
  canManage: Type.Boolean(),
  updatedAt: Timestamp,
});
export type VenueDetail = Static<typeof VenueDetail>;

/** Filters shared by the list and the map. Coordinates arrive as text and are checked by the service. */
export const VenueFilters = Type.Object({
  city: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
  district: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
  sport: Type.Optional(Sport),
  kind: Type.Optional(VenueKind),
  priceLevel: Type.Optional(PriceLevel),
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
  /** minLng,minLat,maxLng,maxLat */
  bbox: Type.Optional(Type.String({ maxLength: 100 })),
  /** lat,lng: sorts by distance and adds distanceMeters. */
  near: Type.Optional(Type.String({ maxLength: 60 })),
  openNow: Type.Optional(Type.Boolean()),
});
export type VenueFilters = Static<typeof VenueFilters>;

export const VenueListQuery = Type.Object({
  ...PageQuery.properties,
  ...VenueFilters.properties,
  /** Staff: only venues I manage, public or not. Needs sign-in. */
  managed: Type.Optional(Type.Boolean()),
});
export type VenueListQuery = Static<typeof VenueListQuery>;

export const VenueParams = Type.Object({ id: Uuid });

const venueFields = {
  name: Type.String({ minLength: 2, maxLength: 80 }),
  kind: VenueKind,
  districtCode: Type.String({ minLength: 1, maxLength: 40 }),
  address: Type.String({ maxLength: 200 }),
  lat: Latitude,
  lng: Longitude,
  approximate: Type.Boolean(),
  sports: Type.Array(Sport, { uniqueItems: true, maxItems: SPORTS.length }),
  facilities: Type.Array(Facility, { uniqueItems: true, maxItems: FACILITIES.length }),
  phone: Type.Union([Type.String({ pattern: '^[0-9+\\- ]{5,20}$' }), Type.Null()]),
  description: Type.String({ maxLength: 2000 }),
  priceLevel: PriceLevel,
  isPublic: Type.Boolean(),
  organisationId: Uuid,
};

export const CreateVenueBody = Type.Object(
  {
    name: venueFields.name,
    kind: venueFields.kind,
    districtCode: venueFields.districtCode,
    address: Type.Optional(venueFields.address),
    lat: venueFields.lat,
    lng: venueFields.lng,
    approximate: Type.Optional(venueFields.approximate),
    sports: venueFields.sports,
    facilities: Type.Optional(venueFields.facilities),
    phone: Type.Optional(venueFields.phone),
    description: Type.Optional(venueFields.description),
    priceLevel: venueFields.priceLevel,
    isPublic: Type.Optional(venueFields.isPublic),
    /** The owning organisation: one the caller manages (a bureau admin may pick any in its scope). */
    organisationId: venueFields.organisationId,
  },
  { additionalProperties: false },
);
export type CreateVenueBody = Static<typeof CreateVenueBody>;

export const UpdateVenueBody = Type.Partial(Type.Object(venueFields, { additionalProperties: false }), {
  additionalProperties: false,
  minProperties: 1,
});
export type UpdateVenueBody = Static<typeof UpdateVenueBody>;

export const SetHoursBody = Type.Object(
  { weeklyHours: WeeklySchedule, holidayRule: HolidayRule, timeZone: Type.Optional(Type.String({ minLength: 3, maxLength: 60 })) },
  { additionalProperties: false },
);
export type SetHoursBody = Static<typeof SetHoursBody>;

export const CreateExceptionBody = Type.Object(
  {
    date: LocalDate,
    kind: Type.Enum(['closed', 'special']),
    ranges: Type.Optional(Type.Array(TimeRange, { maxItems: 6 })),
    reason: Type.String({ minLength: 2, maxLength: 200 }),
    resourceId: Type.Optional(Uuid),
  },
  { additionalProperties: false },
);
export type CreateExceptionBody = Static<typeof CreateExceptionBody>;

export const ExceptionParams = Type.Object({ id: Uuid, exceptionId: Uuid });
export const ResourceParams = Type.Object({ id: Uuid, resourceId: Uuid });
export const PhotoParams = Type.Object({ id: Uuid, photoId: Uuid });

const resourceFields = {
  name: Type.String({ minLength: 1, maxLength: 40 }),
  sport: Sport,
  indoor: Type.Boolean(),
  mode: ResourceMode,
  capacity: Type.Integer({ minimum: 1, maximum: 10000 }),
  status: ResourceStatus,
  weeklyHours: Type.Union([WeeklySchedule, Type.Null()]),
  sortOrder: Type.Integer({ minimum: 0, maximum: 1000 }),
};

export const CreateResourceBody = Type.Object(
  {
    name: resourceFields.name,
    sport: resourceFields.sport,
    indoor: Type.Optional(resourceFields.indoor),
    mode: resourceFields.mode,
    capacity: Type.Optional(resourceFields.capacity),
    weeklyHours: Type.Optional(resourceFields.weeklyHours),
    sortOrder: Type.Optional(resourceFields.sortOrder),
  },
  { additionalProperties: false },
);
export type CreateResourceBody = Static<typeof CreateResourceBody>;

export const UpdateResourceBody = Type.Partial(Type.Object(resourceFields, { additionalProperties: false }), {
  additionalProperties: false,
  minProperties: 1,
});
export type UpdateResourceBody = Static<typeof UpdateResourceBody>;

/** RFC 7946 FeatureCollection of venue points. */
export const VenueFeatureCollection = Type.Object({
  type: Type.Literal('FeatureCollection'),
  features: Type.Array(
    Type.Object({
      type: Type.Literal('Feature'),
      id: Uuid,
      geometry: Type.Object({ type: Type.Literal('Point'), coordinates: Type.Array(Type.Number(), { minItems: 2, maxItems: 2 }) }),
      properties: Type.Object({
        id: Uuid,
        name: Type.String(),
        kind: VenueKind,
        sports: Type.Array(Sport),
        priceLevel: PriceLevel,
        openNow: Type.Boolean(),
        approximate: Type.Boolean(),
      }),
    }),
  ),
});
export type VenueFeatureCollection = Static<typeof VenueFeatureCollection>;

/** Where the map page gets its tiles; `crs: gcj02` means positions are converted before drawing. */
export const MapSettings = Type.Object({
  url: Type.String(),
  crs: Type.Enum(['wgs84', 'gcj02']),
  attribution: Type.String(),
});
export type MapSettings = Static<typeof MapSettings>;
