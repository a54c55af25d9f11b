import { parseSlotId, slotId, slotStatus } from './slot-fhir.mapper';

describe('pools as FHIR Slots', () => {
  const id = '0b6f3f6e-1c1d-4c8e-9a57-3f1d2b7c9e10';

  it('names a pool by its schedule and pool, and reads that name back', () => {
    expect(slotId(id, 'reserved')).toBe(`${id}-reserved`);
    expect(parseSlotId(slotId(id, 'general'))).toEqual({ scheduleId: id, pool: 'general' });
    expect(parseSlotId(`${id.toUpperCase()}-reserved`)).toEqual({ scheduleId: id, pool: 'reserved' });
    for (const bad of [id, `${id}-waitlist`, `${id}-reserved-x`, 'x-general', `${id}general`])
      expect(parseSlotId(bad)).toBeUndefined();
  });

  it('is free only while a place is left and the pool takes bookings', () => {
    expect(slotStatus({ capacity: 4, booked: 1, available: 3, state: 'open' })).toBe('free');
    expect(slotStatus({ capacity: 4, booked: 4, available: 0, state: 'open' })).toBe('busy');
    expect(slotStatus({ capacity: 4, booked: 4, available: 0, state: 'started' })).toBe('busy');
    expect(slotStatus({ capacity: 4, booked: 0, available: 4, state: 'not-yet-open' })).toBe('busy-unavailable');
    expect(slotStatus({ capacity: 4, booked: 2, available: 2, state: 'started' })).toBe('busy-unavailable');
    // After the release a reserved pool keeps only its booked places; with none it has no place at all.
    expect(slotStatus({ capacity: 0, booked: 0, available: 0, state: 'released' })).toBe('busy-unavailable');
  });
});
