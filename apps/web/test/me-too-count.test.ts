import { afterAll, describe, expect, it } from 'vitest';
import { i18n, setLocale } from '@/modules/i18n.ts';

/** How many others said 我也遇到, as residents read it (pages show it only when there are some). */
const others = (count: number) => i18n.global.t('report.meTooOthers', { count }, count);

describe('the “me too” count', () => {
  afterAll(() => setLocale('zh-CN'));

  it('reads the same for one and for many in Chinese', async () => {
    await setLocale('zh-CN');
    expect(others(1)).toBe('1 人也遇到');
    expect(others(12)).toBe('12 人也遇到');
  });

  it('is singular for one and plural for more in English', async () => {
    await setLocale('en');
    expect(others(1)).toBe('1 other person has this problem');
    expect(others(2)).toBe('2 other people have this problem');
    expect(others(31)).toBe('31 other people have this problem');
  });
});
