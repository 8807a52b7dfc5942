import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { registerAccount } from '@/api/accounts/auth.ts';
import { ApiError, request } from '@/api/shared/http.ts';
import { listOrganisations, listRoleAssignments } from '@/api/accounts/organisations.ts';
import { setLocale } from '@/modules/i18n.ts';
import { SESSION_HINT_KEY, useAuthStore } from '@/stores/auth.ts';
import { json, pathOf, problem, session, stubFetch, user, type SeenRequest } from './fetch-stub.ts';

const admin = user('郑州市体育局管理员', ['bureau_admin']);

function bearerOf(request: SeenRequest): string | undefined {
  return request.headers.Authorization;
}

async function signedIn(respond: (request: SeenRequest) => Response | Promise<Response>) {
  const seen = stubFetch((request) =>
    pathOf(request) === '/api/v1/auth/login' ? json(200, session('token-1', admin)) : respond(request),
  );
  const auth = useAuthStore();
  await auth.login({ phone: '13900000001', password: 'demo12345' });
  return { auth, seen };
}

beforeEach(() => {
  setActivePinia(createPinia());
  localStorage.clear();
  sessionStorage.clear();
  setLocale('zh-CN');
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('signing in', () => {
  it('keeps the person and their token in memory and sends the token with later requests', async () => {
    const { auth, seen } = await signedIn((request) =>
      pathOf(request) === '/api/v1/me' ? json(200, admin) : json(404, {}),
    );

    expect(auth.isSignedIn).toBe(true);
    expect(auth.user?.displayName).toBe('郑州市体育局管理员');
    expect(auth.isStaff).toBe(true);
    expect(auth.hasRole('bureau_admin')).toBe(true);
    expect(auth.hasRole('operator')).toBe(false);
    expect(auth.homePath).toBe('/console');

    const login = seen[0]!;
    expect(login.method).toBe('POST');
    expect(login.body).toEqual({ phone: '13900000001', password: 'demo12345' });
    expect(login.credentials).toBe('same-origin');
    expect(bearerOf(login)).toBeUndefined();

    await auth.reloadMe();
    const me = seen[1]!;
    expect(pathOf(me)).toBe('/api/v1/me');
    expect(bearerOf(me)).toBe('Bearer token-1');
    expect(me.headers['Accept-Language']).toBe('zh-CN');

    const stored = [...Object.values(localStorage), ...Object.values(sessionStorage)].join('\n');
    expect(stored).not.toContain('token-1');
  });

  it('sends residents home and staff to the console', async () => {
    stubFetch(() => json(200, session('token-r', user('居民'))));
    const auth = useAuthStore();
    await auth.login({ phone: '13800000001', password: 'demo12345' });
    expect(auth.isStaff).toBe(false);
    expect(auth.homePath).toBe('/');
  });

  it('forgets the person on sign-out even when the server cannot be reached', async () => {
    const { auth, seen } = await signedIn(() => {
      throw new TypeError('Failed to fetch');
    });
    await auth.logout();
    expect(pathOf(seen.at(-1)!)).toBe('/api/v1/auth/logout');
    expect(auth.isSignedIn).toBe(false);
    expect(auth.user).toBeNull();
  });
});

describe('an expired access token', () => {
  it('is renewed by exactly one refresh when three requests are refused at once, and each request is repeated', async () => {
    let releaseRefresh!: () => void;
    const refreshHeld = new Promise<void>((resolve) => (releaseRefresh = resolve));
    const { seen } = await signedIn(async (request) => {
      const path = pathOf(request);
      if (path === '/api/v1/auth/refresh') {
        await refreshHeld;
        return json(200, session('token-2', admin));
      }
      if (bearerOf(request) !== 'Bearer token-2') return problem(401, 'TOKEN_EXPIRED', '登录已过期，请重新登录。');
      if (path === '/api/v1/organisations') return json(200, { items: [], page: 1, pageSize: 10, total: 0 });
      if (path.endsWith('/roles')) return json(200, []);
      return json(200, admin);
    });

    const all = Promise.all([
      listOrganisations({ page: 1, pageSize: 10 }),
      listRoleAssignments('00000000-0000-4000-8000-000000000001'),
      request('GET', '/me'),
    ]);
    // Let all three 401s arrive while the refresh is still pending.
    await vi.waitFor(() => expect(seen.filter((r) => r.headers.Authorization === 'Bearer token-1')).toHaveLength(3));
    releaseRefresh();
    const [organisations, roles, me] = await all;

    expect(seen.filter((r) => pathOf(r) === '/api/v1/auth/refresh')).toHaveLength(1);
    expect(organisations.total).toBe(0);
    expect(roles).toEqual([]);
    expect(me).toEqual(admin);
    for (const path of ['/api/v1/organisations', '/api/v1/organisations/00000000-0000-4000-8000-000000000001/roles', '/api/v1/me']) {
      const tries = seen.filter((r) => pathOf(r) === path).map(bearerOf);
      expect(tries).toEqual(['Bearer token-1', 'Bearer token-2']);
    }
  });

  it('signs the person out and reports the session as over when the refresh is refused', async () => {
    const { auth, seen } = await signedIn((request) =>
      pathOf(request) === '/api/v1/auth/refresh'
        ? problem(401, 'REFRESH_TOKEN_REUSED', '检测到登录凭证被重复使用')
        : problem(401, 'TOKEN_EXPIRED', '登录已过期，请重新登录。'),
    );
    const expired = vi.fn();
    auth.onSessionExpired(expired);

    const failure = await auth.reloadMe().catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(ApiError);
    expect((failure as ApiError).status).toBe(401);
    expect(auth.isSignedIn).toBe(false);
    expect(auth.user).toBeNull();
    expect(expired).toHaveBeenCalledTimes(1);
    // One refresh, and the refused request was not repeated.
    expect(seen.filter((r) => pathOf(r) === '/api/v1/auth/refresh')).toHaveLength(1);
    expect(seen.filter((r) => pathOf(r) === '/api/v1/me')).toHaveLength(1);

    await request('GET', '/regions', { auth: false }).catch(() => undefined);
    expect(bearerOf(seen.at(-1)!)).toBeUndefined();
  });
});

describe('restoring the session on reload', () => {
  it('signs in from the refresh cookie with one refresh however often it is asked', async () => {
    localStorage.setItem(SESSION_HINT_KEY, '1');
    const seen = stubFetch(async () => json(200, session('token-9', admin)));
    const auth = useAuthStore();
    await Promise.all([auth.restore(), auth.restore()]);
    await auth.restore();
    expect(seen).toHaveLength(1);
    expect(pathOf(seen[0]!)).toBe('/api/v1/auth/refresh');
    expect(seen[0]!.body).toBeUndefined();
    expect(auth.user?.displayName).toBe('郑州市体育局管理员');
  });

  it('makes no request at all for a visitor who never signed in here', async () => {
    const seen = stubFetch(() => problem(401, 'REFRESH_TOKEN_INVALID', '登录状态已失效，请重新登录。'));
    const auth = useAuthStore();
    await auth.restore();
    expect(seen).toHaveLength(0);
    expect(auth.isSignedIn).toBe(false);
  });

  it('stays signed out without complaint when the hinted session is gone, and forgets the hint', async () => {
    localStorage.setItem(SESSION_HINT_KEY, '1');
    const seen = stubFetch(() => problem(401, 'REFRESH_TOKEN_INVALID', '登录状态已失效，请重新登录。'));
    const auth = useAuthStore();
    const expired = vi.fn();
    auth.onSessionExpired(expired);
    await auth.restore();
    expect(seen).toHaveLength(1);
    expect(auth.isSignedIn).toBe(false);
    expect(expired).not.toHaveBeenCalled();
    expect(localStorage.getItem(SESSION_HINT_KEY)).toBeNull();

    // The next page load asks nothing.
    setActivePinia(createPinia());
    await useAuthStore().restore();
    expect(seen).toHaveLength(1);
  });

  it('keeps the hint when the refresh could not reach the server (the cookie may still be good)', async () => {
    localStorage.setItem(SESSION_HINT_KEY, '1');
    stubFetch(() => {
      throw new TypeError('Failed to fetch');
    });
    const auth = useAuthStore();
    await auth.restore();
    expect(auth.isSignedIn).toBe(false);
    expect(localStorage.getItem(SESSION_HINT_KEY)).toBe('1');
  });

  it('sets the hint at sign-in and register, clears it at sign-out and when renewal is refused; never stores the token', async () => {
    const { auth } = await signedIn(() => new Response(null, { status: 204 }));
    expect(localStorage.getItem(SESSION_HINT_KEY)).toBe('1');
    expect(Object.values(localStorage).join('\n')).not.toContain('token-1');
    await auth.logout();
    expect(localStorage.getItem(SESSION_HINT_KEY)).toBeNull();

    stubFetch(() => json(201, session('token-r', user('居民'))));
    await auth.register({ phone: '13800000009', password: 'demo12345', displayName: '居民' });
    expect(localStorage.getItem(SESSION_HINT_KEY)).toBe('1');

    stubFetch((request) =>
      pathOf(request) === '/api/v1/auth/refresh'
        ? problem(401, 'REFRESH_TOKEN_REUSED', '检测到登录凭证被重复使用')
        : problem(401, 'TOKEN_EXPIRED', '登录已过期，请重新登录。'),
    );
    await auth.reloadMe().catch(() => undefined);
    expect(auth.isSignedIn).toBe(false);
    expect(localStorage.getItem(SESSION_HINT_KEY)).toBeNull();
  });
});

describe('refusals from the API', () => {
  it('turn problem+json into an ApiError whose fields are keyed by field name', async () => {
    const seen = stubFetch(() =>
      problem(400, 'VALIDATION_FAILED', 'Some fields are invalid.', {
        errors: [
          { field: 'phone', message: 'has the wrong format' },
          { field: 'password', message: 'must be at least 8 characters' },
        ],
      }),
    );
    await setLocale('en');

    const error = await registerAccount({ phone: '123', password: 'short', displayName: 'A' }).catch((e: unknown) => e);

    expect(seen[0]!.headers['Accept-Language']).toBe('en');
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
      detail: 'Some fields are invalid.',
      fields: { phone: 'has the wrong format', password: 'must be at least 8 characters' },
    });
  });

  it('keep the server’s message and the Retry-After of a throttled sign-in', async () => {
    stubFetch(() =>
      problem(429, 'LOGIN_THROTTLED', '登录失败次数过多，请 15 分钟后再试。', { headers: { 'retry-after': '900' } }),
    );
    const auth = useAuthStore();
    const error = await auth.login({ phone: '13800000001', password: 'wrong-password' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 429, code: 'LOGIN_THROTTLED', retryAfterSeconds: 900, fields: {} });
    expect((error as ApiError).detail).toBe('登录失败次数过多，请 15 分钟后再试。');
    expect(auth.isSignedIn).toBe(false);
  });

  it('that are not problem+json, or no answer at all, still become an ApiError with a readable message', async () => {
    stubFetch(() => new Response('<html>Bad gateway</html>', { status: 502, headers: { 'content-type': 'text/html' } }));
    await expect(request('GET', '/regions', { auth: false })).rejects.toMatchObject({
      status: 502,
      code: 'HTTP_502',
      detail: '出现意外错误（502），请稍后再试。',
    });

    stubFetch(() => {
      throw new TypeError('Failed to fetch');
    });
    await expect(request('GET', '/regions', { auth: false })).rejects.toMatchObject({
      status: 0,
      code: 'NETWORK_ERROR',
      detail: '网络连接失败，请检查网络后重试。',
    });
  });
});
