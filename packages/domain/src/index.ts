export { MAINLAND_MOBILE_PATTERN, isMainlandMobile, maskPhone } from './phone.ts';
export { checkIdNumber, idNumberCheckChar, maskIdNumber } from './id-number.ts';
export type { IdNumberCheck, IdNumberProblem } from './id-number.ts';
export { STAFF_ROLES, ORGANISATION_KINDS, ROLE_ORGANISATION_KIND, roleFitsOrganisation } from './roles.ts';
export type { Role, StaffRole, OrganisationKind } from './roles.ts';
export { grantReaches, canActOn } from './scope.ts';
export type { OrganisationPlace, RoleGrant } from './scope.ts';
export { SPORTS, VENUE_KINDS, FACILITIES, PRICE_LEVELS, RESOURCE_MODES, RESOURCE_STATUSES } from './catalogue.ts';
export type { Sport, VenueKind, Facility, PriceLevel, ResourceMode, ResourceStatus } from './catalogue.ts';
export { EARTH_RADIUS_METERS, haversineMeters } from './geo.ts';
export type { LatLng } from './geo.ts';
export {
  expandOpeningHours,
  isOpenAt,
  validateTimeRanges,
  localDate,
  localTimeToInstant,
  addDays,
  weekdayOf,
} from './opening-hours.ts';
export type {
  Weekday,
  TimeRange,
  WeeklySchedule,
  DatedException,
  HolidayRule,
  OpeningRules,
  OpenInterval,
} from './opening-hours.ts';
export { chinaHolidayCalendar, plainCalendar } from './holiday-calendar.ts';
export type { DayType, DayInfo, HolidayCalendar } from './holiday-calendar.ts';
export {
  SLOT_LENGTHS,
  DEFAULT_BOOKING_SETTINGS,
  DEFAULT_RESIDENT_RULES,
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
} from './booking.ts';
export type {
  SlotLength,
  DayKind,
  PriceBand,
  BookingSettings,
  ResidentRules,
  Slot,
  SlotState,
  BookingRefusal,
} from './booking.ts';
