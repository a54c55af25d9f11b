import { plainToInstance } from 'class-transformer';
import { expandScheduleSeed, ScheduleSeed } from './schedule-seed';

const seed = plainToInstance(ScheduleSeed, {
  institutionId: 'county-hospital',
  utcOffset: '+08:00',
  days: 14,
  templates: [
    {
      key: 'card-am',
      kind: 'clinic-session',
      departmentId: 'cardiology',
      practitionerId: 'county-cardiology',
      weekdays: [1, 2, 3, 4, 5],
      start: '08:00',
      end: '12:00',
      capacity: 30,
    },
    {
      key: 'card-ward',
      kind: 'ward-beds',
      departmentId: 'cardiology',
      weekdays: [1, 2, 3, 4, 5, 6, 7],
      start: '08:00',
      end: '08:00',
      capacity: 12,
      reservedShare: 0.25,
    },
  ],
});

describe('schedule seed', () => {
  // Sunday 22 Nov 2026, 23:30 in Beijing (15:30 UTC): "today" is the 22nd locally.
  const now = new Date('2026-11-22T15:30:00Z');
  const schedules = expandScheduleSeed(seed, now);

  it('publishes two weeks from tomorrow, weekday sessions and daily bed pools', () => {
    expect(schedules.filter((s) => s.kind === 'clinic-session')).toHaveLength(10);
    expect(schedules.filter((s) => s.kind === 'ward-beds')).toHaveLength(14);
    expect(schedules[0]).toMatchObject({
      externalId: 'seed:card-am:2026-11-23',
      startsAt: '2026-11-23T00:00:00.000Z',
      endsAt: '2026-11-23T04:00:00.000Z',
    });
  });

  it('lets a bed pool run to the next morning and keeps the template share', () => {
    const ward = schedules.find((s) => s.externalId === 'seed:card-ward:2026-11-28')!;
    expect(ward).toMatchObject({
      startsAt: '2026-11-28T00:00:00.000Z',
      endsAt: '2026-11-29T00:00:00.000Z',
      reservedShare: 0.25,
    });
  });

  it('gives the same external ids on the same day, so a restart publishes nothing new', () => {
    expect(expandScheduleSeed(seed, new Date('2026-11-22T01:00:00Z')).map((s) => s.externalId)).toEqual(
      schedules.map((s) => s.externalId),
    );
  });
});
