import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { nextTick } from 'vue';
import type { TicketDetail, TicketMoveBody } from '@sports/contracts';
import type { TicketMove } from '@sports/domain';
import { ApiError } from '@/api/shared/http.ts';
import TicketMoveDialog from '@/components/console/TicketMoveDialog.vue';
import { i18n, setLocale } from '@/modules/i18n.ts';

const ticket = {
  id: '00000000-0000-4000-8000-0000000000a1',
  code: 'ABCD2345',
  state: 'dispatched',
  priority: 'normal',
  assigneeId: 'tech-1',
  photos: [],
  roles: ['dispatcher'],
} as unknown as TicketDetail;

const none = { items: [], loading: false, error: '', load: vi.fn() };
const technicians = { items: [{ id: 'tech-1', name: '维修师傅老张', phone: '139****0004', openTickets: 2 }], loading: false, error: '', load: vi.fn() };

function openDialog(move: TicketMove, submit: (body: TicketMoveBody) => Promise<unknown>, over: Partial<TicketDetail> = {}) {
  const wrapper = mount(TicketMoveDialog, {
    props: {
      open: false,
      move,
      ticket: { ...ticket, ...over },
      technicians,
      transferTargets: none,
      originals: none,
      uploading: false,
      photoError: '',
      submit,
      'onUpdate:open': (open: boolean) => wrapper.setProps({ open }),
    },
    global: { plugins: [i18n] },
    attachTo: document.body,
  });
  return wrapper;
}

async function show(wrapper: ReturnType<typeof openDialog>): Promise<HTMLElement> {
  await wrapper.setProps({ open: true });
  await flushPromises();
  return document.body.querySelector<HTMLElement>('.el-dialog')!;
}

/** The labels of the fields the dialog asks for. */
function labels(dialog: HTMLElement): string[] {
  return [...dialog.querySelectorAll('.el-form-item__label')].map((label) => label.textContent!.trim());
}

async function submitForm(dialog: HTMLElement): Promise<void> {
  dialog.querySelector('form')!.dispatchEvent(new Event('submit'));
  await flushPromises();
  // Element Plus shows a field's error 100 ms after it is set.
  await new Promise((resolve) => setTimeout(resolve, 150));
  await nextTick();
}

beforeEach(() => setLocale('zh-CN'));
afterEach(() => {
  document.body.innerHTML = '';
});

describe('the dialog of a workflow move', () => {
  it('asks to hold for a reason only, and sends nothing without one', async () => {
    const submit = vi.fn(async () => undefined);
    const dialog = await show(openDialog('hold', submit, { state: 'in_progress' }));
    expect(labels(dialog)).toEqual(['原因']);
    await submitForm(dialog);
    expect(submit).not.toHaveBeenCalled();
    expect(dialog.querySelector('.el-form-item__error')?.textContent?.trim()).toBe('请填写原因（至少 2 个字）');
    const reason = dialog.querySelector('textarea')!;
    reason.value = '  等待配件到货  ';
    reason.dispatchEvent(new Event('input'));
    await submitForm(dialog);
    expect(submit).toHaveBeenCalledWith({ move: 'hold', reason: '等待配件到货' });
  });

  it('asks to dispatch for a technician, starting from the one assigned, and puts the server’s refusal on that field', async () => {
    const submit = vi.fn(async () => {
      throw new ApiError({ status: 400, code: 'VALIDATION_FAILED', detail: '提交的内容有误，请检查标出的字段。', fields: { assigneeId: '须为本单位的维修人员' } });
    });
    const dialog = await show(openDialog('dispatch', submit));
    expect(labels(dialog)).toEqual(['维修人员']);
    expect(technicians.load).toHaveBeenCalled();
    await submitForm(dialog);
    expect(submit).toHaveBeenCalledWith({ move: 'dispatch', assigneeId: 'tech-1' });
    expect(dialog.querySelector('.el-form-item__error')?.textContent?.trim()).toBe('须为本单位的维修人员');
    expect(dialog.querySelector('[role="alert"]')?.textContent).toContain('请检查标出的字段。');
  });

  it('does not let a repair be marked fixed before there is an after-photo, and offers the camera', async () => {
    const submit = vi.fn(async () => undefined);
    const dialog = await show(openDialog('resolve', submit, { state: 'in_progress' }));
    expect(dialog.textContent).toContain('请先上传维修后的照片，再点「维修完成」。');
    const camera = dialog.querySelector<HTMLInputElement>('input[type="file"]')!;
    expect(camera.getAttribute('capture')).toBe('environment');
    expect(camera.getAttribute('accept')).toBe('image/*');
    const confirm = [...dialog.querySelectorAll<HTMLButtonElement>('.el-dialog__footer button')].find((b) => b.textContent?.trim() === '维修完成')!;
    expect(confirm.disabled).toBe(true);
  });
});
