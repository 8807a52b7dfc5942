import type { RouteRecordRaw } from 'vue-router';

/**
 * Every page is loaded on demand. Resident pages (Vant) and console pages (Element Plus) live under
 * different layouts, so neither side downloads the other's component library.
 */
export const routes: RouteRecordRaw[] = [
  {
    path: '/login',
    name: 'login',
    component: () => import('@/pages/auth/LoginPage.vue'),
    meta: { titleKey: 'auth.loginTitle', guestOnly: true },
  },
  {
    path: '/register',
    name: 'register',
    component: () => import('@/pages/auth/RegisterPage.vue'),
    meta: { titleKey: 'auth.registerTitle', guestOnly: true },
  },
  {
    path: '/',
    component: () => import('@/pages/resident/ResidentLayout.vue'),
    children: [
      {
        path: '',
        name: 'home',
        component: () => import('@/pages/resident/HomePage.vue'),
        meta: { titleKey: 'resident.tabs.home' },
      },
      {
        path: 'map',
        name: 'map',
        component: () => import('@/pages/resident/ComingSoonPage.vue'),
        props: { feature: 'map' },
        meta: { titleKey: 'resident.features.map.title' },
      },
      {
        path: 'bookings',
        name: 'bookings',
        component: () => import('@/pages/resident/ComingSoonPage.vue'),
        props: { feature: 'bookings' },
        meta: { titleKey: 'resident.features.bookings.title', requiresAuth: true },
      },
      {
        path: 'repairs',
        name: 'repairs',
        component: () => import('@/pages/resident/ComingSoonPage.vue'),
        props: { feature: 'repairs' },
        meta: { titleKey: 'resident.features.repairs.title', requiresAuth: true },
      },
      {
        path: 'me',
        name: 'me',
        component: () => import('@/pages/resident/MePage.vue'),
        meta: { titleKey: 'resident.me.title', requiresAuth: true },
      },
    ],
  },
  {
    path: '/console',
    component: () => import('@/pages/console/ConsoleLayout.vue'),
    meta: { requiresAuth: true, staffOnly: true },
    children: [
      {
        path: '',
        name: 'console-overview',
        component: () => import('@/pages/console/OverviewPage.vue'),
        meta: {
          titleKey: 'console.nav.overview',
          roles: ['bureau_admin', 'operator', 'school_admin'],
          consoleNav: 'overview',
        },
      },
      {
        path: 'organisations',
        name: 'console-organisations',
        component: () => import('@/pages/console/OrganisationsPage.vue'),
        meta: { titleKey: 'console.nav.organisations', roles: ['bureau_admin'], consoleNav: 'organisations' },
      },
      {
        path: 'venues',
        name: 'console-venues',
        component: () => import('@/pages/console/ConsolePlaceholderPage.vue'),
        meta: { titleKey: 'console.nav.venues', roles: ['operator'], consoleNav: 'venues' },
      },
      {
        path: 'repair-tickets',
        name: 'console-repair-tickets',
        component: () => import('@/pages/console/ConsolePlaceholderPage.vue'),
        meta: { titleKey: 'console.nav.repairTickets', roles: ['operator'], consoleNav: 'repairTickets' },
      },
      {
        path: 'school-opening',
        name: 'console-school-opening',
        component: () => import('@/pages/console/ConsolePlaceholderPage.vue'),
        meta: { titleKey: 'console.nav.schoolOpening', roles: ['school_admin'], consoleNav: 'schoolOpening' },
      },
      {
        path: 'my-tickets',
        name: 'console-my-tickets',
        component: () => import('@/pages/console/ConsolePlaceholderPage.vue'),
        meta: { titleKey: 'console.nav.myTickets', roles: ['technician'], consoleNav: 'myTickets' },
      },
      {
        path: 'forbidden',
        name: 'console-forbidden',
        component: () => import('@/pages/console/ForbiddenPage.vue'),
        meta: { titleKey: 'console.forbidden.title' },
      },
    ],
  },
  {
    path: '/:pathMatch(.*)*',
    name: 'not-found',
    component: () => import('@/pages/NotFoundPage.vue'),
    meta: { titleKey: 'app.notFound' },
  },
];
