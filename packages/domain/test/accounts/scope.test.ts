import { describe, expect, it } from 'vitest';
import { canActOn, grantReaches, type OrganisationPlace } from '../../src/accounts/scope.ts';

const zhengzhouBureau: OrganisationPlace = { id: 'zz', kind: 'bureau', cityCode: '410100', districtCode: null };
const jinshuiBureau: OrganisationPlace = { id: 'js', kind: 'bureau', cityCode: '410100', districtCode: '410105' };
const ordosBureau: OrganisationPlace = { id: 'ordos', kind: 'bureau', cityCode: '150600', districtCode: null };
const schoolX: OrganisationPlace = { id: 'x', kind: 'school', cityCode: '410100', districtCode: '410105' };
const schoolY: OrganisationPlace = { id: 'y', kind: 'school', cityCode: '410100', districtCode: '410102' };
const venueCo: OrganisationPlace = { id: 'v', kind: 'operator', cityCode: '410100', districtCode: null };

describe('who reaches which organisation', () => {
  it('a school admin of school X reaches X and not school Y', () => {
    const grant = { role: 'school_admin' as const, organisation: schoolX };
    expect(grantReaches(grant, schoolX)).toBe(true);
    expect(grantReaches(grant, schoolY)).toBe(false);
  });

  it('a city bureau admin reaches everything in its city and nothing in another city', () => {
    const grant = { role: 'bureau_admin' as const, organisation: zhengzhouBureau };
    for (const target of [jinshuiBureau, schoolX, schoolY, venueCo]) expect(grantReaches(grant, target)).toBe(true);
    expect(grantReaches(grant, ordosBureau)).toBe(false);
  });

  it('a district bureau admin reaches its district only, not city-level organisations', () => {
    const grant = { role: 'bureau_admin' as const, organisation: jinshuiBureau };
    expect(grantReaches(grant, schoolX)).toBe(true);
    expect(grantReaches(grant, schoolY)).toBe(false);
    expect(grantReaches(grant, venueCo)).toBe(false);
    expect(grantReaches(grant, zhengzhouBureau)).toBe(false);
  });

  it('a technician held in a bureau does not inherit the bureau admin reach', () => {
    expect(grantReaches({ role: 'technician', organisation: zhengzhouBureau }, schoolX)).toBe(false);
  });

  it('canActOn needs the right role as well as the right scope', () => {
    const grants = [{ role: 'technician' as const, organisation: venueCo }];
    expect(canActOn(grants, ['technician'], venueCo)).toBe(true);
    expect(canActOn(grants, ['operator'], venueCo)).toBe(false);
    expect(canActOn([], ['operator'], venueCo)).toBe(false);
  });
});
