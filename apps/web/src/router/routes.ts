import type { RouteRecordRaw } from 'vue-router';
import type { StaffRole } from '@sports/contracts';

/** Who keeps the venue registry: a bureau for its area, an operator or a school for its own. */
const VENUE_MANAGERS: readonly StaffRole[] = ['bureau_admin', 'operator', 'school_admin'];
/** Who plans school-field opening: the school, or a bureau for the schools in its area. */
const SCHOOL_PLANNERS: readonly StaffRole[] = ['school_admin', 'bureau_admin'];
/** Who dispatches repair tickets: the owner's operator or school, or a bureau (its own, and any it steps in on). */
const TICKET_DISPATCHERS: readonly StaffRole[] = ['operator', 'school_admin', 'bureau_admin'];

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
        // The only page that loads Leaflet (and only once the map view is shown).
        component: () => import('@/pages/resident/MapPage.vue'),
        meta: { titleKey: 'resident.features.map.title' },
      },
      {
        path: 'venues/:id',
        name: 'venue',
        component: () => import('@/pages/resident/VenuePage.vue'),
        meta: { titleKey: 'resident.venue.title' },
      },
      {
        path: 'venues/:id/book',
        name: 'venue-book',
        component: () => import('@/pages/resident/BookPage.vue'),
        meta: { titleKey: 'booking.title', requiresAuth: true },
      },
      {
        path: 'venues/:id/repair',
        name: 'venue-repair',
        component: () => import('@/pages/resident/VenueRepairPage.vue'),
        meta: { titleKey: 'report.venueTitle' },
      },
      {
        // What a QR label on a piece of equipment opens; reporting needs no account.
        path: 'r/:code',
        name: 'repair-code',
        component: () => import('@/pages/resident/AssetReportPage.vue'),
        meta: { titleKey: 'report.title' },
      },
      {
        // 在此报修 on the map: `?lat=&lng=` (WGS-84).
        path: 'map/repair',
        name: 'map-repair',
        component: () => import('@/pages/resident/PointRepairPage.vue'),
        meta: { titleKey: 'report.point.title' },
      },
      {
        path: 'schools',
        name: 'schools',
        component: () => import('@/pages/resident/SchoolsPage.vue'),
        meta: { titleKey: 'schools.title' },
      },
      {
        path: 'schools/sessions/:id',
        name: 'school-session',
        component: () => import('@/pages/resident/SchoolSessionPage.vue'),
        meta: { titleKey: 'schools.session.title' },
      },
      {
        path: 'bookings',
        name: 'bookings',
        component: () => import('@/pages/resident/MyBookingsPage.vue'),
        meta: { titleKey: 'myBookings.title', requiresAuth: true },
      },
      {
        path: 'repairs',
        name: 'repairs',
        component: () => import('@/pages/resident/MyRepairsPage.vue'),
        meta: { titleKey: 'myRepairs.title', requiresAuth: true },
      },
      {
        // Anyone with the link may follow a ticket's progress (an anonymous reporter keeps its code).
        path: 'repairs/:id',
        name: 'repair',
        component: () => import('@/pages/resident/RepairTicketPage.vue'),
        meta: { titleKey: 'report.ticket.title' },
      },
      {
        path: 'me',
        name: 'me',
        component: () => import('@/pages/resident/MePage.vue'),
        meta: { titleKey: 'resident.me.title', requiresAuth: true },
      },
      {
        path: 'me/identity',
        name: 'identity',
        component: () => import('@/pages/resident/IdentityPage.vue'),
        meta: { titleKey: 'identity.title', requiresAuth: true },
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
        // The bureau's figures against the plans' targets (issue 7); ECharts and Leaflet load only here.
        path: 'dashboard',
        name: 'console-dashboard',
        component: () => import('@/pages/console/DashboardPage.vue'),
        meta: { titleKey: 'console.nav.dashboard', roles: ['bureau_admin'], consoleNav: 'dashboard' },
      },
      {
        // One month's figures and tables, laid out for A4 (?city=&district=&month=YYYY-MM).
        path: 'dashboard/report',
        name: 'console-monthly-report',
        component: () => import('@/pages/console/MonthlyReportPage.vue'),
        meta: { titleKey: 'monthlyReport.title', roles: ['bureau_admin'], consoleSection: 'console-dashboard' },
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
        component: () => import('@/pages/console/VenuesPage.vue'),
        meta: { titleKey: 'console.nav.venues', roles: VENUE_MANAGERS, consoleNav: 'venues' },
      },
      {
        path: 'venues/new',
        name: 'console-venue-new',
        component: () => import('@/pages/console/VenueEditorPage.vue'),
        meta: { titleKey: 'console.venueEditor.newTitle', roles: VENUE_MANAGERS, consoleSection: 'console-venues' },
      },
      {
        path: 'venues/:id',
        name: 'console-venue',
        component: () => import('@/pages/console/VenueEditorPage.vue'),
        meta: { titleKey: 'console.nav.venues', roles: VENUE_MANAGERS, consoleSection: 'console-venues' },
      },
      {
        path: 'bookings',
        name: 'console-bookings',
        component: () => import('@/pages/console/BookingsPage.vue'),
        meta: { titleKey: 'console.nav.bookings', roles: VENUE_MANAGERS, consoleNav: 'bookings' },
      },
      {
        // The gate on a phone: scan the entry QR code or type the short code.
        path: 'check-in',
        name: 'console-check-in',
        component: () => import('@/pages/console/CheckInPage.vue'),
        meta: { titleKey: 'console.nav.checkIn', roles: VENUE_MANAGERS, consoleNav: 'checkIn' },
      },
      {
        // Overdue first; the organisation's repair promise (SLA) below the queue.
        path: 'repair-tickets',
        name: 'console-repair-tickets',
        component: () => import('@/pages/console/RepairTicketsPage.vue'),
        meta: { titleKey: 'console.nav.repairTickets', roles: TICKET_DISPATCHERS, consoleNav: 'repairTickets' },
      },
      {
        // Also the technician's full view of a ticket assigned to them.
        path: 'repair-tickets/:id',
        name: 'console-repair-ticket',
        component: () => import('@/pages/console/RepairTicketPage.vue'),
        meta: { titleKey: 'tickets.detail.loadingTitle', roles: [...TICKET_DISPATCHERS, 'technician'], consoleSection: 'console-repair-tickets' },
      },
      {
        path: 'assets',
        name: 'console-assets',
        component: () => import('@/pages/console/AssetsPage.vue'),
        meta: { titleKey: 'console.nav.assets', roles: VENUE_MANAGERS, consoleNav: 'assets' },
      },
      {
        path: 'school-opening',
        name: 'console-school-opening',
        component: () => import('@/pages/console/SchoolOpeningPage.vue'),
        meta: { titleKey: 'console.nav.schoolOpening', roles: SCHOOL_PLANNERS, consoleNav: 'schoolOpening' },
      },
      {
        path: 'school-opening/plans/new',
        name: 'console-school-plan-new',
        component: () => import('@/pages/console/SchoolPlanEditorPage.vue'),
        meta: { titleKey: 'console.schools.editor.newTitle', roles: SCHOOL_PLANNERS, consoleSection: 'console-school-opening' },
      },
      {
        path: 'school-opening/plans/:id',
        name: 'console-school-plan',
        component: () => import('@/pages/console/SchoolPlanEditorPage.vue'),
        meta: { titleKey: 'console.nav.schoolOpening', roles: SCHOOL_PLANNERS, consoleSection: 'console-school-opening' },
      },
      {
        // The school gate on a phone: scan the entry QR code or type the code, in or out.
        path: 'school-gate',
        name: 'console-school-gate',
        component: () => import('@/pages/console/SchoolGatePage.vue'),
        meta: { titleKey: 'console.nav.schoolGate', roles: ['school_admin'], consoleNav: 'schoolGate' },
      },
      {
        path: 'school-stats',
        name: 'console-school-stats',
        component: () => import('@/pages/console/SchoolStatsPage.vue'),
        meta: { titleKey: 'console.nav.schoolStats', roles: ['bureau_admin'], consoleNav: 'schoolStats' },
      },
      {
        path: 'open311',
        name: 'console-open311',
        component: () => import('@/pages/console/Open311Page.vue'),
        meta: { titleKey: 'console.nav.open311', roles: ['bureau_admin'], consoleNav: 'open311' },
      },
      {
        path: 'audit',
        name: 'console-audit',
        component: () => import('@/pages/console/AuditPage.vue'),
        meta: { titleKey: 'console.nav.audit', roles: ['bureau_admin', 'operator', 'school_admin'], consoleNav: 'audit' },
      },
      {
        // The technician on a phone: assigned tickets, start, hold, the after-photo from the camera, resolve.
        path: 'my-tickets',
        name: 'console-my-tickets',
        component: () => import('@/pages/console/MyTicketsPage.vue'),
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
