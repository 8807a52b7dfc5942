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

/** Every message as [dotted path, text]. */
function entriesOf(messages: object, prefix = ''): [string, string][] {
  return Object.entries(messages).flatMap(([key, value]) =>
    typeof value === 'object' && value !== null ? entriesOf(value, `${prefix}${key}.`) : [[`${prefix}${key}`, String(value)] as [string, string]],
  );
}

/**
 * CJK characters, and Chinese punctuation (、，。：；！？（）《》「」『』【】〈〉… and the full-width forms).
 * Typographic English punctuation (’ “ ” – — … ·) is not in these ranges.
 */
const CHINESE_TEXT = /[\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]/u;

/**
 * English messages that are meant to hold Chinese, each with the reason. Only proper names belong here.
 * - `locale.zh-CN`: the language switcher names each language in itself (中文), as every switcher does.
 */
const CHINESE_IN_ENGLISH_ALLOWED = new Set(['locale.zh-CN']);

describe('every message of both languages', () => {
  const zhEntries = new Map(entriesOf(zhCN));
  const enEntries = new Map(entriesOf(en));

  it('exists in the other language too', () => {
    expect([...zhEntries.keys()].filter((key) => !enEntries.has(key)), 'keys missing in English').toEqual([]);
    expect([...enEntries.keys()].filter((key) => !zhEntries.has(key)), 'keys missing in Chinese').toEqual([]);
  });

  it('is written out in Chinese (none empty)', () => {
    expect([...zhEntries].filter(([, text]) => text.trim() === '').map(([key]) => key)).toEqual([]);
  });

  it('has no Chinese characters or Chinese punctuation in English, proper names allowed by name', () => {
    const offending = [...enEntries].filter(([key, text]) => CHINESE_TEXT.test(text) && !CHINESE_IN_ENGLISH_ALLOWED.has(key));
    expect(offending.map(([key, text]) => `${key}: ${text}`)).toEqual([]);
    // The allow-list holds only what is still there, so it cannot grow stale.
    for (const key of CHINESE_IN_ENGLISH_ALLOWED) expect(CHINESE_TEXT.test(enEntries.get(key) ?? ''), key).toBe(true);
  });

  it('writes English plurals as vue-i18n forms, never "(s)", each form with the same placeholders', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const [key, text] of enEntries) {
      expect(text, key).not.toMatch(/\w\(s\)/);
      const forms = text.split(' | ');
      if (forms.length > 1) {
        expect(forms.length, key).toBeLessThanOrEqual(3);
        for (const form of forms.slice(1)) expect(placeholders(form), key).toEqual(placeholders(forms.at(-1)!));
      }
    }
  });

  it('never names a slot’s state with the word of its price', () => {
    const states = Object.values(en.booking.states).map((word) => word.toLowerCase());
    expect(states).not.toContain(en.booking.free.toLowerCase());
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

// After "the active language": that one proves English is not loaded until it is chosen.
describe('English plurals and separators, as people read them', () => {
  it('say "1 person", not "1 people", and so on', async () => {
    await setLocale('en');
    const { t } = i18n.global;
    expect(t('resident.venue.capacity', { count: 1 }, 1)).toBe('Up to 1 person');
    expect(t('resident.venue.capacity', { count: 4 }, 4)).toBe('Up to 4 people');
    expect(t('console.schoolGate.partyValue', { count: 1 }, 1)).toBe('1 person');
    expect(t('schools.mine.party', { count: 3 }, 3)).toBe('3 people');
    expect(t('schools.register.partySize', { count: 1 })).toBe('1 person, 1 place');
    expect(t('schools.total', { total: 1 }, 1)).toBe('1 session');
    expect(t('resident.map.total', { total: 0 }, 0)).toBe('0 venues');
    expect(t('console.bookings.conflicts', { count: 1 }, 1)).toBe('1 conflict');
    expect(t('report.done.photosFailed', { count: 1, reason: 'x' })).toBe('1 photo could not be uploaded: x');
    expect(t('report.done.photosFailed', { count: 2, reason: 'x' })).toBe('2 photos could not be uploaded: x');
    expect(t('dashboard.charts.belowTarget', { count: 1, total: 5, target: '50%' }, 1)).toBe('1 of 5 is below the target of 50%.');
    expect(['A', 'B'].join(t('punctuation.listSeparator'))).toBe('A, B');
    expect(t('punctuation.parenthesized', { text: 'pay on site' })).toBe(' (pay on site)');
    await setLocale('zh-CN');
    expect(t('resident.venue.capacity', { count: 1 }, 1)).toBe('可容纳 1 人');
    expect(['甲', '乙'].join(t('punctuation.listSeparator'))).toBe('甲、乙');
  });
});
