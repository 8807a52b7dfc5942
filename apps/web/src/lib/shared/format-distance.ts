/**
 * A distance as people say it: `850 m` to the nearest 10 m below a kilometre, `1.2 km` with one
 * decimal below 10 km, `12 km` beyond. The same in both languages (the units are international).
 */
export function formatDistance(meters: number): string {
  if (!Number.isFinite(meters) || meters < 0) return '';
  const tens = Math.round(meters / 10) * 10;
  if (tens < 1000) return `${tens} m`;
  const km = meters / 1000;
  if (km < 9.95) return `${km.toFixed(1)} km`;
  return `${Math.round(km)} km`;
}
