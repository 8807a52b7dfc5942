import { afterEach, describe, expect, it, vi } from 'vitest';
import { flushPromises } from '@vue/test-utils';
import type { Kpi, KpiReport, RoleScope } from '@sports/contracts';
import { auditDetailLines } from '@/lib/dashboard/audit-format.ts';
import { csvField, csvFileName, toCsv } from '@/lib/shared/csv-export.ts';
import { shareAxisMax, shareBarOption } from '@/lib/dashboard/dashboard-charts.ts';
import { bureauReach, dashboardQuery, dashboardViewFrom } from '@/lib/dashboard/dashboard-scope.ts';
import { districtTable, goodOrderTable, kpiTable, venueTable, type Translate } from '@/lib/dashboard/dashboard-tables.ts';
import { busiestCell, formatKpiValue, kpiStatus, utilisationBand } from '@/lib/dashboard/kpi-format.ts';
import { cityToday, monthPeriod, periodProblem, presetOf, presetPeriod } from '@/lib/dashboard/kpi-period.ts';
import { auditFilterProblems, auditQuery, emptyAuditFilter } from '@/composables/dashboard/useAuditLog.ts';
import { useKpiReport } from '@/composables/dashboard/useKpiReport.ts';
import { json, problem, stubFetch } from './fetch-stub.ts';

afterEach(() => vi.unstubAllGlobals());

describe('CSV export', () => {
  it('starts with the byte-order mark, ends every record with CRLF and puts the Chinese headers first', () => {
    const csv = toCsv({ headers: ['区县', '利用率'], rows: [['金水区', '45.2%'], ['中原区', null]] });
    expect(csv.startsWith('\uFEFF区县,利用率\r\n')).toBe(true);
    expect(csv).toBe('\uFEFF区县,利用率\r\n金水区,45.2%\r\n中原区,\r\n');
  });

  it('quotes a field holding a comma, a quote or a line break, doubling the quotes inside', () => {
    expect(csvField('郑州, 金水')).toBe('"郑州, 金水"');
    expect(csvField('他说"好"')).toBe('"他说""好"""');
    expect(csvField('第一行\n第二行')).toBe('"第一行\n第二行"');
    expect(csvField(' 前后有空格 ')).toBe('" 前后有空格 "');
    expect(csvField('平常文字')).toBe('平常文字');
  });

  it('keeps a spreadsheet from running a name as a formula, but leaves negative numbers alone', () => {
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField(-3)).toBe('-3');
    expect(csvField(Number.NaN)).toBe('');
  });

  it('names files without characters a file system refuses', () => {
    expect(csvFileName('各区县指标', '郑州市', '2026-11-01', '2026-11-25')).toBe('各区县指标-郑州市-2026-11-01-2026-11-25.csv');
    expect(csvFileName('a/b: c', '')).toBe('a-b-c.csv');
  });
});

describe('figures as people read them', () => {
  it('writes shares as percentages, hours with their unit and counts with separators', () => {
    expect(formatKpiValue(0.4523, 'ratio', 'zh-CN')).toBe('45.2%');
    expect(formatKpiValue(1, 'ratio', 'en')).toBe('100.0%');
    expect(formatKpiValue(12.25, 'hours', 'zh-CN')).toBe('12.3 小时');
    expect(formatKpiValue(3, 'hours', 'en')).toBe('3 h');
    expect(formatKpiValue(83634, 'hours', 'zh-CN')).toBe('83,634 小时');
    expect(formatKpiValue(83634, 'count', 'zh-CN')).toBe('83,634');
    expect(formatKpiValue(null, 'ratio', 'zh-CN')).toBe('—');
  });

  it('says whether a target is met, missed, has no data or is not set', () => {
    expect(kpiStatus({ value: 0.96, target: 0.95, meetsTarget: true })).toBe('met');
    expect(kpiStatus({ value: 0.875, target: 0.95, meetsTarget: false })).toBe('missed');
    expect(kpiStatus({ value: null, target: 0.95, meetsTarget: null })).toBe('noData');
    expect(kpiStatus({ value: 3, target: null, meetsTarget: null })).toBe('noTarget');
  });

  it('bands utilisation for the map and finds the busiest hour for the heatmap summary', () => {
    expect([null, 0.1, 0.3, 0.59, 0.6].map(utilisationBand)).toEqual(['none', 'low', 'mid', 'mid', 'high']);
    expect(busiestCell([{ value: null }, { value: 0.2, hour: 9 }, { value: 0.7, hour: 19 }, { value: 0.1 }])).toEqual({ value: 0.7, hour: 19 });
    expect(busiestCell([{ value: null }])).toBeNull();
  });
});

describe('periods', () => {
  const today = '2026-11-25';

  it('本月 and 今年 run up to today, 上月 is the whole previous month', () => {
    expect(presetPeriod('thisMonth', today)).toEqual({ from: '2026-11-01', to: '2026-11-25' });
    expect(presetPeriod('lastMonth', today)).toEqual({ from: '2026-10-01', to: '2026-10-31' });
    expect(presetPeriod('thisYear', today)).toEqual({ from: '2026-01-01', to: '2026-11-25' });
    expect(presetPeriod('lastMonth', '2027-01-15')).toEqual({ from: '2026-12-01', to: '2026-12-31' });
    expect(presetPeriod('lastMonth', '2028-03-01')).toEqual({ from: '2028-02-01', to: '2028-02-29' });
  });

  it('recognises a preset typed by hand', () => {
    expect(presetOf({ from: '2026-10-01', to: '2026-10-31' }, today)).toBe('lastMonth');
    expect(presetOf({ from: '2026-10-02', to: '2026-10-31' }, today)).toBeNull();
  });

  it('makes a month a period, cut at today while under way, and refuses months to come', () => {
    expect(monthPeriod('2026-11', today)).toEqual({ from: '2026-11-01', to: '2026-11-25' });
    expect(monthPeriod('2026-02', today)).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(monthPeriod('2026-12', today)).toBeNull();
    expect(monthPeriod('2026-13', today)).toBeNull();
  });

  it('finds what is wrong with a period typed in', () => {
    expect(periodProblem({ from: '2026-11-01', to: '2026-11-25' })).toBeNull();
    expect(periodProblem({ from: '2026-11-26', to: '2026-11-25' })).toBe('order');
    // At most 366 days, both ends counted, as the API counts them.
    expect(periodProblem({ from: '2025-11-25', to: '2026-11-25' })).toBeNull();
    expect(periodProblem({ from: '2025-11-24', to: '2026-11-25' })).toBe('tooLong');
    expect(periodProblem({ from: '', to: '2026-11-25' })).toBe('invalid');
  });

  it("counts today in the city's time, whatever the browser's zone", () => {
    expect(cityToday(new Date('2026-11-25T16:30:00Z'))).toBe('2026-11-26');
  });
});

function bureau(cityCode: string, districtCode: string | null): RoleScope {
  return { role: 'bureau_admin', organisation: { id: `org-${cityCode}-${districtCode}`, name: '体育局', kind: 'bureau', cityCode, districtCode } } as RoleScope;
}

describe('what a bureau admin may look at', () => {
  const now = new Date('2026-11-25T10:45:00Z');

  it('a city bureau reaches the whole city; district bureaus only their districts', () => {
    expect(bureauReach([bureau('410100', null), bureau('410100', '410105')])).toEqual([{ cityCode: '410100', districts: null }]);
    expect(bureauReach([bureau('410100', '410105'), bureau('410100', '410102'), bureau('150600', null)])).toEqual([
      { cityCode: '410100', districts: ['410105', '410102'] },
      { cityCode: '150600', districts: null },
    ]);
  });

  it('a first visit shows this month of their city; a district admin is kept to their district', () => {
    const city = bureauReach([bureau('410100', null)]);
    expect(dashboardViewFrom({}, city, now)).toEqual({ city: '410100', district: '', from: '2026-11-01', to: '2026-11-25', venue: '' });
    const district = bureauReach([bureau('410100', '410105')]);
    expect(dashboardViewFrom({ district: '410102', venue: 'v1' }, district, now)).toMatchObject({ district: '410105', venue: '' });
    expect(dashboardViewFrom({ city: '150600' }, city, now)?.city).toBe('410100');
    expect(dashboardViewFrom({}, [], now)).toBeNull();
  });

  it('keeps a valid view from the address, and writes it back without empty parts', () => {
    const view = dashboardViewFrom({ city: '410100', district: '410105', from: '2026-10-01', to: '2026-10-31', venue: 'v1' }, bureauReach([bureau('410100', null)]), now)!;
    expect(view).toEqual({ city: '410100', district: '410105', from: '2026-10-01', to: '2026-10-31', venue: 'v1' });
    expect(dashboardQuery({ ...view, district: '', venue: '' })).toEqual({ city: '410100', from: '2026-10-01', to: '2026-10-31' });
  });
});

const t: Translate = (key, named) => (named ? `${key}${JSON.stringify(named)}` : key);

function kpi(key: Kpi['key'], value: number | null, unit: Kpi['unit'], target: number | null = null): Kpi {
  return {
    key,
    label: { zh: `中文${key}`, en: `en ${key}` },
    value,
    unit,
    target,
    targetSource: target === null ? null : { zh: '规划', en: 'the plan' },
    meetsTarget: target === null || value === null ? null : value >= target,
  };
}

const report: KpiReport = {
  city: { code: '410100', name: '郑州市' },
  district: null,
  from: '2026-11-01',
  to: '2026-11-25',
  computedAt: '2026-11-25T10:45:00.000Z',
  kpis: [kpi('venues', 64, 'count'), kpi('utilisation', 0.42, 'ratio'), kpi('good_order_rate', 0.875, 'ratio', 0.95)],
  venuesByKind: [],
  resourcesBySport: [],
  utilisationByKind: [],
  utilisationBySport: [],
  heatmap: [],
  districts: [
    { code: '410105', name: '金水区', kpis: { venues: 6, utilisation: 0.5, good_order_rate: 1 } },
    { code: '410102', name: '中原区', kpis: { venues: 7, utilisation: null, good_order_rate: 0.8 } },
  ],
  venues: [{ id: 'v1', name: '金水体育馆', kind: 'stadium', districtCode: '410105', lat: 34.8, lng: 113.7, kpis: { venues: 1, utilisation: 0.5, good_order_rate: 1 } }],
};

describe('the tables behind the dashboard', () => {
  const context = { t, locale: 'zh-CN' as const };

  it('lists every KPI with its value, target, whether it is met and where the target comes from', () => {
    const table = kpiTable(report, context);
    expect(table.rows.map((row) => row.cells)).toEqual([
      ['中文venues', '64', '—', 'dashboard.status.noTarget', '—'],
      ['中文utilisation', '42.0%', '—', 'dashboard.status.noTarget', '—'],
      ['中文good_order_rate', '87.5%', '≥ 95.0%', 'dashboard.status.missed', '规划'],
    ]);
  });

  it('gives each district its figures, keyed by its code for the drill-down', () => {
    const table = districtTable(report, context);
    expect(table.headers).toEqual(['dashboard.columns.district', '中文venues', '中文utilisation', '中文good_order_rate']);
    expect(table.rows).toEqual([
      { key: '410105', cells: ['金水区', '6', '50.0%', '100.0%'] },
      { key: '410102', cells: ['中原区', '7', '—', '80.0%'] },
    ]);
  });

  it("leaves a venue's own count of venues out of the venues table", () => {
    const table = venueTable(report, context, (code) => (code === '410105' ? '金水区' : '—'));
    expect(table.headers).toEqual(['dashboard.columns.venue', 'dashboard.columns.kind', 'dashboard.columns.district', '中文utilisation', '中文good_order_rate']);
    expect(table.rows[0]).toEqual({ key: 'v1', cells: ['金水体育馆', 'venueKinds.stadium', '金水区', '50.0%', '100.0%'] });
  });

  it('checks each district against the 完好率 target', () => {
    expect(goodOrderTable(report, context).rows.map((row) => row.cells.slice(1))).toEqual([
      ['100.0%', '≥ 95.0%', 'dashboard.status.met'],
      ['80.0%', '≥ 95.0%', 'dashboard.status.missed'],
    ]);
  });

  it('lets a share axis run to 100 %, and past it rather than cut off a bar over 100 %', () => {
    expect(shareAxisMax(0.34)).toBe(0.4);
    expect(shareAxisMax(0.95)).toBe(1);
    expect(shareAxisMax(0)).toBe(0.1);
    expect(shareAxisMax(1.359)).toBe(1.6);
    expect(shareAxisMax(1.56)).toBe(1.8);
  });

  it('draws the target as a dashed line on a share chart, and none without a target', () => {
    const withTarget = shareBarOption({ labels: ['金水区'], values: [0.8], target: 0.95, targetLabel: '目标 95%', seriesName: '完好率', locale: 'zh-CN' }) as {
      series: { markLine?: { data: { yAxis: number }[] }; data: unknown[] }[];
      yAxis: { max: number };
    };
    expect(withTarget.series[0]!.markLine?.data).toEqual([{ yAxis: 0.95 }]);
    expect(withTarget.yAxis.max).toBe(1);
    const without = shareBarOption({ labels: ['a', 'b'], values: [0.2, null], target: null, targetLabel: '', seriesName: '', locale: 'zh-CN' }) as typeof withTarget;
    expect(without.series[0]!.markLine).toBeUndefined();
    expect(without.series[0]!.data).toEqual([0.2, '-']);
  });
});

describe('the audit log', () => {
  const words = { yes: '是', no: '否', none: '—', listSeparator: '、' };

  it('writes an entry’s detail as readable key/value lines', () => {
    const lines = auditDetailLines(
      {
        code: 'R-1',
        changed: { status: { from: 'ok', to: 'out_of_service' } },
        resourceIds: ['a', 'b'],
        public: false,
        reason: null,
        after: { weeklyHours: { 1: [{ start: '08:00', end: '22:00' }] } },
        at: '2026-11-25T10:45:00.000Z',
      },
      words,
    );
    expect(lines).toEqual([
      { key: 'code', value: 'R-1' },
      { key: 'changed.status.from', value: 'ok' },
      { key: 'changed.status.to', value: 'out_of_service' },
      { key: 'resourceIds', value: 'a、b' },
      { key: 'public', value: '否' },
      { key: 'reason', value: '—' },
      { key: 'after.weeklyHours.1', value: '[{"start":"08:00","end":"22:00"}]' },
      { key: 'at', value: expect.stringMatching(/^2026-11-25 \d\d:45$/) },
    ]);
  });

  it('refuses a malformed phone or action and a backwards date range before asking', () => {
    expect(auditFilterProblems({ ...emptyAuditFilter(), phone: '1390000', action: 'Ticket!', from: '2026-11-25', to: '2026-11-01' })).toEqual({
      phone: 'phone',
      action: 'action',
      to: 'order',
    });
    expect(auditFilterProblems({ ...emptyAuditFilter(), phone: '13900000001', action: 'ticket.' })).toEqual({});
  });

  it('sends only the filters that are set', () => {
    expect(auditQuery({ ...emptyAuditFilter(), action: ' ticket. ', page: 2 })).toEqual({ page: 2, pageSize: 20, action: 'ticket.' });
  });
});

describe('loading the figures', () => {
  it('keeps the answer to the latest question when an earlier one arrives late', async () => {
    const answers: Record<string, (value: Response) => void> = {};
    stubFetch(
      (request) =>
        new Promise<Response>((resolve) => {
          answers[new URL(request.path, 'http://x').searchParams.get('to')!] = resolve;
        }),
    );
    const figures = useKpiReport();
    const first = figures.load({ city: '410100', district: '', from: '2026-11-01', to: '2026-11-25' });
    const second = figures.load({ city: '410100', district: '', from: '2026-10-01', to: '2026-10-31' });
    answers['2026-10-31']!(json(200, { ...report, to: '2026-10-31' }));
    await second;
    answers['2026-11-25']!(json(200, report));
    await first;
    expect(figures.report.value?.to).toBe('2026-10-31');
    expect(figures.loading.value).toBe(false);
  });

  it('shows the refusal of a district outside the admin’s bureau and clears the old figures', async () => {
    stubFetch(() => problem(403, 'FORBIDDEN', '您没有权限执行此操作。'));
    const figures = useKpiReport();
    figures.report.value = report;
    await figures.load({ city: '150600', district: '', from: '2026-11-01', to: '2026-11-25' });
    await flushPromises();
    expect(figures.error.value).toBe('您没有权限执行此操作。');
    expect(figures.report.value).toBeNull();
  });
});
