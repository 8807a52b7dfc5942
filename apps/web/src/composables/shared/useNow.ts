import { onBeforeUnmount, onMounted, shallowRef } from 'vue';

/** The current time, moved on every `everyMs` while the component is shown (due times count down with it). */
export function useNow(everyMs = 60_000) {
  const now = shallowRef(new Date());
  let timer: ReturnType<typeof setInterval> | undefined;
  onMounted(() => {
    timer = setInterval(() => (now.value = new Date()), everyMs);
  });
  onBeforeUnmount(() => clearInterval(timer));
  return now;
}
