import { ref } from 'vue';
import type { LatLng } from '@sports/domain';

export type LocateStatus = 'idle' | 'locating' | 'located' | 'denied' | 'unavailable' | 'unsupported';

/** "Locate me": one position from the browser, and what went wrong when there is none. */
export function useGeolocation() {
  const status = ref<LocateStatus>('idle');

  function locate(): Promise<LatLng | null> {
    const geolocation = globalThis.navigator?.geolocation;
    if (!geolocation) {
      status.value = 'unsupported';
      return Promise.resolve(null);
    }
    status.value = 'locating';
    return new Promise((resolve) => {
      geolocation.getCurrentPosition(
        (position) => {
          status.value = 'located';
          resolve({ lat: position.coords.latitude, lng: position.coords.longitude });
        },
        (failure) => {
          status.value = failure.code === failure.PERMISSION_DENIED ? 'denied' : 'unavailable';
          resolve(null);
        },
        { enableHighAccuracy: false, timeout: 10_000, maximumAge: 60_000 },
      );
    });
  }

  return { status, locate };
}
