import type { Asset, CreateAssetBody, SetAssetStatusBody, UpdateAssetBody } from '@sports/contracts';
import { checkAsset, MAX_SERVICE_LIFE_YEARS, type AssetProblemReason, type AssetStatus, type AssetType, type LatLng } from '@sports/domain';

/** The asset form as typed: numbers stay text until they are checked. */
export interface AssetDraft {
  venueId: string;
  /** '' for none: equipment that serves no one court (a toilet, a machine on a path). */
  resourceId: string;
  type: AssetType | '';
  name: string;
  installDate: string;
  serviceLifeYears: string;
  warrantyUntil: string;
  lat: string;
  lng: string;
}

export type AssetField = keyof AssetDraft;
export type AssetFormProblem =
  | 'venueRequired'
  | 'typeRequired'
  | 'nameRequired'
  | 'nameLength'
  | 'dateRequired'
  | 'yearsRange'
  | 'latRange'
  | 'lngRange'
  | AssetProblemReason;

export function emptyAssetDraft(venueId = ''): AssetDraft {
  return { venueId, resourceId: '', type: '', name: '', installDate: '', serviceLifeYears: '8', warrantyUntil: '', lat: '', lng: '' };
}

export function assetDraftOf(asset: Asset): AssetDraft {
  return {
    venueId: asset.venueId,
    resourceId: asset.resourceId ?? '',
    type: asset.type,
    name: asset.name,
    installDate: asset.installDate,
    serviceLifeYears: String(asset.serviceLifeYears),
    warrantyUntil: asset.warrantyUntil ?? '',
    lat: asset.lat === null ? '' : String(asset.lat),
    lng: asset.lng === null ? '' : String(asset.lng),
  };
}

const coordinate = (text: string): number | null => (text.trim() === '' ? null : Number(text.trim()));

/**
 * The API's rules, checked before sending (i18n keys under `assets.errors`): a venue, a type, a name,
 * real dates with the warranty not ending before installation and nothing installed after today,
 * 1–50 years of life, and a position given whole, in range and near the venue.
 */
export function assetProblems(draft: AssetDraft, venue: LatLng | null, today: string): Partial<Record<AssetField, AssetFormProblem>> {
  const found: Partial<Record<AssetField, AssetFormProblem>> = {};
  if (!draft.venueId) found.venueId = 'venueRequired';
  if (!draft.type) found.type = 'typeRequired';
  const name = draft.name.trim();
  if (!name) found.name = 'nameRequired';
  else if ([...name].length > 60) found.name = 'nameLength';
  if (!draft.installDate) found.installDate = 'dateRequired';
  const years = draft.serviceLifeYears.trim();
  if (!/^\d{1,2}$/.test(years) || Number(years) < 1 || Number(years) > MAX_SERVICE_LIFE_YEARS) found.serviceLifeYears = 'yearsRange';
  const lat = coordinate(draft.lat);
  const lng = coordinate(draft.lng);
  if (lat !== null && !(lat >= -90 && lat <= 90)) found.lat = 'latRange';
  if (lng !== null && !(lng >= -180 && lng <= 180)) found.lng = 'lngRange';
  if (draft.installDate && !found.lat && !found.lng) {
    const facts = { installDate: draft.installDate, serviceLifeYears: Number(years), warrantyUntil: draft.warrantyUntil || null, lat, lng };
    for (const problem of checkAsset(facts, venue ?? { lat: lat ?? 0, lng: lng ?? 0 }, today)) {
      found[problem.field as AssetField] ??= problem.reason;
    }
  }
  return found;
}

/** A new asset's request body. */
export function createAssetBody(draft: AssetDraft): CreateAssetBody {
  const lat = coordinate(draft.lat);
  const lng = coordinate(draft.lng);
  return {
    venueId: draft.venueId,
    resourceId: draft.resourceId || null,
    type: draft.type as AssetType,
    name: draft.name.trim(),
    installDate: draft.installDate,
    serviceLifeYears: Number(draft.serviceLifeYears.trim()),
    warrantyUntil: draft.warrantyUntil || null,
    ...(lat !== null && lng !== null ? { lat, lng } : {}),
  };
}

/** Only what changed (the venue and the code never do); null when nothing did. */
export function updateAssetBody(asset: Asset, draft: AssetDraft): UpdateAssetBody | null {
  const next = createAssetBody(draft);
  const changes: UpdateAssetBody = {};
  if ((next.resourceId ?? null) !== asset.resourceId) changes.resourceId = next.resourceId ?? null;
  if (next.type !== asset.type) changes.type = next.type;
  if (next.name !== asset.name) changes.name = next.name;
  if (next.installDate !== asset.installDate) changes.installDate = next.installDate;
  if (next.serviceLifeYears !== asset.serviceLifeYears) changes.serviceLifeYears = next.serviceLifeYears;
  if ((next.warrantyUntil ?? null) !== asset.warrantyUntil) changes.warrantyUntil = next.warrantyUntil ?? null;
  const lat = next.lat ?? null;
  const lng = next.lng ?? null;
  if (lat !== asset.lat || lng !== asset.lng) {
    changes.lat = lat;
    changes.lng = lng;
  }
  return Object.keys(changes).length > 0 ? changes : null;
}

// ——— status ———

export interface StatusDraft {
  status: AssetStatus;
  reason: string;
  /** Only when out of service: the day it should be back in use, or ''. */
  expectedFixDate: string;
}

export type StatusProblem = 'reasonRequired' | 'reasonLength' | 'fixDatePast';

export function statusDraftOf(asset: Pick<Asset, 'status' | 'expectedFixDate'>): StatusDraft {
  return { status: asset.status, reason: '', expectedFixDate: asset.expectedFixDate ?? '' };
}

/** A reason of 2–200 characters unless back in order; an expected fix day not before today (i18n keys under `assets.status.errors`). */
export function statusProblems(draft: StatusDraft, today: string): Partial<Record<keyof StatusDraft, StatusProblem>> {
  const found: Partial<Record<keyof StatusDraft, StatusProblem>> = {};
  const reason = draft.reason.trim();
  // Back in order needs no reason, but one that is given must say something.
  if (reason.length < 2 && (draft.status !== 'ok' || reason.length > 0)) found.reason = 'reasonRequired';
  else if ([...reason].length > 200) found.reason = 'reasonLength';
  if (draft.status === 'out_of_service' && draft.expectedFixDate && draft.expectedFixDate < today) found.expectedFixDate = 'fixDatePast';
  return found;
}

export function statusBody(draft: StatusDraft): SetAssetStatusBody {
  const reason = draft.reason.trim();
  return {
    status: draft.status,
    ...(reason ? { reason } : {}),
    ...(draft.status === 'out_of_service' && draft.expectedFixDate ? { expectedFixDate: draft.expectedFixDate } : {}),
  };
}
