/** Mainland China mobile numbers: 11 digits, 1 then 3–9. */
export const MAINLAND_MOBILE_PATTERN = '^1[3-9]\\d{9}$';

const mainlandMobile = new RegExp(MAINLAND_MOBILE_PATTERN);

export function isMainlandMobile(value: string): boolean {
  return mainlandMobile.test(value);
}

/** `13812341234` → `138****1234`. Anything that is not a mobile number is masked whole. */
export function maskPhone(phone: string): string {
  if (!isMainlandMobile(phone)) return '*'.repeat(phone.length);
  return `${phone.slice(0, 3)}****${phone.slice(7)}`;
}
