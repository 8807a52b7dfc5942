import { computed, shallowRef } from 'vue';
import { defineStore } from 'pinia';

/** Messages the resident side shows once, e.g. why a redirect happened. Keys live under `resident.notices`. */
export type NoticeKey = 'consoleStaffOnly';

export interface Notice {
  key: NoticeKey;
  /** The page the notice belongs to; it goes away when the person moves elsewhere. */
  path: string;
}

export const useNoticeStore = defineStore('notices', () => {
  const notice = shallowRef<Notice | null>(null);

  function flash(key: NoticeKey, path: string): void {
    notice.value = { key, path };
  }

  function dismiss(): void {
    notice.value = null;
  }

  return { current: computed(() => notice.value), flash, dismiss };
});
