import {
  availability,
  basisPoints,
  bookingWindows,
  meetsFloor,
  poolState,
  release,
  reservedCount,
} from './reserved-pool';

describe('reserved pool arithmetic', () => {
  it('reserves ceil(capacity × share), without float error', () => {
    expect(reservedCount(100, 0.2)).toBe(20);
    expect(reservedCount(30, 0.2)).toBe(6);
    expect(reservedCount(7, 0.2)).toBe(2);
    expect(reservedCount(100, 0.07)).toBe(7);
    expect(reservedCount(3, 0.3333)).toBe(1);
    expect(reservedCount(1, 0.2)).toBe(1);
    expect(reservedCount(10, 1)).toBe(10);
    expect(basisPoints(0.29)).toBe(2900);
  });

  it('refuses a share below the floor or above one', () => {
    expect(meetsFloor(0.2, 0.2)).toBe(true);
    expect(meetsFloor(0.25, 0.2)).toBe(true);
    expect(meetsFloor(0.1999, 0.2)).toBe(false);
    expect(meetsFloor(0.25, 0.3)).toBe(false);
    expect(meetsFloor(1.01, 0.2)).toBe(false);
  });

  it('opens reserved places earlier than general ones and releases at the lead time', () => {
    const startsAt = new Date('2026-12-10T00:00:00Z');
    const w = bookingWindows(startsAt, { generalOpensDays: 7, reservedEarlierDays: 7, releaseLeadMinutes: 1440 });
    expect(w.generalOpensAt.toISOString()).toBe('2026-12-03T00:00:00.000Z');
    expect(w.reservedOpensAt.toISOString()).toBe('2026-11-26T00:00:00.000Z');
    expect(w.releaseAt.toISOString()).toBe('2026-12-09T00:00:00.000Z');
    const s = { startsAt, ...w, reserveReleased: false };
    const day1 = new Date('2026-11-27T00:00:00Z');
    expect(poolState('reserved', s, day1)).toBe('open');
    expect(poolState('general', s, day1)).toBe('not-yet-open');
    expect(poolState('general', s, new Date('2026-12-05T00:00:00Z'))).toBe('open');
    expect(poolState('reserved', { ...s, reserveReleased: true }, day1)).toBe('released');
    expect(poolState('general', s, startsAt)).toBe('started');
  });

  it('counts what is left and moves only unbooked reserve at release', () => {
    const counts = { capacity: 100, reservedCapacity: 20, reservedBooked: 12, generalBooked: 80 };
    expect(availability(counts)).toEqual({
      reserved: { capacity: 20, booked: 12, available: 8 },
      general: { capacity: 80, booked: 80, available: 0 },
    });
    expect(release(counts)).toEqual({ reservedCapacity: 12, released: 8 });
    const after = { ...counts, reservedCapacity: 12 };
    expect(availability(after).general).toEqual({ capacity: 88, booked: 80, available: 8 });
  });
});
