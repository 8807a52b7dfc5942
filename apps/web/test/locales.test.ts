import { describe, expect, it } from 'vitest';
import en from '@/locales/en/index.ts';
import { mergeRooms } from '@/locales/merge.ts';
import zhCN from '@/locales/zh-CN/index.ts';
import { i18n, loadLocaleMessages, setLocale } from '@/modules/i18n.ts';

/** Every message's dotted path, sorted. */
function keysOf(messages: object, prefix = ''): string[] {
  return Object.entries(messages)
    .flatMap(([key, value]) => (typeof value === 'object' && value !== null ? keysOf(value, `${prefix}${key}.`) : [`${prefix}${key}`]))
    .sort();
}

const ROOM_FILES = Object.keys(import.meta.glob('../src/locales/*/*.ts'));
const roomsOf = (lang: string) =>
  ROOM_FILES.filter((file) => file.startsWith(`../src/locales/${lang}/`))
    .map((file) => file.slice(`../src/locales/${lang}/`.length))
    .filter((name) => name !== 'index.ts')
    .sort();

describe('the locale files', () => {
  it('give Chinese and English exactly the same keys', () => {
    const zhKeys = keysOf(zhCN);
    expect(zhKeys.length).toBeGreaterThan(1500);
    expect(keysOf(en)).toEqual(zhKeys);
  });

  it('are split into the same rooms for both languages', () => {
    expect(roomsOf('zh-CN')).toEqual(['accounts.ts', 'booking.ts', 'dashboard.ts', 'repairs.ts', 'schools.ts', 'shared.ts', 'venues.ts']);
    expect(roomsOf('en')).toEqual(roomsOf('zh-CN'));
  });

  it('have every English message written out (none empty)', () => {
    const empty = keysOf(en).filter((key) => key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], en) === '');
    expect(empty).toEqual([]);
  });

  it('refuse a message written in two rooms', () => {
    expect(() => mergeRooms({ console: { nav: { home: 'a' } } }, { console: { nav: { home: 'b' } } })).toThrow('console.nav.home');
    expect(mergeRooms({ console: { a: 'a' } }, { console: { b: 'b' } })).toEqual({ console: { a: 'a', b: 'b' } });
  });
});

describe('the active language', () => {
  it('starts with Chinese only and loads English when it is chosen', async () => {
    expect(i18n.global.availableLocales).toEqual(['zh-CN']);
    await setLocale('zh-CN');
    expect(i18n.global.t('auth.showPassword')).toBe('显示密码');
    await setLocale('en');
    expect(i18n.global.locale.value).toBe('en');
    expect(document.documentElement.lang).toBe('en');
    expect(i18n.global.t('auth.showPassword')).toBe('Show password');
    await loadLocaleMessages('en');
    await setLocale('zh-CN');
    expect(i18n.global.t('app.retry')).toBe('重试');
  });

  it('lets the later of two quick choices win', async () => {
    const first = setLocale('en');
    const second = setLocale('zh-CN');
    await Promise.all([first, second]);
    expect(i18n.global.locale.value).toBe('zh-CN');
  });
});
