/**
 * Pool arithmetic of a schedule, free of any framework: how many places are reserved for
 * family-doctor referrals, when each pool opens, what a release moves, what is left to book.
 */
export type ResourceKind = 'clinic-session' | 'ward-beds' | 'exam';
export const RESOURCE_KINDS: readonly ResourceKind[] = ['clinic-session', 'ward-beds', 'exam'];
export type PoolName = 'reserved' | 'general';

const BASIS = 10_000;

/** Shares are kept to four decimals; integer basis points keep ceil() free of float error (0.07 × 100). */
export function basisPoints(share: number): number {
  return Math.round(share * BASIS);
}

/** reserved = ceil(capacity × share). */
export function reservedCount(capacity: number, share: number): number {
  return Math.floor((capacity * basisPoints(share) + BASIS - 1) / BASIS);
}

export function meetsFloor(share: number, floor: number): boolean {
  return basisPoints(share) >= basisPoints(floor) && basisPoints(share) <= BASIS;
}

export interface BookingPolicy {
  generalOpensDays: number;
  reservedEarlierDays: number;
  releaseLeadMinutes: number;
}

export interface BookingWindows {
  reservedOpensAt: Date;
  generalOpensAt: Date;
  /** Reserved places still free at this moment go back to the general pool. */
  releaseAt: Date;
}

const DAY_MS = 86_400_000;

export function bookingWindows(startsAt: Date, policy: BookingPolicy): BookingWindows {
  const generalOpensAt = new Date(startsAt.getTime() - policy.generalOpensDays * DAY_MS);
  return {
    generalOpensAt,
    reservedOpensAt: new Date(generalOpensAt.getTime() - policy.reservedEarlierDays * DAY_MS),
    releaseAt: new Date(startsAt.getTime() - policy.releaseLeadMinutes * 60_000),
  };
}

export type PoolState = 'open' | 'not-yet-open' | 'started' | 'released';

/** Whether a pool takes bookings at `now`; a place can be booked until the start. */
export function poolState(
  pool: PoolName,
  s: { startsAt: Date; reservedOpensAt: Date; generalOpensAt: Date; reserveReleased: boolean },
  now: Date,
): PoolState {
  if (now.getTime() >= s.startsAt.getTime()) return 'started';
  if (pool === 'reserved' && s.reserveReleased) return 'released';
  const opensAt = pool === 'reserved' ? s.reservedOpensAt : s.generalOpensAt;
  return now.getTime() < opensAt.getTime() ? 'not-yet-open' : 'open';
}

export interface PoolCounts {
  capacity: number;
  reservedCapacity: number;
  reservedBooked: number;
  generalBooked: number;
}

export interface PoolAvailability {
  capacity: number;
  booked: number;
  available: number;
}

export function availability(c: PoolCounts): Record<PoolName, PoolAvailability> {
  const generalCapacity = c.capacity - c.reservedCapacity;
  return {
    reserved: {
      capacity: c.reservedCapacity,
      booked: c.reservedBooked,
      available: Math.max(0, c.reservedCapacity - c.reservedBooked),
    },
    general: {
      capacity: generalCapacity,
      booked: c.generalBooked,
      available: Math.max(0, generalCapacity - c.generalBooked),
    },
  };
}

/** At the release only booked reserved places stay reserved; the rest join the general pool. */
export function release(c: PoolCounts): { reservedCapacity: number; released: number } {
  return { reservedCapacity: c.reservedBooked, released: c.reservedCapacity - c.reservedBooked };
}
