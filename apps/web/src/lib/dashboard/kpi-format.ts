import type { Kpi, KpiReport } from '@sports/contracts';

export type KpiUnit = Kpi['unit'];
export type KpiLocale = 'zh-CN' | 'en';
/** A KPI's figures by key, as districts and venues carry them. */
export type KpiValues = KpiReport['districts'][number]['kpis'];

/** Shown where there is nothing to measure. */
export const NO_VALUE = '—';

/**
 * A figure as people read it: shares as percentages with one decimal, hours to a tenth at most with
 * their unit, counts as whole numbers; thousands separated.
 */
export function formatKpiValue(value: number | null | undefined, unit: KpiUnit, locale: KpiLocale): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return NO_VALUE;
  switch (unit) {
    case 'ratio':
      return `${(Math.round(value * 1000) / 10).toFixed(1)}%`;
    case 'hours': {
      const hours = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(value);
      return locale === 'en' ? `${hours} h` : `${hours} 小时`;
    }
    case 'count':
      return new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(value);
  }
}

/** Where a figure stands against its target (i18n keys under `dashboard.status`). */
export type KpiStatus = 'met' | 'missed' | 'noData' | 'noTarget';

export function kpiStatus(kpi: Pick<Kpi, 'value' | 'target' | 'meetsTarget'>): KpiStatus {
  if (kpi.target === null) return 'noTarget';
  if (kpi.value === null || kpi.meetsTarget === null) return 'noData';
  return kpi.meetsTarget ? 'met' : 'missed';
}

/** Every targeted figure is better higher; a value for a district or venue is checked the same way. */
export function meetsKpiTarget(value: number | null | undefined, target: number | null): boolean | null {
  if (value === null || value === undefined || target === null) return null;
  return value >= target - 1e-9;
}

/** The KPI keys that a set of rows (districts, venues) carries, in the order of the report's KPI list. */
export function kpiColumns(kpis: readonly Kpi[], rows: readonly { kpis: KpiValues }[]): Kpi[] {
  return kpis.filter((kpi) => rows.some((row) => kpi.key in row.kpis));
}

/** A venue's own columns: its count of venues (always 1) says nothing. */
export function venueKpiColumns(kpis: readonly Kpi[], rows: readonly { kpis: KpiValues }[]): Kpi[] {
  return kpiColumns(kpis, rows).filter((kpi) => kpi.key !== 'venues');
}

/** The busiest cell of the heatmap (the chart's text alternative names it). */
export function busiestCell<T extends { value: number | null }>(cells: readonly T[]): T | null {
  let best: T | null = null;
  for (const cell of cells) {
    if (cell.value !== null && (best === null || cell.value > (best.value ?? -1))) best = cell;
  }
  return best;
}

/** The map's colour bands of utilisation: below 30 %, 30–60 %, 60 % and above, or nothing to measure. */
export const UTILISATION_BANDS = ['low', 'mid', 'high', 'none'] as const;
export type UtilisationBand = (typeof UTILISATION_BANDS)[number];
export const UTILISATION_MID = 0.3;
export const UTILISATION_HIGH = 0.6;

export function utilisationBand(value: number | null | undefined): UtilisationBand {
  if (value === null || value === undefined || !Number.isFinite(value)) return 'none';
  if (value >= UTILISATION_HIGH) return 'high';
  return value >= UTILISATION_MID ? 'mid' : 'low';
}
