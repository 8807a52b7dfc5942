import type { App } from 'vue';
import { createI18n } from 'vue-i18n';
import en from '@/locales/en.ts';
import zhCN, { type MessageSchema } from '@/locales/zh-CN.ts';

export const SUPPORTED_LOCALES = ['zh-CN', 'en'] as const;
export type AppLocale = (typeof SUPPORTED_LOCALES)[number];

const STORAGE_KEY = 'sp.locale';

function isAppLocale(value: unknown): value is AppLocale {
  return SUPPORTED_LOCALES.includes(value as AppLocale);
}

function storedLocale(): AppLocale {
  const saved = globalThis.localStorage?.getItem(STORAGE_KEY);
  return isAppLocale(saved) ? saved : 'zh-CN';
}

/** Chinese first, English second; both bundled (they are small) so switching needs no request. */
export const i18n = createI18n<[MessageSchema], AppLocale, false>({
  legacy: false,
  locale: storedLocale(),
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN, en },
});

export function currentLocale(): AppLocale {
  return i18n.global.locale.value;
}

/** Switches the UI language, remembers the choice and tells the browser (and screen readers) via `<html lang>`. */
export function setLocale(locale: AppLocale): void {
  i18n.global.locale.value = locale;
  globalThis.localStorage?.setItem(STORAGE_KEY, locale);
  document.documentElement.lang = locale;
}

export function installI18n(app: App): void {
  document.documentElement.lang = currentLocale();
  app.use(i18n);
}
