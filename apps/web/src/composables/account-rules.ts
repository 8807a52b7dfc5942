import { isMainlandMobile } from '@sports/domain';

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

export function newPasswordProblem(password: string): string | null {
  if (password === '') return 'validation.passwordRequired';
  return password.length < 8 || password.length > 128 ? 'validation.passwordLength' : null;
}

export function displayNameProblem(displayName: string): string | null {
  const trimmed = displayName.trim();
  if (trimmed === '') return 'validation.displayNameRequired';
  return trimmed.length > 40 ? 'validation.displayNameLength' : null;
}
