/** Sports a venue can offer and a resource can be for. Labels live in the web app's locales. */
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
export type Sport = (typeof SPORTS)[number];

export const VENUE_KINDS = ['stadium', 'gym', 'community_center', 'park', 'fitness_path', 'school'] as const;
export type VenueKind = (typeof VENUE_KINDS)[number];

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
export type Facility = (typeof FACILITIES)[number];

export const PRICE_LEVELS = ['free', 'low', 'paid'] as const;
export type PriceLevel = (typeof PRICE_LEVELS)[number];

export const RESOURCE_MODES = ['exclusive', 'shared'] as const;
export type ResourceMode = (typeof RESOURCE_MODES)[number];

export const RESOURCE_STATUSES = ['active', 'out_of_service', 'retired'] as const;
export type ResourceStatus = (typeof RESOURCE_STATUSES)[number];
