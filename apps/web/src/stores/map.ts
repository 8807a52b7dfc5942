import { computed, shallowRef } from 'vue';
import { defineStore } from 'pinia';
import type { LocationQueryRaw } from 'vue-router';
import type { MapSettings } from '@sports/contracts';
import type { LatLng } from '@sports/domain';
import { fetchMapSettings } from '@/api/venues/map.ts';

export interface MapViewState {
  /** WGS-84, whatever the tiles use. */
  centre: LatLng;
  zoom: number;
}

/** Zhengzhou's city centre at city zoom: where the map opens before anyone moves it. */
export const DEFAULT_MAP_VIEW: MapViewState = { centre: { lat: 34.7466, lng: 113.6254 }, zoom: 12 };

/**
 * The sports map's state that outlives the page: the tile settings (fetched once), where the map was
 * left, the resident's position once they asked to be located, and the search to return to.
 */
export const useMapStore = defineStore('map', () => {
  const settings = shallowRef<MapSettings | null>(null);
  const view = shallowRef<MapViewState>(DEFAULT_MAP_VIEW);
  const userPosition = shallowRef<LatLng | null>(null);
  const lastQuery = shallowRef<LocationQueryRaw>({});
  let loading: Promise<MapSettings> | null = null;

  function loadSettings(): Promise<MapSettings> {
    if (settings.value) return Promise.resolve(settings.value);
    loading ??= fetchMapSettings()
      .then((found) => {
        settings.value = found;
        return found;
      })
      .finally(() => {
        loading = null;
      });
    return loading;
  }

  function rememberView(next: MapViewState): void {
    view.value = next;
  }

  function setUserPosition(position: LatLng): void {
    userPosition.value = position;
  }

  function rememberQuery(query: LocationQueryRaw): void {
    lastQuery.value = query;
  }

  return {
    settings: computed(() => settings.value),
    view: computed(() => view.value),
    userPosition: computed(() => userPosition.value),
    lastQuery: computed(() => lastQuery.value),
    loadSettings,
    rememberView,
    setUserPosition,
    rememberQuery,
  };
});
