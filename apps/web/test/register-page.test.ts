import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { createMemoryHistory, type Router } from 'vue-router';
import { i18n, setLocale } from '@/modules/i18n.ts';
import RegisterPage from '@/pages/auth/RegisterPage.vue';
import { createAppRouter } from '@/router/index.ts';
import { json, pathOf, problem, session, stubFetch, user, type Responder } from './fetch-stub.ts';

let pinia: Pinia;
let router: Router;

async function openRegister(
  register: Responder,
): Promise<{ page: VueWrapper; asked: () => number; sent: () => unknown }> {
  const seen = stubFetch((request) =>
    pathOf(request) === '/api/v1/auth/refresh' ? problem(401, 'REFRESH_TOKEN_INVALID', '请重新登录') : register(request),
  );
  router = createAppRouter(createMemoryHistory());
  await router.push('/register?redirect=/me');
  const page = mount(RegisterPage, { global: { plugins: [pinia, router, i18n] } });
  const registrations = () => seen.filter((r) => pathOf(r) === '/api/v1/auth/register');
  return { page, asked: () => registrations().length, sent: () => registrations().at(-1)?.body };
}

async function fillAndSubmit(page: VueWrapper, values: { phone: string; password: string; displayName: string }) {
  await page.find('input[name="phone"]').setValue(values.phone);
  await page.find('input[name="password"]').setValue(values.password);
  await page.find('input[name="displayName"]').setValue(values.displayName);
  await page.find('form').trigger('submit');
  await flushPromises();
}

function errorOf(page: VueWrapper, field: string): string {
  const row = page.findAll('.van-field').find((cell) => cell.find(`input[name="${field}"]`).exists());
  if (!row) throw new Error(`no field named ${field}`);
  const message = row.find('.van-field__error-message');
  return message.exists() ? message.text() : '';
}

beforeEach(() => {
  pinia = createPinia();
  setActivePinia(pinia);
  setLocale('zh-CN');
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the register page', () => {
  it('checks the fields with the API’s rules before sending anything', async () => {
    const { page, asked } = await openRegister(() => json(201, session('t', user('新居民'))));
    await fillAndSubmit(page, { phone: '12800000000', password: 'short', displayName: '   ' });

    expect(asked()).toBe(0);
    expect(errorOf(page, 'phone')).toBe('请输入 11 位中国大陆手机号');
    expect(errorOf(page, 'password')).toBe('密码需为 8–128 个字符');
    expect(errorOf(page, 'displayName')).toBe('请输入昵称');
    expect(page.find('[role="alert"]').text()).toBe('请检查标出的字段。');
  });

  it('refuses a password too easy to guess before sending, with the reason', async () => {
    const { page, asked } = await openRegister(() => json(201, session('t', user('新居民'))));
    await fillAndSubmit(page, { phone: '13700000009', password: '12345678', displayName: '新居民' });
    expect(errorOf(page, 'password')).toBe('密码太容易被猜到：这是最常见的密码之一');
    await fillAndSubmit(page, { phone: '13700000009', password: 'x13700000009', displayName: '新居民' });
    expect(errorOf(page, 'password')).toBe('密码太容易被猜到：包含手机号');
    expect(asked()).toBe(0);
  });

  it('shows the server’s field errors on the matching fields', async () => {
    const { page } = await openRegister(() =>
      problem(400, 'VALIDATION_FAILED', '提交的内容有误，请检查标出的字段。', {
        errors: [{ field: 'displayName', message: '最多 40 个字符' }],
      }),
    );
    await fillAndSubmit(page, { phone: '13700000001', password: 'a-good-password', displayName: '新居民' });

    expect(errorOf(page, 'displayName')).toBe('最多 40 个字符');
    expect(errorOf(page, 'phone')).toBe('');
    expect(page.find('[role="alert"]').text()).toBe('请检查标出的字段。');
  });

  it('puts “number already registered” on the phone field', async () => {
    const { page } = await openRegister(() => problem(409, 'PHONE_TAKEN', '该手机号已注册，请直接登录。'));
    await fillAndSubmit(page, { phone: '13800000001', password: 'a-good-password', displayName: '重复' });

    expect(errorOf(page, 'phone')).toBe('该手机号已注册，请直接登录。');
    expect(page.find('[role="alert"]').exists()).toBe(false);
  });

  it('signs the new resident in and follows the redirect', async () => {
    const { page, asked, sent } = await openRegister(() => json(201, session('t', user('新居民'))));
    await fillAndSubmit(page, { phone: '13700000002', password: 'a-good-password', displayName: ' 新居民 ' });
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe('/me'));
    expect(asked()).toBe(1);
    expect(sent()).toEqual({ phone: '13700000002', password: 'a-good-password', displayName: '新居民' });
  });

  it('shows the password on request and hides it again, with a named toggle button', async () => {
    const { page } = await openRegister(() => json(201, session('t', user('新居民'))));
    const password = () => page.find('input[name="password"]');
    const toggle = page.find('button[aria-label="显示密码"]');
    expect(password().attributes('type')).toBe('password');
    expect(password().attributes('autocomplete')).toBe('new-password');
    expect(toggle.attributes('type')).toBe('button');
    expect(toggle.attributes('aria-pressed')).toBe('false');
    await toggle.trigger('click');
    expect(password().attributes('type')).toBe('text');
    expect(toggle.attributes('aria-pressed')).toBe('true');
    await toggle.trigger('click');
    expect(password().attributes('type')).toBe('password');
  });
});
