import { checkPassword, isMainlandMobile } from '@sports/domain';

/**
 * The API's rules for phone, password and display name (packages/contracts/src/auth.ts), checked before
 * sending. Each returns the i18n key of the problem, or null.
 */
export function phoneProblem(phone: string): string | null {
  if (phone.trim() === '') return 'validation.phoneRequired';
  return isMainlandMobile(phone.trim()) ? null : 'validation.phoneInvalid';
}

export function signInPasswordProblem(password: string): string | null {
  return password === '' ? 'validation.passwordRequired' : null;
}

/** The length, then the API's rule against passwords too easy to guess (packages/domain/src/password.ts). */
export function newPasswordProblem(password: string, phone = ''): string | null {
  if (password === '') return 'validation.passwordRequired';
  if (password.length < 8 || password.length > 128) return 'validation.passwordLength';
  const check = checkPassword(password, { phone: phone.trim() });
  return check.ok ? null : `validation.passwordWeak.${check.problem!}`;
}

export function displayNameProblem(displayName: string): string | null {
  const trimmed = displayName.trim();
  if (trimmed === '') return 'validation.displayNameRequired';
  return trimmed.length > 40 ? 'validation.displayNameLength' : null;
}
