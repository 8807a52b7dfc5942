import { expect, test } from '@playwright/test';
import type { SetHoursBody, VenueSummary } from '@sports/contracts';
import { addDays, chinaHolidayCalendar, localDate, weekdayOf } from '@sports/domain';
import { recordScripts, screenshot, signIn, TEST_CLOCK, watchForPageErrors } from './support.ts';

test.use({ viewport: { width: 1366, height: 860 } });

const WEEKDAY_NAMES = ['', '周一', '周二', '周三', '周四', '周五', '周六', '周日'] as const;

/**
 * A day of the coming week that follows its weekday's own hours (no public holiday, no make-up
 * workday), so changing that weekday's hours must show on it. Usually the next Tuesday.
 */
function ordinaryDayAhead(): string {
  const today = localDate(new Date(TEST_CLOCK), 'Asia/Shanghai');
  const ahead = [1, 2, 3, 4, 5, 6].map((days) => addDays(today, days));
  const ordinary = ahead.filter((date) => ['workday', 'weekend'].includes(chinaHolidayCalendar.dayInfo(date).type));
  return ordinary.find((date) => weekdayOf(date) === 2) ?? ordinary[0]!;
}

test('the operator moves one opening time of a venue, sees the preview follow, saves, and residents see the new time', async ({ page }) => {
  // "This week" is the server's (TEST_CLOCK); the browser's clock agrees.
  await page.clock.install({ time: new Date(TEST_CLOCK) });
  const problems = watchForPageErrors(page);
  const day = ordinaryDayAhead();
  const weekday = WEEKDAY_NAMES[weekdayOf(day)];

  await signIn(page, '13900000002');
  await expect(page).toHaveURL('/console');
  // From here on the console is loaded afresh, as after a reload, to see which bundles it needs.
  const scripts = recordScripts(page);
  await page.reload();
  const menu = page.getByRole('navigation', { name: '后台菜单' });
  await expect(menu.getByRole('link')).toHaveText(['概览', '场馆', '预约管理', '入场核验', '报修工单', '设施台账', '操作日志']);

  const listed = page.waitForResponse((r) => r.url().includes('/api/v1/venues?') && r.url().includes('managed=true'));
  await menu.getByRole('link', { name: '场馆' }).click();
  const { total } = (await (await listed).json()) as { total: number };
  await expect(page.getByRole('heading', { level: 1, name: '场馆' })).toBeVisible();
  await expect(page.getByText(`共 ${total} 条`)).toBeVisible();
  await expect(page.locator('.venues-table tbody tr')).toHaveCount(10);
  await screenshot(page, 'console-venues');

  const searched = page.waitForResponse((r) => r.url().includes('managed=true') && r.url().includes('q='));
  await page.getByLabel('名称或地址').fill('河南省体育中心');
  await page.getByRole('button', { name: '查询' }).click();
  const found = (await (await searched).json()) as { items: VenueSummary[] };
  const venue = found.items.find((item) => item.name === '河南省体育中心')!;
  await page.locator('.venues-table').getByRole('link', { name: '河南省体育中心' }).click();
  await expect(page).toHaveURL(`/console/venues/${venue.id}`);
  await expect(page.getByRole('heading', { level: 1, name: '河南省体育中心' })).toBeVisible();
  await expect(page.getByLabel('场馆名称')).toHaveValue('河南省体育中心');
  await expect(page.getByRole('combobox', { name: '所属机构' })).toBeDisabled();
  await screenshot(page, 'console-venue-basics');

  await page.getByRole('tab', { name: '开放时间' }).click();
  await expect(page).toHaveURL(/tab=hours/);
  const preview = page.getByRole('region', { name: '未来 7 天预览' });
  const previewDay = preview.locator(`li[data-date="${day}"]`);
  await expect(previewDay).toContainText('06:00–12:00');
  await expect(previewDay).toContainText('15:00–21:30');

  // That weekday's first period now opens at 06:30; the preview follows before anything is saved.
  const dayGroup = page.getByRole('group', { name: weekday, exact: true });
  await dayGroup.getByRole('combobox', { name: `${weekday}第 1 个时段开始时间` }).click();
  await page.getByRole('option', { name: '06:30', exact: true }).click();
  await expect(previewDay).toContainText('06:30–12:00');
  await expect(page.getByText('有未保存的修改')).toBeVisible();
  await screenshot(page, 'console-venue-hours');

  // An overlap is caught at once and the preview waits for it to be fixed.
  await dayGroup.getByRole('combobox', { name: `${weekday}第 1 个时段结束时间` }).click();
  await page.getByRole('option', { name: '16:00', exact: true }).click();
  await expect(dayGroup.getByText('开始时间须早于结束时间，且各时段不能重叠。')).toBeVisible();
  await expect(preview.getByText('请先修正标出的时段，再查看预览。')).toBeVisible();
  await dayGroup.getByRole('combobox', { name: `${weekday}第 1 个时段结束时间` }).click();
  await page.getByRole('option', { name: '12:00', exact: true }).click();
  await expect(previewDay).toContainText('06:30–12:00');

  const saved = page.waitForResponse((r) => r.url().endsWith(`/api/v1/venues/${venue.id}/hours`) && r.request().method() === 'PUT');
  await page.getByRole('button', { name: '保存开放时间' }).click();
  const answer = await saved;
  expect(answer.status()).toBe(200);
  const sent = answer.request().postDataJSON() as SetHoursBody;
  expect(sent.weeklyHours[weekdayOf(day)]).toEqual([
    { start: '06:30', end: '12:00' },
    { start: '15:00', end: '21:30' },
  ]);
  await expect(page.getByText('开放时间已保存')).toBeVisible();
  await expect(page.getByText('有未保存的修改')).toHaveCount(0);
  expect(scripts.filter((s) => s.includes('/vant-')), 'the console loads no Vant').toEqual([]);

  // Residents see the new time on the venue page.
  await page.goto(`/venues/${venue.id}`);
  const hours = page.getByRole('region', { name: '本周开放时间' });
  await expect(hours.locator(`li[data-date="${day}"]`)).toContainText('06:30–12:00');
  await screenshot(page, 'resident-venue-after-console-edit');
  expect(problems).toEqual([]);
});

test('the operator closes a venue for a day, residents see why, and the closure is deleted after confirming', async ({ page }) => {
  await page.clock.install({ time: new Date(TEST_CLOCK) });
  const problems = watchForPageErrors(page);
  const day = addDays(localDate(new Date(TEST_CLOCK), 'Asia/Shanghai'), 3);

  await signIn(page, '13900000002');
  await page.goto('/console/venues');
  await page.getByLabel('名称或地址').fill('郑州航海体育场');
  await page.getByRole('button', { name: '查询' }).click();
  await page.locator('.venues-table').getByRole('link', { name: '郑州航海体育场' }).click();
  await page.getByRole('tab', { name: '开放时间' }).click();

  const panel = page.getByRole('region', { name: '临时闭馆与特殊开放' });
  await panel.getByRole('button', { name: '添加', exact: true }).click();
  await expect(panel.getByText('请选择日期')).toBeVisible();
  await expect(panel.getByText('原因需为 2–200 个字符')).toBeVisible();

  await panel.getByLabel('日期').fill(day);
  await panel.getByLabel('日期').press('Enter');
  await panel.getByLabel('原因').fill('场地草坪养护');
  const added = page.waitForResponse((r) => r.url().endsWith('/exceptions') && r.request().method() === 'POST');
  await panel.getByRole('button', { name: '添加', exact: true }).click();
  expect((await added).status()).toBe(201);
  const row = panel.getByRole('row').filter({ hasText: '场地草坪养护' });
  await expect(row).toContainText(day);
  const previewDay = page.getByRole('region', { name: '未来 7 天预览' }).locator(`li[data-date="${day}"]`);
  await expect(previewDay).toContainText('闭馆');
  await expect(previewDay).toContainText('场地草坪养护');
  await screenshot(page, 'console-venue-closure');

  // The same date again is refused, on the date field.
  await panel.getByLabel('日期').fill(day);
  await panel.getByLabel('日期').press('Enter');
  await panel.getByLabel('原因').fill('重复的安排');
  await panel.getByRole('button', { name: '添加', exact: true }).click();
  await expect(panel.locator('.el-form-item').filter({ hasText: '日期' }).locator('.el-form-item__error')).toBeVisible();

  const url = page.url();
  const venueId = /\/console\/venues\/([0-9a-f-]+)/.exec(url)![1]!;
  await page.goto(`/venues/${venueId}`);
  const residentDay = page.getByRole('region', { name: '本周开放时间' }).locator(`li[data-date="${day}"]`);
  await expect(residentDay).toContainText('闭馆');
  await expect(residentDay).toContainText('场地草坪养护');

  await page.goBack();
  await row.getByRole('button', { name: `删除 ${day} 的安排` }).click();
  const confirm = page.getByRole('dialog', { name: '删除安排' });
  await expect(confirm).toContainText('场地草坪养护');
  const removed = page.waitForResponse((r) => r.request().method() === 'DELETE');
  await confirm.getByRole('button', { name: '删除' }).click();
  expect((await removed).status()).toBe(204);
  await expect(panel.getByText('场地草坪养护')).toHaveCount(0);
  await expect(previewDay).not.toContainText('闭馆');
  expect(problems).toEqual([]);
});

test('the operator takes a court out of service and back', async ({ page }) => {
  await signIn(page, '13900000002');
  await page.goto('/console/venues');
  await page.getByLabel('名称或地址').fill('郑州市体育场');
  await page.getByRole('button', { name: '查询' }).click();
  await page.locator('.venues-table').getByRole('link', { name: '郑州市体育场', exact: true }).click();
  await page.getByRole('tab', { name: '场地' }).click();

  const table = page.getByRole('region', { name: '场地' });
  const firstCourt = table.getByRole('row').nth(1);
  const name = (await firstCourt.locator('td').first().innerText()).trim();
  await firstCourt.getByRole('button', { name: `编辑 ${name}` }).click();
  const dialog = page.getByRole('dialog', { name: `编辑场地「${name}」` });
  await dialog.getByRole('radio', { name: /暂停使用/ }).check({ force: true });
  const saved = page.waitForResponse((r) => r.url().includes('/resources/') && r.request().method() === 'PATCH');
  await dialog.getByRole('button', { name: '保存' }).click();
  expect(((await saved).request().postDataJSON() as { status: string }).status).toBe('out_of_service');
  await expect(table.getByRole('row').filter({ hasText: name })).toContainText('暂停使用');
  await screenshot(page, 'console-venue-resources');

  await table.getByRole('row').filter({ hasText: name }).getByRole('button', { name: `编辑 ${name}` }).click();
  await dialog.getByRole('radio', { name: /^正常/ }).check({ force: true });
  await dialog.getByRole('button', { name: '保存' }).click();
  await expect(table.getByRole('row').filter({ hasText: name })).toContainText('正常');
});

test('the operator uploads a photo, shrunk in the browser, residents see it, and it is deleted after confirming', async ({ page }) => {
  const problems = watchForPageErrors(page);
  // Notes what the app hands to fetch for an upload (Playwright does not expose multipart blobs).
  await page.addInitScript(() => {
    const uploads: { name: string; type: string; size: number; width: number; height: number }[] = [];
    Object.assign(window, { uploads });
    const send = window.fetch.bind(window);
    window.fetch = async (input, init) => {
      const file = init?.body instanceof FormData ? init.body.get('file') : null;
      if (file instanceof File) {
        const image = await createImageBitmap(file);
        uploads.push({ name: file.name, type: file.type, size: file.size, width: image.width, height: image.height });
      }
      return send(input, init);
    };
  });
  await signIn(page, '13900000002');
  await page.goto('/console/venues');
  await page.getByLabel('名称或地址').fill('巩义市体育馆');
  await page.getByRole('button', { name: '查询' }).click();
  await page.locator('.venues-table').getByRole('link', { name: '巩义市体育馆' }).click();
  await page.getByRole('tab', { name: '照片' }).click();
  const panel = page.getByRole('region', { name: '照片' });
  await expect(panel.getByText('还没有照片')).toBeVisible();

  // A 12-megapixel phone photo, as a PNG of several MB.
  const original = Buffer.from(
    await page.evaluate(async () => {
      const canvas = document.createElement('canvas');
      canvas.width = 4000;
      canvas.height = 3000;
      const context = canvas.getContext('2d')!;
      const sky = context.createLinearGradient(0, 0, 0, 3000);
      sky.addColorStop(0, '#7fb2e5');
      sky.addColorStop(1, '#2e7d32');
      context.fillStyle = sky;
      context.fillRect(0, 0, 4000, 3000);
      for (let i = 0; i < 4000; i++) {
        context.fillStyle = `hsl(${(i * 37) % 360} 60% 50%)`;
        context.fillRect((i * 7919) % 4000, (i * 104729) % 3000, 40, 40);
      }
      const blob = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b!), 'image/png'));
      const bytes = new Uint8Array(await blob.arrayBuffer());
      let binary = '';
      for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return btoa(binary);
    }),
    'base64',
  );

  const uploaded = page.waitForResponse((r) => r.url().endsWith('/photos') && r.request().method() === 'POST');
  const chooser = page.waitForEvent('filechooser');
  await panel.getByRole('button', { name: '上传照片' }).click();
  await (await chooser).setFiles({ name: 'court.png', mimeType: 'image/png', buffer: original });
  const answer = await uploaded;
  expect(answer.status()).toBe(201);
  const [sent] = await page.evaluate(() => (window as unknown as { uploads: unknown[] }).uploads);
  expect(sent, 'the photo is shrunk to 1600 px and re-encoded as JPEG before upload').toMatchObject({
    name: 'court.jpg',
    type: 'image/jpeg',
    width: 1600,
    height: 1200,
  });
  expect((sent as { size: number }).size).toBeLessThan(original.length / 3);
  await expect(panel.getByRole('img', { name: '场馆照片 1' })).toBeVisible();
  await screenshot(page, 'console-venue-photos');

  const venueId = /\/console\/venues\/([0-9a-f-]+)/.exec(page.url())![1]!;
  await page.goto(`/venues/${venueId}`);
  await expect(page.getByRole('img', { name: '巩义市体育馆的照片（第 1 张，共 1 张）' })).toBeVisible();
  await page.goBack();

  await panel.getByRole('button', { name: '删除第 1 张照片' }).click();
  const confirm = page.getByRole('dialog', { name: '删除照片' });
  const removed = page.waitForResponse((r) => r.request().method() === 'DELETE');
  await confirm.getByRole('button', { name: '删除' }).click();
  expect((await removed).status()).toBe(204);
  await expect(panel.getByText('还没有照片')).toBeVisible();
  expect(problems).toEqual([]);
});

test('a bureau admin registers a new venue for an operator in the city, checked first, then sets its hours', async ({ page }) => {
  const problems = watchForPageErrors(page);
  const name = `测试羽毛球馆${Date.now().toString(36)}`;
  await signIn(page, '13900000001');
  await page.goto('/console/venues');
  await page.getByRole('button', { name: '新建场馆' }).click();
  await expect(page).toHaveURL('/console/venues/new');
  await expect(page.getByRole('heading', { level: 1, name: '新建场馆' })).toBeVisible();
  await expect(page.getByRole('tab')).toHaveText(['基本信息']);

  let asked = false;
  page.on('request', (r) => {
    if (r.url().endsWith('/api/v1/venues') && r.method() === 'POST') asked = true;
  });
  await page.getByRole('button', { name: '创建场馆' }).click();
  await expect(page.getByText('名称需为 2–80 个字符')).toBeVisible();
  await expect(page.getByText('请选择场馆类型')).toBeVisible();
  await expect(page.getByText('请选择所在区县')).toBeVisible();
  await expect(page.getByText('纬度应在 -90 到 90 之间')).toBeVisible();
  expect(asked).toBe(false);

  await page.getByLabel('场馆名称').fill(name);
  // Element Plus selects open from the keyboard (their placeholder takes the pointer).
  for (const [field, option] of [
    ['场馆类型', '体育馆'],
    ['所属机构', '郑州市全民健身场馆运营有限公司（演示）'],
    ['所在区县', '金水区'],
  ] as const) {
    await page.getByRole('combobox', { name: field }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('option', { name: option, exact: true }).click();
  }
  await page.getByRole('button', { name: '使用区县中心位置' }).click();
  await expect(page.getByLabel('纬度')).not.toHaveValue('');
  await page.locator('label.el-checkbox').filter({ hasText: '羽毛球' }).click();
  await expect(page.getByRole('checkbox', { name: '羽毛球' })).toBeChecked();
  await page.locator('label.el-radio').filter({ hasText: '低收费' }).click();
  await expect(page.getByRole('radio', { name: '低收费' })).toBeChecked();
  await screenshot(page, 'console-venue-create');

  const created = page.waitForResponse((r) => r.url().endsWith('/api/v1/venues') && r.request().method() === 'POST');
  await page.getByRole('button', { name: '创建场馆' }).click();
  const answer = await created;
  expect(answer.status()).toBe(201);
  const { id } = (await answer.json()) as { id: string };
  await expect(page).toHaveURL(`/console/venues/${id}?tab=hours`);
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  // A new venue has no hours yet: every day of the preview is closed.
  await expect(page.getByRole('region', { name: '未来 7 天预览' }).getByText(/^(今日)?闭馆$/)).toHaveCount(7);
  expect(problems).toEqual([]);
});
