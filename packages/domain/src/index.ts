export { MAINLAND_MOBILE_PATTERN, isMainlandMobile, maskPhone } from './accounts/phone.ts';
export { checkIdNumber, idNumberCheckChar, maskIdNumber } from './accounts/id-number.ts';
export type { IdNumberCheck, IdNumberProblem } from './accounts/id-number.ts';
export { STAFF_ROLES, ORGANISATION_KINDS, ROLE_ORGANISATION_KIND, roleFitsOrganisation } from './accounts/roles.ts';
export type { Role, StaffRole, OrganisationKind } from './accounts/roles.ts';
export { grantReaches, canActOn } from './accounts/scope.ts';
export type { OrganisationPlace, RoleGrant } from './accounts/scope.ts';
export { SPORTS, VENUE_KINDS, FACILITIES, PRICE_LEVELS, RESOURCE_MODES, RESOURCE_STATUSES } from './venues/catalogue.ts';
export type { Sport, VenueKind, Facility, PriceLevel, ResourceMode, ResourceStatus } from './venues/catalogue.ts';
export { EARTH_RADIUS_METERS, haversineMeters } from './venues/geo.ts';
export type { LatLng } from './venues/geo.ts';
export {
  expandOpeningHours,
  isOpenAt,
  validateTimeRanges,
  localDate,
  localTimeToInstant,
  addDays,
  weekdayOf,
  isCalendarDate,
} from './venues/opening-hours.ts';
export type {
  Weekday,
  TimeRange,
  WeeklySchedule,
  DatedException,
  HolidayRule,
  OpeningRules,
  OpenInterval,
} from './venues/opening-hours.ts';
export { FORMATS, FIRST_YEAR, LAST_YEAR, isStorableDate, isTimestamp } from './shared/formats.ts';
export { chinaHolidayCalendar, plainCalendar } from './venues/holiday-calendar.ts';
export type { DayType, DayInfo, HolidayCalendar } from './venues/holiday-calendar.ts';
export {
  SLOT_LENGTHS,
  DEFAULT_BOOKING_SETTINGS,
  DEFAULT_RESIDENT_RULES,
  RESERVATION_STATUSES,
  ACTIVE_RESERVATION_STATUSES,
  CHECK_IN_OPENS_MINUTES,
  CHECK_IN_CLOSES_MINUTES,
  expandSlots,
  dayKindOf,
  localTimeOf,
  slotPriceFen,
  releaseInstant,
  timeState,
  checkRequestedSpan,
  canCancelFree,
  checkInWindow,
  withinCheckInWindow,
  suspensionAfterNoShows,
  MAX_BLOCK_DAYS,
  BLOCK_START_GRACE_MINUTES,
  checkBlockSpan,
} from './booking/booking.ts';
export type {
  SlotLength,
  DayKind,
  PriceBand,
  BookingSettings,
  ResidentRules,
  Slot,
  SlotState,
  BookingRefusal,
  BlockRefusal,
  ReservationStatus,
} from './booking/booking.ts';
export {
  SCHOOL_ELIGIBILITIES,
  MINOR_AGE,
  MAX_ACCOMPANYING_MINORS,
  ENTRY_OPENS_MINUTES,
  SCHOOL_WINDOW_DAYS,
  DEFAULT_SCHOOL_QUOTA,
  planSessions,
  checkSchoolPlan,
  ageOn,
  checkEligibility,
  weekStartOf,
  checkSchoolQuota,
  entryWindow,
  withinEntryWindow,
  maskName,
  schoolOpenTarget,
} from './schools/school.ts';
export type {
  SchoolEligibility,
  SchoolPlanRules,
  PlannedSession,
  SchoolPlanProblem,
  EligibilityRefusal,
  EligibilityInput,
  SchoolQuota,
} from './schools/school.ts';
export {
  TICKET_STATES,
  TICKET_ACTORS,
  TICKET_MOVES,
  TICKET_WORKFLOW,
  TERMINAL_TICKET_STATES,
  TICKET_PRIORITIES,
  DEFAULT_SLA_HOURS,
  AUTO_CLOSE_DAYS,
  OPEN_TICKET_STATES,
  DUPLICATE_RADIUS_METERS,
  TICKET_PHOTO_KINDS,
  MAX_REPORT_PHOTOS,
  TICKET_SOURCES,
  TICKET_CODE_LENGTH,
  TICKET_CODE_PATTERN,
  TICKET_CODE_SEARCH_MIN,
  newTicketCode,
  normaliseTicketCodeSearch,
  open311Status,
  checkMove,
  movesFor,
  ticketDueAt,
  isOverdue,
  checkSla,
  median,
} from './repairs/tickets.ts';
export type {
  TicketState,
  TicketActor,
  TicketMove,
  MoveRequirement,
  MoveContext,
  MoveCheck,
  TicketPriority,
  TicketPhotoKind,
  TicketSource,
  TicketSlaHours,
} from './repairs/tickets.ts';
export {
  ASSET_TYPES,
  ASSET_STATUSES,
  ASSET_CATALOGUE,
  ASSET_CODE_ALPHABET,
  ASSET_CODE_LENGTH,
  ASSET_CODE_PATTERN,
  SERVICE_LIFE_STATES,
  MAX_SERVICE_LIFE_YEARS,
  MAX_ASSET_DISTANCE_FROM_VENUE_METERS,
  newAssetCode,
  normaliseAssetCode,
  addYears,
  serviceLifeEnds,
  serviceLifeState,
  checkAsset,
} from './repairs/assets.ts';
export type { AssetType, AssetStatus, FaultChoice, AssetTypeEntry, ServiceLifeState, AssetLife, AssetFacts, AssetProblem, AssetProblemReason } from './repairs/assets.ts';
export {
  ratio,
  utilisation,
  noShowRate,
  schoolOpenRatio,
  medianHoursToResolve,
  GOOD_ORDER_TARGET,
  NATIONAL_OPENING_RULES,
  dayHours,
  weeklyHours,
  openingCompliance,
  KPI_DEFINITIONS,
  KPI_KEYS,
  meetsTarget,
  kpiFigures,
} from './dashboard/kpis.ts';
export type { KpiKey, KpiFigure, OpeningComplianceInput, OpeningCompliance } from './dashboard/kpis.ts';
export { checkPassword, PASSWORD_PROBLEMS } from './accounts/password.ts';
export type { PasswordCheck, PasswordProblem } from './accounts/password.ts';
export { standingRefusal } from './booking/standing.ts';
export type { Standing, StandingRequest, StandingRules, StandingRefusal } from './booking/standing.ts';
export { CODE_ALPHABET, CODE_LENGTH, newCode } from './shared/codes.ts';
