import type { Kpi, KpiReport } from '@sports/contracts';
import type { CsvTable } from '@/lib/shared/csv-export.ts';
import { formatKpiValue, kpiColumns, kpiStatus, meetsKpiTarget, venueKpiColumns, type KpiLocale, type KpiValues } from './kpi-format.ts';

/** The page's translator (vue-i18n's `t`). */
export type Translate = (key: string, named?: Record<string, unknown>) => string;

/** A row with the key the page acts on (a district's code, a venue's id) and its cells as shown. */
export interface DataRow {
  key: string;
  cells: string[];
}

/**
 * One table of the dashboard or the monthly report: what the page shows, what a chart's text
 * alternative reads out and what the CSV export writes are the same cells.
 */
export interface DataTable {
  caption: string;
  headers: string[];
  rows: DataRow[];
  /** Columns holding figures (right-aligned). */
  numeric: boolean[];
}

export function csvOf(table: DataTable): CsvTable {
  return { headers: table.headers, rows: table.rows.map((row) => row.cells) };
}

export interface TableContext {
  t: Translate;
  locale: KpiLocale;
}

export function kpiLabel(kpi: Pick<Kpi, 'label'>, locale: KpiLocale): string {
  return locale === 'en' ? kpi.label.en : kpi.label.zh;
}

/** The target as a sentence part: `≥ 95.0%`, or — without one. */
export function targetText(kpi: Pick<Kpi, 'target' | 'unit'>, locale: KpiLocale): string {
  return kpi.target === null ? '—' : `≥ ${formatKpiValue(kpi.target, kpi.unit, locale)}`;
}

/** Every KPI with its value, target, whether it is met and where the target comes from. */
export function kpiTable(report: KpiReport, { t, locale }: TableContext): DataTable {
  return {
    caption: t('dashboard.tables.kpis'),
    headers: [t('dashboard.columns.kpi'), t('dashboard.columns.value'), t('dashboard.columns.target'), t('dashboard.columns.status'), t('dashboard.columns.targetSource')],
    numeric: [false, true, true, false, false],
    rows: report.kpis.map((kpi) => ({
      key: kpi.key,
      cells: [
        kpiLabel(kpi, locale),
        formatKpiValue(kpi.value, kpi.unit, locale),
        targetText(kpi, locale),
        t(`dashboard.status.${kpiStatus(kpi)}`),
        kpi.targetSource ? (locale === 'en' ? kpi.targetSource.en : kpi.targetSource.zh) : '—',
      ],
    })),
  };
}

function figureCells(columns: readonly Kpi[], values: KpiValues, locale: KpiLocale): string[] {
  return columns.map((kpi) => formatKpiValue(values[kpi.key], kpi.unit, locale));
}

/** The districts with their own figures (the drill-down's first level). */
export function districtTable(report: KpiReport, { t, locale }: TableContext): DataTable {
  const columns = kpiColumns(report.kpis, report.districts);
  return {
    caption: t('dashboard.tables.districts', { city: report.city.name }),
    headers: [t('dashboard.columns.district'), ...columns.map((kpi) => kpiLabel(kpi, locale))],
    numeric: [false, ...columns.map(() => true)],
    rows: report.districts.map((district) => ({ key: district.code, cells: [district.name, ...figureCells(columns, district.kpis, locale)] })),
  };
}

/** The venues of the chosen area with their own figures (the drill-down's second level). */
export function venueTable(report: KpiReport, { t, locale }: TableContext, districtName: (code: string | null) => string): DataTable {
  const columns = venueKpiColumns(report.kpis, report.venues);
  return {
    caption: t('dashboard.tables.venues', { area: report.district?.name ?? report.city.name }),
    headers: [t('dashboard.columns.venue'), t('dashboard.columns.kind'), t('dashboard.columns.district'), ...columns.map((kpi) => kpiLabel(kpi, locale))],
    numeric: [false, false, false, ...columns.map(() => true)],
    rows: report.venues.map((venue) => ({
      key: venue.id,
      cells: [venue.name, t(`venueKinds.${venue.kind}`), districtName(venue.districtCode), ...figureCells(columns, venue.kpis, locale)],
    })),
  };
}

type UtilisationRow = { bookedHours: number; openHours: number; value: number | null };

function hoursText(hours: number, locale: KpiLocale): string {
  return formatKpiValue(hours, 'hours', locale);
}

function utilisationTable(caption: string, firstHeader: string, rows: { key: string; label: string; cell: UtilisationRow }[], { t, locale }: TableContext): DataTable {
  return {
    caption,
    headers: [firstHeader, t('dashboard.columns.bookedHours'), t('dashboard.columns.openHours'), t('dashboard.columns.utilisation')],
    numeric: [false, true, true, true],
    rows: rows.map(({ key, label, cell }) => ({
      key,
      cells: [label, hoursText(cell.bookedHours, locale), hoursText(cell.openHours, locale), formatKpiValue(cell.value, 'ratio', locale)],
    })),
  };
}

export function utilisationByKindTable(report: KpiReport, context: TableContext): DataTable {
  const { t } = context;
  return utilisationTable(
    t('dashboard.charts.byKind'),
    t('dashboard.columns.kind'),
    report.utilisationByKind.map((cell) => ({ key: cell.kind, label: t(`venueKinds.${cell.kind}`), cell })),
    context,
  );
}

export function utilisationBySportTable(report: KpiReport, context: TableContext): DataTable {
  const { t } = context;
  return utilisationTable(
    t('dashboard.charts.bySport'),
    t('dashboard.columns.sport'),
    report.utilisationBySport.map((cell) => ({ key: cell.sport, label: t(`sports.${cell.sport}`), cell })),
    context,
  );
}

export const HOURS = Array.from({ length: 24 }, (_, hour) => hour);
export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;

/** Utilisation by weekday (rows) and hour of the day (columns). */
export function heatmapTable(report: KpiReport, { t, locale }: TableContext): DataTable {
  const cell = (weekday: number, hour: number) => report.heatmap.find((c) => c.weekday === weekday && c.hour === hour);
  return {
    caption: t('dashboard.charts.heatmap'),
    headers: [t('dashboard.columns.weekday'), ...HOURS.map((hour) => t('dashboard.columns.hour', { hour }))],
    numeric: [false, ...HOURS.map(() => true)],
    rows: WEEKDAYS.map((weekday) => ({
      key: String(weekday),
      cells: [t(`weekdays.${weekday}`), ...HOURS.map((hour) => formatKpiValue(cell(weekday, hour)?.value, 'ratio', locale))],
    })),
  };
}

/** 设施完好率 per district against its target. */
export function goodOrderTable(report: KpiReport, { t, locale }: TableContext): DataTable {
  const target = report.kpis.find((kpi) => kpi.key === 'good_order_rate')?.target ?? null;
  return {
    caption: t('dashboard.charts.goodOrder'),
    headers: [t('dashboard.columns.district'), t('dashboard.columns.goodOrder'), t('dashboard.columns.target'), t('dashboard.columns.status')],
    numeric: [false, true, true, false],
    rows: report.districts.map((district) => {
      const value = district.kpis.good_order_rate ?? null;
      const status = kpiStatus({ value, target, meetsTarget: meetsKpiTarget(value, target) });
      return {
        key: district.code,
        cells: [district.name, formatKpiValue(value, 'ratio', locale), target === null ? '—' : `≥ ${formatKpiValue(target, 'ratio', locale)}`, t(`dashboard.status.${status}`)],
      };
    }),
  };
}

/** How many venues and courts of each kind (the monthly report's inventory). */
export function inventoryByKindTable(report: KpiReport, { t }: TableContext): DataTable {
  return {
    caption: t('dashboard.tables.venuesByKind'),
    headers: [t('dashboard.columns.kind'), t('dashboard.columns.venues'), t('dashboard.columns.resources')],
    numeric: [false, true, true],
    rows: report.venuesByKind.map((row) => ({ key: row.kind, cells: [t(`venueKinds.${row.kind}`), String(row.venues), String(row.resources)] })),
  };
}

export function inventoryBySportTable(report: KpiReport, { t }: TableContext): DataTable {
  return {
    caption: t('dashboard.tables.resourcesBySport'),
    headers: [t('dashboard.columns.sport'), t('dashboard.columns.resources')],
    numeric: [false, true],
    rows: report.resourcesBySport.map((row) => ({ key: row.sport, cells: [t(`sports.${row.sport}`), String(row.resources)] })),
  };
}
