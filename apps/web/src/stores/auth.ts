import { computed, shallowRef } from 'vue';
import { defineStore } from 'pinia';
import type { LoginBody, Me, RegisterBody, Session, StaffRole } from '@sports/contracts';
import { fetchMe, refreshSession, registerAccount, signIn, signOut } from '@/api/accounts/auth.ts';
import { connectSession } from '@/api/shared/http.ts';

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
  }

  function clear(): void {
    accessToken = null;
    user.value = null;
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
        () => false,
      )
      .finally(() => {
        refreshing = null;
      });
    return refreshing;
  }

  /** Once per page load: picks up the session from the refresh cookie, if there is one. */
  function restore(): Promise<void> {
    restoring ??= user.value ? Promise.resolve() : refresh().then(() => undefined);
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
