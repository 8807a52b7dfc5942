import type { RouteRecordName, RouteMeta, Router } from 'vue-router';
import type { StaffRole } from '@sports/contracts';

export interface ConsoleNavItem {
  name: RouteRecordName;
  meta: RouteMeta;
}

/** Console pages in the order the routes list them, keeping those one of `allowed` may open. */
export function consoleNavFor(router: Router, allowed: (role: StaffRole) => boolean): ConsoleNavItem[] {
  const consoleRoute = router.options.routes.find((route) => route.path === '/console');
  return (consoleRoute?.children ?? []).flatMap((route) =>
    route.name !== undefined && route.meta?.consoleNav !== undefined && (route.meta.roles ?? []).some(allowed)
      ? [{ name: route.name, meta: route.meta }]
      : [],
  );
}
