import type { RouteLocationNormalized, RouteLocationRaw, Router } from 'vue-router';
import { useAuthStore } from '@/stores/auth.ts';
import { useNoticeStore } from '@/stores/notices.ts';
import { consoleNavFor } from './console-nav.ts';

/**
 * Decides where a navigation may go: sign-in first where needed, residents kept out of the console,
 * staff kept out of console pages their roles do not cover.
 */
export async function guardNavigation(router: Router, to: RouteLocationNormalized): Promise<true | RouteLocationRaw> {
  const auth = useAuthStore();
  await auth.restore();

  if (to.meta.guestOnly && auth.isSignedIn) return auth.homePath;
  if (to.meta.requiresAuth && !auth.isSignedIn) return { name: 'login', query: { redirect: to.fullPath } };
  if (to.meta.staffOnly && !auth.isStaff) {
    useNoticeStore().flash('consoleStaffOnly', '/');
    return { name: 'home' };
  }

  const roles = to.meta.roles;
  if (roles && !roles.some((role) => auth.hasRole(role))) {
    // The console's front door leads each person to the first page their roles open.
    const first = to.name === 'console-overview' ? consoleNavFor(router, auth.hasRole)[0] : undefined;
    if (first?.name) return { name: first.name };
    return { name: 'console-forbidden', query: { from: to.fullPath } };
  }
  return true;
}

export function installGuards(router: Router): void {
  router.beforeEach((to) => guardNavigation(router, to));

  useAuthStore().onSessionExpired(() => {
    const here = router.currentRoute.value;
    if (here.name === 'login') return;
    void router.push({ name: 'login', query: { redirect: here.fullPath } });
  });
}
