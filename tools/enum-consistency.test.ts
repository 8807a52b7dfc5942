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

  it('the phone pattern of the request schema is the domain rule', () => {
    expect(contracts.Phone.pattern).toBe(domain.MAINLAND_MOBILE_PATTERN);
  });
});
