import type * as fhir4 from 'fhir/r4';
import { COUNTYLINK_SYSTEM, countylinkExtension, UUID_PATTERN } from '@countylink/platform';
import type { PoolAvailability, PoolName, PoolState, ResourceKind } from '../schedules/reserved-pool';
import type { ScheduleView } from '../schedules/schedule.view';

const POOLS: readonly PoolName[] = ['reserved', 'general'];
const SLOT_ID = new RegExp(`^(${UUID_PATTERN})-(reserved|general)$`, 'i');

/** `<scheduleId>-reserved` / `<scheduleId>-general`: stable as long as the schedule exists (45 characters, a valid FHIR id). */
export function slotId(scheduleId: string, pool: PoolName): string {
  return `${scheduleId}-${pool}`;
}

export function parseSlotId(id: string): { scheduleId: string; pool: PoolName } | undefined {
  const match = SLOT_ID.exec(id);
  return match ? { scheduleId: match[1].toLowerCase(), pool: match[2] as PoolName } : undefined;
}

/**
 * A pool's places as one Slot status: `free` while it takes bookings and has a place, `busy` when
 * every place is taken, `busy-unavailable` when it takes no booking now (not open yet, started,
 * reserve released, no places at all). `busy-tentative` is never used: a booking here is final.
 */
export function slotStatus(pool: PoolAvailability & { state: PoolState }): fhir4.Slot['status'] {
  if (pool.available > 0 && pool.state === 'open') return 'free';
  if (pool.available === 0 && pool.booked > 0) return 'busy';
  return 'busy-unavailable';
}

const KIND_TEXT: Record<ResourceKind, string> = {
  'clinic-session': '专家门诊 (specialist clinic session)',
  'ward-beds': '住院床位 (inpatient beds)',
  exam: '预约检查 (exam)',
};

const POOL_TEXT: Record<PoolName, string> = {
  reserved: '预留号源: family-doctor referrals only',
  general: '普通号源: general booking',
};

export function serviceType(s: ScheduleView): fhir4.CodeableConcept {
  const text = s.kind === 'exam' && s.modality ? `${KIND_TEXT.exam} ${s.modality}` : KIND_TEXT[s.kind];
  return { coding: [{ system: `${COUNTYLINK_SYSTEM}:schedule-kind`, code: s.kind }], text };
}

/** Department ids repeat across institutions (general-practice), so the system names the institution. */
export function specialty(s: ScheduleView): fhir4.CodeableConcept {
  return {
    coding: [{ system: `${COUNTYLINK_SYSTEM}:department:${s.institutionId}`, code: s.departmentId }],
    text: `${s.institutionId}/${s.departmentId}`,
  };
}

export function practitioner(id: string): fhir4.Reference {
  return { type: 'Practitioner', identifier: { system: `${COUNTYLINK_SYSTEM}:practitioner`, value: id }, display: id };
}

/** Where the place is: the department (its ward, its exam room) of the providing institution. */
export function location(s: ScheduleView): fhir4.Reference {
  return {
    type: 'Location',
    display:
      s.kind === 'exam' && s.modality
        ? `${s.institutionId}/${s.departmentId} ${s.modality}`
        : `${s.institutionId}/${s.departmentId}`,
  };
}

export const poolExtension = (pool: PoolName): fhir4.Extension => ({
  url: countylinkExtension('slot-pool'),
  valueCode: pool,
});

/** A schedule (clinic session, a day of ward beds, exam slots) as a FHIR R4 Schedule. */
export function toSchedule(s: ScheduleView): fhir4.Schedule {
  const identifier: fhir4.Identifier[] = [{ system: `${COUNTYLINK_SYSTEM}:schedule`, value: s.id }];
  if (s.externalId)
    identifier.push({ system: `${COUNTYLINK_SYSTEM}:schedule-external:${s.institutionId}`, value: s.externalId });
  return {
    resourceType: 'Schedule',
    id: s.id,
    meta: { versionId: String(s.version) },
    identifier,
    active: true,
    serviceType: [serviceType(s)],
    specialty: [specialty(s)],
    actor: s.practitionerId ? [practitioner(s.practitionerId), location(s)] : [location(s)],
    planningHorizon: { start: s.startsAt, end: s.endsAt },
    comment:
      `${s.capacity} places, ${s.pools.reserved.capacity} reserved for family-doctor referrals (share ${s.reservedShare}); ` +
      `reserved pool opens ${s.pools.reserved.opensAt}, general pool ${s.pools.general.opensAt}; unbooked reserve returns to the general pool at ${s.releaseAt}`,
  };
}

/** One pool of a schedule as a FHIR R4 Slot: its places are counted in an extension and in the comment. */
export function toSlot(s: ScheduleView, pool: PoolName): fhir4.Slot {
  const p = s.pools[pool];
  const id = slotId(s.id, pool);
  const places: fhir4.Extension = {
    url: countylinkExtension('slot-places'),
    extension: [
      { url: 'capacity', valueUnsignedInt: p.capacity },
      { url: 'booked', valueUnsignedInt: p.booked },
      { url: 'available', valueUnsignedInt: p.available },
    ],
  };
  return {
    resourceType: 'Slot',
    id,
    meta: { versionId: String(s.version) },
    extension: [poolExtension(pool), places],
    identifier: [{ system: `${COUNTYLINK_SYSTEM}:slot`, value: id }],
    serviceType: [serviceType(s)],
    specialty: [specialty(s)],
    schedule: { reference: `Schedule/${s.id}` },
    status: slotStatus(p),
    start: s.startsAt,
    end: s.endsAt,
    overbooked: false,
    comment: `${POOL_TEXT[pool]}; ${p.available} of ${p.capacity} places left; pool ${p.state} (opens ${p.opensAt})`,
  };
}

export function toSlots(s: ScheduleView): fhir4.Slot[] {
  return POOLS.map((pool) => toSlot(s, pool));
}
