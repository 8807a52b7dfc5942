import type { App } from 'vue';
import { createI18n } from 'vue-i18n';
import zhCN, { type MessageSchema } from '@/locales/zh-CN/index.ts';

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

/**
 * Chinese is the first language and the fallback, bundled with the app; the other languages'
 * messages (`locales/<lang>/`, one file per room) are a chunk of their own, fetched when chosen.
 */
export const i18n = createI18n<[MessageSchema], AppLocale, false>({
  legacy: false,
  locale: 'zh-CN',
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN } as Record<AppLocale, MessageSchema>,
});

const loaders: Record<Exclude<AppLocale, 'zh-CN'>, () => Promise<{ default: MessageSchema }>> = {
  en: () => import('@/locales/en/index.ts'),
};
const loaded = new Set<AppLocale>(['zh-CN']);

/** Makes a language's messages available (a no-op for Chinese and for a language already loaded). */
export async function loadLocaleMessages(locale: AppLocale): Promise<void> {
  if (loaded.has(locale)) return;
  const messages = (await loaders[locale as Exclude<AppLocale, 'zh-CN'>]()).default;
  i18n.global.setLocaleMessage(locale, messages);
  loaded.add(locale);
}

export function currentLocale(): AppLocale {
  return i18n.global.locale.value;
}

let latestChoice = 0;

/**
 * Switches the UI language once its messages are here, remembers the choice and tells the browser
 * (and screen readers) via `<html lang>`. Chinese switches at once; when two choices race, the later wins.
 */
export async function setLocale(locale: AppLocale): Promise<void> {
  const choice = ++latestChoice;
  await loadLocaleMessages(locale);
  if (choice !== latestChoice) return;
  i18n.global.locale.value = locale;
  globalThis.localStorage?.setItem(STORAGE_KEY, locale);
  document.documentElement.lang = locale;
}

/** Installs vue-i18n; the promise settles once the remembered language can be shown (mount after it). */
export function installI18n(app: App): Promise<void> {
  document.documentElement.lang = currentLocale();
  app.use(i18n);
  return setLocale(storedLocale()).catch(() => undefined);
}
