import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import type { UpdateVenueBody, VenueDetail } from '@sports/contracts';
import { ApiError } from '@/api/shared/http.ts';
import VenueForm from '@/components/console/VenueForm.vue';
import { i18n, setLocale } from '@/modules/i18n.ts';
import { json, pathOf, stubFetch } from './fetch-stub.ts';

const OPERATOR = '00000000-0000-4000-8000-000000000002';

const venue: VenueDetail = {
  id: '00000000-0000-4000-8000-0000000000a1',
  name: '郑州市体育馆',
  kind: 'gym',
  organisationId: OPERATOR,
  organisationName: '场馆运营公司',
  cityCode: '410100',
  districtCode: '410102',
  address: '',
  lat: 34.74436,
  lng: 113.61695,
  approximate: true,
  sports: ['basketball'],
  priceLevel: 'free',
  isPublic: true,
  isDemo: false,
  openNow: false,
  thumbUrl: null,
  facilities: [],
  phone: null,
  description: '',
  timeZone: 'Asia/Shanghai',
  holidayRule: 'as_weekend',
  weeklyHours: {},
  exceptions: [],
  resources: [],
  photos: [],
  openingIntervals: [],
  canManage: true,
  updatedAt: '2026-11-23T00:00:00.000Z',
};

let pinia: Pinia;

async function openForm(update: (body: UpdateVenueBody) => Promise<VenueDetail>): Promise<VueWrapper> {
  stubFetch((request) =>
    pathOf(request) === '/api/v1/regions'
      ? json(200, [
          { code: '410100', name: '郑州市', level: 'city', cityCode: '410100', lat: 34.75, lng: 113.61, approximate: true },
          { code: '410102', name: '中原区', level: 'district', cityCode: '410100', lat: 34.75, lng: 113.6, approximate: true },
        ])
      : json(404, {}),
  );
  const form = mount(VenueForm, {
    props: {
      venue,
      owners: [{ id: OPERATOR, name: '场馆运营公司', kind: 'operator', cityCode: '410100', districtCode: null }],
      ownersLoading: false,
      ownersError: '',
      canReassign: false,
      create: vi.fn(),
      update,
    },
    global: { plugins: [pinia, i18n] },
    attachTo: document.body,
  });
  await flushPromises();
  return form;
}

/** Element Plus shows a field's error 100 ms after it is set. */
async function errorOf(form: VueWrapper, label: string): Promise<string> {
  await new Promise((resolve) => setTimeout(resolve, 150));
  await flushPromises();
  const message = field(form, label).find('.el-form-item__error');
  return message.exists() ? message.text() : '';
}

function field(form: VueWrapper, label: string) {
  const item = form.findAll('.el-form-item').find((candidate) => candidate.find('.el-form-item__label').text() === label);
  if (!item) throw new Error(`no field labelled ${label}`);
  return item;
}

async function submit(form: VueWrapper): Promise<void> {
  await form.find('form').trigger('submit');
  await flushPromises();
}

beforeEach(() => {
  pinia = createPinia();
  setActivePinia(pinia);
  setLocale('zh-CN');
});

afterEach(() => {
  vi.unstubAllGlobals();
  document.body.innerHTML = '';
});

describe('the console’s venue form', () => {
  it('sends only what changed, so an operator’s save never touches the owner', async () => {
    const update = vi.fn(async (body: UpdateVenueBody) => ({ ...venue, ...body, updatedAt: '2026-11-23T01:00:00.000Z' }));
    const form = await openForm(update);
    await field(form, '场馆名称').find('input').setValue('郑州市体育馆（北馆）');
    await field(form, '联系电话').find('input').setValue('0371-6000 0000');
    await submit(form);
    expect(update).toHaveBeenCalledTimes(1);
    expect(update).toHaveBeenCalledWith({ name: '郑州市体育馆（北馆）', phone: '0371-6000 0000' });
  });

  it('checks the fields with the API’s rules before sending anything', async () => {
    const update = vi.fn();
    const form = await openForm(update);
    await field(form, '场馆名称').find('input').setValue('馆');
    await field(form, '联系电话').find('input').setValue('call us');
    await submit(form);
    expect(update).not.toHaveBeenCalled();
    expect(await errorOf(form, '场馆名称')).toBe('名称需为 2–80 个字符');
    expect(await errorOf(form, '联系电话')).toBe('电话应为 5–20 位数字，可含 +、- 和空格');
    expect(form.find('[role="alert"]').text()).toContain('请检查标出的字段。');
  });

  it('shows the server’s refusal of a field on that field', async () => {
    const update = vi.fn(async () => {
      throw new ApiError({
        status: 400,
        code: 'VALIDATION_FAILED',
        detail: '提交的内容有误，请检查标出的字段。',
        fields: { name: '不能包含特殊字符' },
      });
    });
    const form = await openForm(update);
    await field(form, '场馆名称').find('input').setValue('郑州市体育馆★');
    await submit(form);
    expect(update).toHaveBeenCalledTimes(1);
    expect(await errorOf(form, '场馆名称')).toBe('不能包含特殊字符');
    expect(await errorOf(form, '联系电话')).toBe('');
    expect(form.find('[role="alert"]').text()).toContain('请检查标出的字段。');
  });

  it('keeps the owner of a venue fixed for anyone but a bureau admin', async () => {
    const form = await openForm(vi.fn());
    expect(field(form, '所属机构').text()).toContain('仅体育局管理员可以更改所属机构。');
    expect(field(form, '所属机构').find('input').attributes('disabled')).toBeDefined();
  });
});
