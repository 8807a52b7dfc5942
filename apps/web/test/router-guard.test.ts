import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { createMemoryHistory, type Router } from 'vue-router';
import type { Me } from '@sports/contracts';
import { createAppRouter } from '@/router/index.ts';
import { safeRedirect } from '@/router/redirect.ts';
import { SESSION_HINT_KEY, useAuthStore } from '@/stores/auth.ts';
import { useNoticeStore } from '@/stores/notices.ts';
import { json, pathOf, problem, session, stubFetch, user } from './fetch-stub.ts';

/** A fresh app whose refresh cookie belongs to `signedInAs` (or to nobody). */
function appFor(signedInAs: Me | null): Router {
  // The hint a sign-in leaves behind (a signed-out visitor has none, so restore() asks nothing).
  if (signedInAs) localStorage.setItem(SESSION_HINT_KEY, '1');
  else localStorage.removeItem(SESSION_HINT_KEY);
  stubFetch((request) => {
    if (pathOf(request) === '/api/v1/auth/refresh') {
      return signedInAs ? json(200, session('token-1', signedInAs)) : problem(401, 'REFRESH_TOKEN_INVALID', '请重新登录');
    }
    return problem(401, 'TOKEN_EXPIRED', '登录已过期');
  });
  return createAppRouter(createMemoryHistory());
}

async function open(router: Router, path: string) {
  await router.push(path);
  return router.currentRoute.value;
}

beforeEach(() => {
  setActivePinia(createPinia());
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the resident side', () => {
  it('shows the home page to people who are not signed in', async () => {
    const route = await open(appFor(null), '/');
    expect(route.name).toBe('home');
  });

  it('sends a signed-out visitor of 我的 to the login page, with the way back', async () => {
    const route = await open(appFor(null), '/me');
    expect(route.name).toBe('login');
    expect(route.query.redirect).toBe('/me');
  });

  it('opens 我的 for a signed-in resident after a reload', async () => {
    const route = await open(appFor(user('居民')), '/me');
    expect(route.name).toBe('me');
  });

  it('sends people who are already signed in away from the login page to their home', async () => {
    const route = await open(appFor(user('管理员', ['bureau_admin'])), '/login');
    expect(route.fullPath).toBe('/console');
  });
});

describe('the console', () => {
  it('keeps residents out and tells them why on the home page', async () => {
    const route = await open(appFor(user('居民')), '/console/organisations');
    expect(route.name).toBe('home');
    expect(useNoticeStore().current).toEqual({ key: 'consoleStaffOnly', path: '/' });
  });

  it('sends a signed-out visitor to login first', async () => {
    const route = await open(appFor(null), '/console/organisations');
    expect(route.name).toBe('login');
    expect(route.query.redirect).toBe('/console/organisations');
  });

  it('shows 无权限 to a school admin who opens 机构与角色', async () => {
    const route = await open(appFor(user('学校管理员', ['school_admin'])), '/console/organisations');
    expect(route.name).toBe('console-forbidden');
    expect(route.query.from).toBe('/console/organisations');
  });

  it('opens 场馆 to each role that keeps venues, and not to a technician', async () => {
    for (const role of ['bureau_admin', 'operator', 'school_admin'] as const) {
      setActivePinia(createPinia());
      const route = await open(appFor(user('管理员', [role])), '/console/venues/new');
      expect(route.name).toBe('console-venue-new');
    }
    setActivePinia(createPinia());
    const route = await open(appFor(user('维修人员', ['technician'])), '/console/venues');
    expect(route.name).toBe('console-forbidden');
  });

  it('opens 校园开放 to school and bureau admins, the school gate to school admins and the figures to bureau admins', async () => {
    const opens = async (role: 'bureau_admin' | 'school_admin' | 'operator', path: string) => {
      setActivePinia(createPinia());
      return (await open(appFor(user('管理员', [role])), path)).name;
    };
    expect(await opens('school_admin', '/console/school-opening/plans/new')).toBe('console-school-plan-new');
    expect(await opens('bureau_admin', '/console/school-opening')).toBe('console-school-opening');
    expect(await opens('operator', '/console/school-opening')).toBe('console-forbidden');
    expect(await opens('school_admin', '/console/school-gate')).toBe('console-school-gate');
    expect(await opens('bureau_admin', '/console/school-gate')).toBe('console-forbidden');
    expect(await opens('bureau_admin', '/console/school-stats')).toBe('console-school-stats');
    expect(await opens('school_admin', '/console/school-stats')).toBe('console-forbidden');
  });

  it('asks a resident to sign in before the real-name page, not before browsing school sessions', async () => {
    expect((await open(appFor(null), '/me/identity')).name).toBe('login');
    setActivePinia(createPinia());
    expect((await open(appFor(null), '/schools')).name).toBe('schools');
  });

  it('lets a bureau admin open 机构与角色', async () => {
    const route = await open(appFor(user('管理员', ['bureau_admin'])), '/console/organisations');
    expect(route.name).toBe('console-organisations');
  });

  it('leads a technician from the console’s front door to 我的工单', async () => {
    const route = await open(appFor(user('维修人员', ['technician'])), '/console');
    expect(route.name).toBe('console-my-tickets');
  });

  it('sends a person whose session cannot be renewed to login, with the way back', async () => {
    const router = appFor(user('管理员', ['bureau_admin']));
    await open(router, '/console/organisations');

    // The access token is refused and so is the refresh cookie (e.g. signed out on another device).
    stubFetch(() => problem(401, 'REFRESH_TOKEN_INVALID', '请重新登录'));
    await useAuthStore().reloadMe().catch(() => undefined);

    await vi.waitFor(() => expect(router.currentRoute.value.name).toBe('login'));
    expect(router.currentRoute.value.query.redirect).toBe('/console/organisations');
  });
});

describe('the redirect after signing in', () => {
  it('follows paths inside the app and ignores anything that would leave it', () => {
    expect(safeRedirect('/console/organisations?page=2')).toBe('/console/organisations?page=2');
    expect(safeRedirect('/me')).toBe('/me');
    for (const outside of ['https://evil.example', '//evil.example/x', '/\\evil.example', 'me', '/login', '/register?x=1', undefined, ['/me']]) {
      expect(safeRedirect(outside)).toBeNull();
    }
  });
});
