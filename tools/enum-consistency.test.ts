import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import * as contracts from '@sports/contracts';
import { schema } from '@sports/db';
import * as domain from '@sports/domain';

/**
 * contracts and domain may not import each other, and db may import only domain types (DESIGN §2),
 * so a few lists are spelled out in more than one place. They must agree exactly.
 */
describe('values spelled in more than one layer', () => {
  it('staff roles agree across domain, contracts and the database enum', () => {
    expect([...contracts.STAFF_ROLES]).toEqual([...domain.STAFF_ROLES]);
    expect(schema.staffRole.enumValues).toEqual([...domain.STAFF_ROLES]);
  });

  it('organisation kinds agree across domain, contracts and the database enum', () => {
    expect([...contracts.ORGANISATION_KINDS]).toEqual([...domain.ORGANISATION_KINDS]);
    expect(schema.organisationKind.enumValues).toEqual([...domain.ORGANISATION_KINDS]);
  });

  it('the venue catalogue agrees between domain and contracts, and with the database enums', () => {
    expect([...contracts.SPORTS]).toEqual([...domain.SPORTS]);
    expect([...contracts.VENUE_KINDS]).toEqual([...domain.VENUE_KINDS]);
    expect([...contracts.FACILITIES]).toEqual([...domain.FACILITIES]);
    expect([...contracts.PRICE_LEVELS]).toEqual([...domain.PRICE_LEVELS]);
    expect([...contracts.RESOURCE_MODES]).toEqual([...domain.RESOURCE_MODES]);
    expect([...contracts.RESOURCE_STATUSES]).toEqual([...domain.RESOURCE_STATUSES]);
    expect(schema.venueKind.enumValues).toEqual([...domain.VENUE_KINDS]);
    expect(schema.priceLevel.enumValues).toEqual([...domain.PRICE_LEVELS]);
    expect(schema.resourceMode.enumValues).toEqual([...domain.RESOURCE_MODES]);
    expect(schema.resourceStatus.enumValues).toEqual([...domain.RESOURCE_STATUSES]);
    expect(schema.holidayRule.enumValues).toEqual([...contracts.HOLIDAY_RULES]);
  });

  it('reservation statuses and slot lengths agree between the contracts, the database and the domain', () => {
    expect(schema.reservationStatus.enumValues).toEqual([...contracts.RESERVATION_STATUSES]);
    expect(contracts.BookingSettings.properties.slotMinutes.anyOf.map((s: { const: number }) => s.const)).toEqual([...domain.SLOT_LENGTHS]);
  });

  it('school opening: eligibility and registration statuses agree', () => {
    expect(schema.schoolEligibility.enumValues).toEqual([...domain.SCHOOL_ELIGIBILITIES]);
    expect((contracts.SchoolEligibility as unknown as { enum: string[] }).enum).toEqual([...domain.SCHOOL_ELIGIBILITIES]);
    expect(schema.schoolRegistrationStatus.enumValues).toEqual([...contracts.REGISTRATION_STATUSES]);
    expect(domain.MAX_ACCOMPANYING_MINORS).toBe((contracts.SessionRegisterBody.properties.minors as unknown as { maxItems: number }).maxItems);
  });

  it('repair reports: asset types, statuses, service-life states and the code format agree', () => {
    expect([...contracts.ASSET_TYPES]).toEqual([...domain.ASSET_TYPES]);
    expect(schema.assetType.enumValues).toEqual([...domain.ASSET_TYPES]);
    expect([...contracts.ASSET_STATUSES]).toEqual([...domain.ASSET_STATUSES]);
    expect(schema.assetStatus.enumValues).toEqual([...domain.ASSET_STATUSES]);
    expect([...contracts.SERVICE_LIFE_STATES]).toEqual([...domain.SERVICE_LIFE_STATES]);
    expect(contracts.MAX_SERVICE_LIFE_YEARS).toBe(domain.MAX_SERVICE_LIFE_YEARS);
    // The database's checks, as the migrations create them.
    const folder = new URL('../migrations/', import.meta.url);
    const migrations = readdirSync(folder).filter((f) => f.endsWith('.sql')).map((f) => readFileSync(new URL(f, folder), 'utf8')).join('\n');
    expect(migrations).toContain(`"assets"."code" ~ '${domain.ASSET_CODE_PATTERN}'`);
    expect(migrations).toContain(`"assets"."service_life_years" between 1 and ${domain.MAX_SERVICE_LIFE_YEARS}`);
  });

  it('dashboard: the KPI keys and units agree', () => {
    expect([...contracts.KPI_KEYS]).toEqual([...domain.KPI_KEYS]);
    for (const key of domain.KPI_KEYS) expect(contracts.KPI_UNITS).toContain(domain.KPI_DEFINITIONS[key].unit);
  });

  it('repair tickets: states, moves, actors, priorities, photo kinds, sources and the code format agree', () => {
    expect([...contracts.TICKET_STATES]).toEqual([...domain.TICKET_STATES]);
    expect(schema.ticketState.enumValues).toEqual([...domain.TICKET_STATES]);
    expect([...contracts.TICKET_MOVES]).toEqual([...domain.TICKET_MOVES]);
    expect([...contracts.TICKET_ACTORS]).toEqual([...domain.TICKET_ACTORS]);
    expect([...contracts.TICKET_PRIORITIES]).toEqual([...domain.TICKET_PRIORITIES]);
    expect(schema.ticketPriority.enumValues).toEqual([...domain.TICKET_PRIORITIES]);
    expect([...contracts.TICKET_PHOTO_KINDS]).toEqual([...domain.TICKET_PHOTO_KINDS]);
    expect(schema.ticketPhotoKind.enumValues).toEqual([...domain.TICKET_PHOTO_KINDS]);
    expect(schema.ticketSource.enumValues).toEqual([...domain.TICKET_SOURCES]);
    expect((contracts.TicketDetail.properties.source as unknown as { enum: string[] }).enum).toEqual([...domain.TICKET_SOURCES]);
    const folder = new URL('../migrations/', import.meta.url);
    const migrations = readdirSync(folder).filter((f) => f.endsWith('.sql')).map((f) => readFileSync(new URL(f, folder), 'utf8')).join('\n');
    expect(migrations).toContain(`"tickets"."code" ~ '${domain.TICKET_CODE_PATTERN}'`);
    // The unique index that allows one open ticket per asset lists exactly the states that are not open.
    const notOpen = domain.TICKET_STATES.filter((state) => !domain.OPEN_TICKET_STATES.includes(state));
    expect(migrations).toContain(`WHERE "tickets"."state" not in (${notOpen.map((state) => `'${state}'`).join(', ')})`);
  });

  it('the queue’s code search: the schema lets through exactly what the domain reads as a ticket code or its start (property)', () => {
    const schemaAccepts = new RegExp((contracts.TicketCodeSearch as unknown as { pattern: string }).pattern);
    const typed = fc.string({ unit: fc.constantFrom(...domain.ASSET_CODE_ALPHABET, ...'aqz0O1Il -_%'), maxLength: 12 });
    fc.assert(fc.property(typed, (text) => schemaAccepts.test(text) === (domain.normaliseTicketCodeSearch(text) !== undefined)));
    expect(schemaAccepts.test(' 3fq ')).toBe(true);
  });

  it('the phone pattern of the request schema is the domain rule', () => {
    expect((contracts.Phone as unknown as { pattern: string }).pattern).toBe(domain.MAINLAND_MOBILE_PATTERN);
  });
});
