import { computed, ref, watchEffect } from 'vue';
import { defineStore } from 'pinia';
import { i18n, setLocale, type AppLocale } from '@/modules/i18n.ts';

const ELDER_MODE_KEY = 'sp.elderMode';

/**
 * Per-device display settings, kept in localStorage: the UI language and the elder-friendly mode
 * (适老化: larger type and high contrast, a class on <html> that the theme reacts to).
 */
export const usePreferencesStore = defineStore('preferences', () => {
  const elderMode = ref(globalThis.localStorage?.getItem(ELDER_MODE_KEY) === '1');
  const locale = computed(() => i18n.global.locale.value);

  watchEffect(() => {
    document.documentElement.classList.toggle('elder', elderMode.value);
  });

  /** Another language's messages are fetched first; the page switches once they are here. */
  function changeLocale(next: AppLocale): Promise<void> {
    return setLocale(next);
  }

  function setElderMode(on: boolean): void {
    elderMode.value = on;
    globalThis.localStorage?.setItem(ELDER_MODE_KEY, on ? '1' : '0');
  }

  return { locale, elderMode: computed(() => elderMode.value), changeLocale, setElderMode };
});
