import type { EChartsCoreOption } from 'echarts/core';
import { formatKpiValue, type KpiLocale } from './kpi-format.ts';

/**
 * ECharts options for the dashboard's charts, as plain data (the library itself is loaded by the chart
 * component, only on the dashboard). Shares run 0–1 and are labelled as percentages.
 */

const PRIMARY = '#1a5fb4';
const TARGET = '#c62828';
const AXIS_TEXT = '#43474e';

function percentAxisLabel(value: number): string {
  return `${Math.round(value * 100)}%`;
}

export interface BarChartInput {
  labels: string[];
  values: (number | null)[];
  /** Drawn as a dashed line across the bars, with `targetLabel` on it. */
  target: number | null;
  targetLabel: string;
  seriesName: string;
  locale: KpiLocale;
}

/**
 * The top of a share axis: the next tenth at least 5 points above the highest bar or target, up to
 * 100 % — or, when a share is over 100 % (shown as it is rather than cut off), the next fifth.
 */
export function shareAxisMax(highest: number): number {
  if (highest > 1) return Math.ceil(highest * 5 + 0.25) / 5;
  return Math.min(1, Math.max(0.1, Math.ceil(highest * 10 + 0.5) / 10));
}

/** Shares as vertical bars, the target (if any) as a dashed line; the axis reaches past the target. */
export function shareBarOption(input: BarChartInput): EChartsCoreOption {
  const highest = Math.max(input.target ?? 0, ...input.values.map((value) => value ?? 0));
  return {
    animation: false,
    grid: { left: 48, right: 24, top: 32, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis', valueFormatter: (value: unknown) => formatKpiValue(typeof value === 'number' ? value : null, 'ratio', input.locale) },
    xAxis: {
      type: 'category',
      data: input.labels,
      axisLabel: { color: AXIS_TEXT, interval: 0, rotate: input.labels.length > 6 ? 30 : 0 },
    },
    yAxis: {
      type: 'value',
      min: 0,
      max: shareAxisMax(highest),
      // Past 100 %, steps of 20 % end on the axis's top.
      interval: shareAxisMax(highest) > 1 ? 0.2 : undefined,
      axisLabel: { color: AXIS_TEXT, formatter: percentAxisLabel },
    },
    series: [
      {
        name: input.seriesName,
        type: 'bar',
        barMaxWidth: 36,
        itemStyle: { color: PRIMARY },
        // ECharts leaves a '-' value out (no bar) rather than drawing a zero.
        data: input.values.map((value) => value ?? '-'),
        markLine:
          input.target === null
            ? undefined
            : {
                silent: true,
                symbol: 'none',
                lineStyle: { type: 'dashed', color: TARGET, width: 2 },
                label: { formatter: input.targetLabel, position: 'insideEndTop', color: TARGET, fontWeight: 'bold' },
                data: [{ yAxis: input.target }],
              },
      },
    ],
  };
}

export interface HeatmapInput {
  /** Weekday names, Monday first. */
  weekdays: string[];
  cells: { weekday: number; hour: number; value: number | null }[];
  seriesName: string;
  locale: KpiLocale;
}

/** Utilisation by hour (across) and weekday (down, Monday on top); the scale runs to the busiest cell. */
export function heatmapOption(input: HeatmapInput): EChartsCoreOption {
  const highest = Math.max(0, ...input.cells.map((cell) => cell.value ?? 0));
  const top = Math.max(0.1, Math.ceil(highest * 10) / 10);
  return {
    animation: false,
    grid: { left: 8, right: 16, top: 8, bottom: 56, containLabel: true },
    tooltip: {
      position: 'top',
      formatter: (params: { value: [number, number, number | '-'] }) => {
        const [hour, day, value] = params.value;
        return `${input.weekdays[day] ?? ''} ${hour}:00–${hour + 1}:00 · ${formatKpiValue(value === '-' ? null : value, 'ratio', input.locale)}`;
      },
    },
    xAxis: { type: 'category', data: Array.from({ length: 24 }, (_, hour) => String(hour)), splitArea: { show: true }, axisLabel: { color: AXIS_TEXT } },
    yAxis: { type: 'category', data: input.weekdays, inverse: true, splitArea: { show: true }, axisLabel: { color: AXIS_TEXT } },
    visualMap: {
      min: 0,
      max: top,
      // The scale's ends in words, so its colours can be read.
      text: [percentAxisLabel(top), '0%'],
      calculable: false,
      orient: 'horizontal',
      left: 'center',
      bottom: 0,
      itemHeight: 160,
      textStyle: { color: AXIS_TEXT },
      formatter: (value: number) => percentAxisLabel(value),
      inRange: { color: ['#eef3fa', '#8cafda', PRIMARY, '#0b2f5e'] },
    },
    series: [
      {
        name: input.seriesName,
        type: 'heatmap',
        data: input.cells.map((cell) => [cell.hour, cell.weekday - 1, cell.value ?? '-']),
        emphasis: { itemStyle: { borderColor: '#000', borderWidth: 1 } },
      },
    ],
  };
}
