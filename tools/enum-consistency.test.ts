import { describe, expect, it } from 'vitest';
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

  it('the phone pattern of the request schema is the domain rule', () => {
    expect((contracts.Phone as unknown as { pattern: string }).pattern).toBe(domain.MAINLAND_MOBILE_PATTERN);
  });
});
