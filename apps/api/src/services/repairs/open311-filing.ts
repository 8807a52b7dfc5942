import type { ReportTicketBody } from '@sports/contracts';
import type { Db, Queryable } from '@sports/db';
import { ASSET_CATALOGUE, ASSET_TYPES, type AssetType } from '@sports/domain';
import { clientByKey, requestForToken } from './open311.ts';
import { addClientUpdate, type Open311Update } from './open311-updates.ts';
import { cityOfAsset, cityOfPoint, cityOfVenue, given, jurisdictionOf, Open311Refusal, venueForAddress, type Jurisdiction } from './open311-requests.ts';
import { reportTicket } from './report.ts';

/**
 * What a client posts through Open311, checked and filed: a service request becomes a repair ticket
 * of the workflow residents' reports enter; an update becomes a note on the client's own request.
 * Every refusal is an `Open311Refusal` with the status the spec names (a missing or wrong key: 403).
 */

const NUMERIC = /^-?\d{1,3}(\.\d+)?$/;

/** A posted service request, as its form fields (`attribute[fault]` keys as sent). */
export interface PostedRequest {
  api_key?: string;
  jurisdiction_id?: string;
  service_code: string;
  lat?: string;
  long?: string;
  address_string?: string;
  address_id?: string;
  description?: string;
  phone?: string;
  [attribute: string]: string | undefined;
}

/** The client a key belongs to; 403 when no key is given or it is not valid. */
async function clientOf(db: Queryable, key: string | undefined, doing: string) {
  if (key === undefined) throw new Open311Refusal(403, `api_key is required to ${doing}`);
  const client = await clientByKey(db, key);
  if (!client) throw new Open311Refusal(403, 'api_key is not valid');
  return client;
}

/** The caller's jurisdiction when reading: its key's city (an unknown key is 403), else jurisdiction_id, else every city. */
export async function readerJurisdiction(db: Queryable, query: { api_key?: string; jurisdiction_id?: string }): Promise<Jurisdiction | undefined> {
  const key = given(query.api_key);
  const client = key === undefined ? undefined : await clientOf(db, key, 'read');
  return jurisdictionOf(db, client?.cityCode, given(query.jurisdiction_id));
}

/**
 * Files a posted request as a ticket and answers its service_request_id (the spec: the id, or a
 * token when there is none yet; the ticket exists at once, so the id).
 */
export async function fileRequest(db: Db, body: PostedRequest, ip: string, now: Date): Promise<{ service_request_id: string }> {
  const client = await clientOf(db, given(body.api_key), 'post a request');
  const fields = body as Record<string, string | undefined>;
  const place = await jurisdictionOf(db, client.cityCode, given(body.jurisdiction_id));
  const city = place!.code;
  if (!(ASSET_TYPES as readonly string[]).includes(body.service_code)) throw new Open311Refusal(404, `service_code ${body.service_code} not found`);
  const category = body.service_code as AssetType;
  const fault = fields['attribute[fault]'];
  if (!fault || !ASSET_CATALOGUE[category].faults.some((f) => f.key === fault)) {
    throw new Open311Refusal(400, `attribute[fault] is required: one of ${ASSET_CATALOGUE[category].faults.map((f) => f.key).join(', ')}`);
  }
  const elsewhere = `this api_key files requests only into jurisdiction_id ${city}`;
  const assetCode = given(fields['attribute[asset_code]']);
  // Passed on as sent, up to the spec's 4 000 characters (the ticket service still trims its ends).
  const report: ReportTicketBody = { category, fault, ...(body.description !== undefined && body.description.trim() !== '' ? { description: body.description } : {}) };
  const lat = given(body.lat);
  const long = given(body.long);
  const addressId = given(body.address_id);
  const address = given(body.address_string);
  if (assetCode) {
    const assetCity = await cityOfAsset(db, assetCode);
    if (assetCity !== undefined && assetCity !== city) throw new Open311Refusal(403, elsewhere);
    report.assetCode = assetCode;
  } else if (lat !== undefined || long !== undefined) {
    if (lat === undefined || long === undefined) throw new Open311Refusal(400, 'lat and long must be given together');
    if (!NUMERIC.test(lat) || !NUMERIC.test(long)) throw new Open311Refusal(400, 'lat and long must be decimal degrees (WGS-84)');
    report.lat = Number(lat);
    report.lng = Number(long);
    if (Math.abs(report.lat) > 90 || Math.abs(report.lng) > 180) throw new Open311Refusal(400, 'lat/long out of range');
    const pointCity = await cityOfPoint(db, report.lat, report.lng);
    if (pointCity === undefined) throw new Open311Refusal(400, 'lat/long lies outside every jurisdiction this server serves');
    if (pointCity !== city) throw new Open311Refusal(403, elsewhere);
  } else if (addressId !== undefined) {
    // An address_id is a venue of the registry (as GET requests answers it).
    const venueCity = await cityOfVenue(db, addressId);
    if (venueCity === undefined) throw new Open311Refusal(400, `address_id ${addressId} is no venue of the registry`);
    if (venueCity !== city) throw new Open311Refusal(403, elsewhere);
    report.venueId = addressId.toLowerCase();
  } else if (address !== undefined) {
    report.venueId = await venueForAddress(db, city, address);
  } else throw new Open311Refusal(400, 'lat and long, address_string, address_id or attribute[asset_code] is required');
  if (body.phone && /^1[3-9]\d{9}$/.test(body.phone)) report.phone = body.phone;
  const id = await reportTicket(db, null, report, { ip, open311ClientId: client.id }, now);
  const created = await requestForToken(db, id);
  return { service_request_id: created!.service_request_id };
}

/** Adds a client's update to a request it filed itself. */
export async function postUpdate(db: Db, body: { api_key?: string; service_request_id: string; description: string }, now: Date): Promise<Open311Update> {
  const client = await clientOf(db, given(body.api_key), 'post an update');
  if (body.description.trim() === '') throw new Open311Refusal(400, 'description is required');
  return addClientUpdate(db, client.id, body.service_request_id.trim().toUpperCase(), body.description, now);
}
