import { afterEach, describe, expect, it, vi } from 'vitest';
import { ref } from 'vue';
import type { Availability, Slot } from '@sports/contracts';
import { formatPrice, idempotencyKeeper, toggleSlot } from '@/lib/booking/booking-rules.ts';
import { useBooking } from '@/composables/booking/useBooking.ts';
import { json, problem, stubFetch } from './fetch-stub.ts';

const free = { status: 'free' } as const;
const booked = { status: 'booked' } as const;

describe('formatPrice', () => {
  it('shows yuan with two decimals and 0 as free', () => {
    expect(formatPrice(5000, '免费')).toBe('¥50.00');
    expect(formatPrice(1205, '免费')).toBe('¥12.05');
    expect(formatPrice(7, '免费')).toBe('¥0.07');
    expect(formatPrice(0, '免费')).toBe('免费');
  });
});

describe('toggleSlot', () => {
  const slots = [free, free, free, booked, free];

  it('selects only free slots', () => {
    expect(toggleSlot(null, 'a', slots, 3, 2)).toEqual({ selection: null, refused: 'notFree' });
    expect(toggleSlot(null, 'a', slots, 0, 2).selection).toEqual({ resourceId: 'a', from: 0, to: 0 });
  });

  it('extends a run on one court up to maxSlots', () => {
    const one = { resourceId: 'a', from: 0, to: 0 };
    expect(toggleSlot(one, 'a', slots, 1, 2).selection).toEqual({ resourceId: 'a', from: 0, to: 1 });
    const two = { resourceId: 'a', from: 0, to: 1 };
    expect(toggleSlot(two, 'a', slots, 2, 2)).toEqual({ selection: two, refused: 'tooMany' });
    expect(toggleSlot(two, 'a', slots, 2, 3).selection).toEqual({ resourceId: 'a', from: 0, to: 2 });
  });

  it('keeps the run contiguous: across a taken slot it starts again', () => {
    const run = { resourceId: 'a', from: 1, to: 2 };
    expect(toggleSlot(run, 'a', slots, 4, 8).selection).toEqual({ resourceId: 'a', from: 4, to: 4 });
  });

  it('another court starts again; tapping an end drops it', () => {
    const run = { resourceId: 'a', from: 0, to: 1 };
    expect(toggleSlot(run, 'b', slots, 2, 2).selection).toEqual({ resourceId: 'b', from: 2, to: 2 });
    expect(toggleSlot(run, 'a', slots, 1, 2).selection).toEqual({ resourceId: 'a', from: 0, to: 0 });
    expect(toggleSlot({ resourceId: 'a', from: 0, to: 0 }, 'a', slots, 0, 2).selection).toBeNull();
  });
});

describe('idempotencyKeeper', () => {
  it('gives the same key for the same request until settled', () => {
    let n = 0;
    const keeper = idempotencyKeeper(() => `key-${++n}-xxxx`);
    const body = { resourceId: 'r', start: 's', end: 'e' };
    expect(keeper.keyFor(body)).toBe('key-1-xxxx');
    expect(keeper.keyFor({ ...body })).toBe('key-1-xxxx');
    expect(keeper.keyFor({ ...body, end: 'f' })).toBe('key-2-xxxx');
    keeper.settle();
    expect(keeper.keyFor(body)).toBe('key-3-xxxx');
  });
});

describe('useBooking submit', () => {
  afterEach(() => vi.unstubAllGlobals());

  const slot = (h: number, status: Slot['status'] = 'free'): Slot => ({
    start: `2026-11-25T${String(h - 8).padStart(2, '0')}:00:00.000Z`,
    end: `2026-11-25T${String(h - 7).padStart(2, '0')}:00:00.000Z`,
    status,
    priceFen: 5000,
  });
  const availability: Availability = {
    venueId: 'v',
    timeZone: 'Asia/Shanghai',
    resources: [
      {
        id: 'r1',
        name: '1号场',
        sport: 'badminton',
        status: 'active',
        settings: { slotMinutes: 60, minSlots: 1, maxSlots: 2, windowDays: 7, releaseTime: '12:00', cancelHours: 2, defaultPriceFen: 5000, bands: [] },
        slots: [slot(19), slot(20)],
      },
    ],
  };

  it('retries a lost answer with the same Idempotency-Key and uses a new one after a refusal', async () => {
    const answers: (() => Response | Promise<Response>)[] = [
      () => json(200, availability),
      () => Promise.reject(new TypeError('network down')),
      () => json(201, { id: 'b1', code: 'ABCD2345' }),
      () => problem(409, 'SLOT_TAKEN', '该时段已被预约'),
    ];
    let call = 0;
    const seen = stubFetch(() => answers[Math.min(call++, answers.length - 1)]!());
    const booking = useBooking(ref('v'), () => new Date('2026-11-25T10:45:00Z'));
    await booking.load();
    expect(booking.dates.value[0]).toBe('2026-11-25');
    booking.choose('r1', 0);
    booking.choose('r1', 1);
    expect(booking.totalFen.value).toBe(10000);

    expect(await booking.submit()).toBeNull();
    expect(await booking.submit()).toMatchObject({ code: 'ABCD2345' });
    const posts = seen.filter((r) => r.method === 'POST');
    expect(posts[0]!.headers['Idempotency-Key']).toMatch(/^[\w.:-]{8,100}$/);
    expect(posts[1]!.headers['Idempotency-Key']).toBe(posts[0]!.headers['Idempotency-Key']);
    expect(posts[0]!.body).toEqual({ resourceId: 'r1', start: '2026-11-25T11:00:00.000Z', end: '2026-11-25T13:00:00.000Z' });

    booking.choose('r1', 0);
    await booking.submit();
    const third = seen.filter((r) => r.method === 'POST')[2]!;
    expect(third.headers['Idempotency-Key']).not.toBe(posts[0]!.headers['Idempotency-Key']);
    expect(booking.refusal.value).toBe('该时段已被预约');
  });
});
