import type { StaffRole } from '@sports/contracts';

/** Icons of the console menu, by name, so the router does not pull the icon package into the resident side. */
export type ConsoleIcon =
  | 'overview'
  | 'organisations'
  | 'venues'
  | 'repairTickets'
  | 'assets'
  | 'open311'
  | 'schoolOpening'
  | 'schoolGate'
  | 'schoolStats'
  | 'myTickets'
  | 'checkIn'
  | 'bookings'
  | 'dashboard'
  | 'audit';

declare module 'vue-router' {
  interface RouteMeta {
    /** i18n key of the page title (document title and headings). */
    titleKey?: string;
    /** Sends people who are not signed in to the login page with a `redirect` back here. */
    requiresAuth?: boolean;
    /** Login and register: people already signed in go to their home instead. */
    guestOnly?: boolean;
    /** The console: people without any staff role are sent to the resident home. */
    staffOnly?: boolean;
    /** Staff roles that may open the page; others see 无权限. */
    roles?: readonly StaffRole[];
    /** Shown in the console menu with this icon (to people holding one of `roles`). */
    consoleNav?: ConsoleIcon;
    /** A page under a menu entry (a venue's editor under 场馆): that entry is shown as current. */
    consoleSection?: string;
  }
}
