import { availability, poolState } from './reserved-pool';
import type { Schedule } from './schedule.entity';

/** A schedule as callers see it: both pools with what is left and whether they take bookings now. */
export function scheduleView(s: Schedule, now = new Date()) {
  const pools = availability(s);
  return {
    id: s.id,
    kind: s.kind,
    institutionId: s.institutionId,
    departmentId: s.departmentId,
    practitionerId: s.practitionerId,
    modality: s.modality,
    startsAt: s.startsAt.toISOString(),
    endsAt: s.endsAt.toISOString(),
    capacity: s.capacity,
    reservedShare: s.reservedShare,
    reservedAtPublication: s.reservedAtPublication,
    pools: {
      reserved: { ...pools.reserved, opensAt: s.reservedOpensAt.toISOString(), state: poolState('reserved', s, now) },
      general: { ...pools.general, opensAt: s.generalOpensAt.toISOString(), state: poolState('general', s, now) },
    },
    releaseAt: s.releaseAt.toISOString(),
    reserveReleased: s.reserveReleased,
    releasedUnused: s.releasedUnused,
    externalId: s.externalId,
    version: s.version,
  };
}

export type ScheduleView = ReturnType<typeof scheduleView>;
