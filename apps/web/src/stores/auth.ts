import { computed, shallowRef } from 'vue';
import { defineStore } from 'pinia';
import type { LoginBody, Me, RegisterBody, Session, StaffRole } from '@sports/contracts';
import { fetchMe, refreshSession, registerAccount, signIn, signOut } from '@/api/accounts/auth.ts';
import { ApiError, connectSession } from '@/api/shared/http.ts';

/**
 * Whether this browser may hold a refresh cookie: `'1'` in localStorage from a sign-in (or a
 * successful refresh) until sign-out or a refused refresh. Not a secret and not a credential, only a
 * hint, so a visitor who never signed in makes no refresh call that can only be refused (the 401 that
 * every first visit used to log). localStorage rather than a cookie of its own: the client alone
 * decides it, it is never sent to the server, and every tab sees a sign-out at once. When storage
 * cannot be read (a locked-down browser) the refresh is tried, as before.
 */
export const SESSION_HINT_KEY = 'sp.signedIn';

function mayHaveSession(): boolean {
  try {
    return globalThis.localStorage?.getItem(SESSION_HINT_KEY) === '1';
  } catch {
    return true;
  }
}

function rememberSession(present: boolean): void {
  try {
    if (present) globalThis.localStorage?.setItem(SESSION_HINT_KEY, '1');
    else globalThis.localStorage?.removeItem(SESSION_HINT_KEY);
  } catch {
    // No storage: restore() tries the refresh each time instead.
  }
}

/**
 * Who is signed in. The access token lives only in this closure (memory): never in localStorage, so a
 * script injected into the page cannot lift a long-lived credential. A reload keeps you signed in
 * through the httpOnly refresh cookie (`restore`).
 */
export const useAuthStore = defineStore('auth', () => {
  const user = shallowRef<Me | null>(null);
  let accessToken: string | null = null;
  let refreshing: Promise<boolean> | null = null;
  let restoring: Promise<void> | null = null;
  const expiredListeners = new Set<() => void>();

  const roles = computed(() => user.value?.roles ?? []);
  const isSignedIn = computed(() => user.value !== null);
  const isStaff = computed(() => roles.value.length > 0);
  /** Where a person lands after signing in: staff in the console, residents on the resident home. */
  const homePath = computed(() => (isStaff.value ? '/console' : '/'));

  function hasRole(role: StaffRole): boolean {
    return roles.value.some((scope) => scope.role === role);
  }

  function apply(session: Session): void {
    accessToken = session.accessToken;
    user.value = session.user;
    rememberSession(true);
  }

  function clear(): void {
    accessToken = null;
    user.value = null;
    rememberSession(false);
  }

  /**
   * Renews the access token. Refresh tokens rotate and a reused one revokes the whole family, so every
   * caller shares the one request in flight.
   */
  function refresh(): Promise<boolean> {
    refreshing ??= refreshSession()
      .then(
        (session) => {
          apply(session);
          return true;
        },
        (error: unknown) => {
          // Refused (no cookie, expired, revoked): no session to try again. A network error or a 5xx
          // says nothing about the cookie, so the hint stays for the next load.
          if (error instanceof ApiError && error.status >= 400 && error.status < 500) rememberSession(false);
          return false;
        },
      )
      .finally(() => {
        refreshing = null;
      });
    return refreshing;
  }

  /**
   * Once per page load: picks up the session from the refresh cookie, if there may be one (the
   * hint); a visitor who never signed in here makes no request.
   */
  function restore(): Promise<void> {
    restoring ??= user.value || !mayHaveSession() ? Promise.resolve() : refresh().then(() => undefined);
    return restoring;
  }

  /** Renewal was refused: forget the session and tell whoever listens (once, however many requests failed). */
  function expire(): void {
    const hadSession = accessToken !== null || user.value !== null;
    clear();
    if (hadSession) for (const listener of expiredListeners) listener();
  }

  /** Called when the session ends on its own (renewal refused); returns a function that unsubscribes. */
  function onSessionExpired(listener: () => void): () => void {
    expiredListeners.add(listener);
    return () => expiredListeners.delete(listener);
  }

  async function login(body: LoginBody): Promise<void> {
    apply(await signIn(body));
  }

  async function register(body: RegisterBody): Promise<void> {
    apply(await registerAccount(body));
  }

  async function logout(): Promise<void> {
    try {
      await signOut();
    } catch {
      // Signing out locally matters more than telling the server; its cookie expires on its own.
    } finally {
      clear();
    }
  }

  /** Reads roles and profile again, e.g. after an admin changed them. */
  async function reloadMe(): Promise<void> {
    user.value = await fetchMe();
  }

  connectSession({ accessToken: () => accessToken, refresh, expired: expire });

  return {
    user: computed(() => user.value),
    roles,
    isSignedIn,
    isStaff,
    homePath,
    hasRole,
    restore,
    login,
    register,
    logout,
    reloadMe,
    onSessionExpired,
  };
});
