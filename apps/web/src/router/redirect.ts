/**
 * The `redirect` query of the login page, if it is a path inside this app. Anything else (another
 * origin, `//host`, the auth pages themselves) is ignored so a crafted link cannot send people away.
 */
export function safeRedirect(value: unknown): string | null {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) {
    return null;
  }
  if (/^\/(login|register)(?:[/?#]|$)/.test(value)) return null;
  return value;
}
