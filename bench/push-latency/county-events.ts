/** What the county traffic produces, by kind, with the rooms each event concerns. */
import { Rooms } from '../../apps/clinician-realtime/src/rooms/rooms';
import { COUNTY, County, Member, REFERRAL_OFFICE } from './county-directory';

export const KINDS = [
  'referral.requested',
  'referral.received',
  'referral.accepted',
  'referral.rejected',
  'referral.arrived',
  'referral.completed',
  'referral.cancelled',
  'green-channel alert',
  'read.ordered',
  'read.ready',
  'read.claimed',
  'read.reported',
  'critical-value alert',
  'appointment.booked',
  'appointment.cancelled',
] as const;
export type Kind = (typeof KINDS)[number];

/**
 * One event the bench had committed: how to find its notification in the realtime log (`match`),
 * and the rooms the bench expects it to reach (none for a read order: the realtime app maps no
 * notification to it).
 */
export interface Produced {
  kind: Kind;
  /** `event:<ce_id>`, `type:<notification type>|<subject id>` or `alert:<alert kind>|<subject id>`. */
  match: string;
  rooms: string[];
  /** Committed in the measured phase (not the warm-up). */
  measured: boolean;
}

/** A small deterministic generator, so two runs drive the same county the same way. */
export class Rng {
  constructor(private state: number) {}

  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = Math.imul(this.state ^ (this.state >>> 15), 1 | this.state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
}

const PATIENT_SURNAMES = '王李张刘陈杨赵黄周吴徐孙';
const PATIENT_GIVEN = ['建国', '秀英', '桂兰', '志强', '玉梅', '德福', '淑珍', '海燕', '国庆', '春花'];

export interface Patient {
  patientId: string;
  name: string;
  sex: 'male' | 'female';
  birthDate: string;
}

export function patientOf(rng: Rng, n: number): Patient {
  return {
    patientId: `P-${String(n).padStart(7, '0')}`,
    name: `${rng.pick([...PATIENT_SURNAMES])}${rng.pick(PATIENT_GIVEN)}`,
    sex: rng.next() < 0.5 ? 'male' : 'female',
    birthDate: `${1935 + rng.int(60)}-0${1 + rng.int(9)}-1${rng.int(10)}`,
  };
}

/** A referral's rooms as the realtime mappings route them: the receiving team, the county's office, the sender. */
export function referralRooms(to: { institutionId: string; departmentId: string }, sender: Member): string[] {
  return [Rooms.department(to.institutionId, to.departmentId), Rooms.referralDesk(COUNTY), Rooms.user(sender.id)];
}

/** An alert's first step: the answering department and its people on duty. */
export function alertRooms(county: County, institutionId: string, departmentId: string): string[] {
  return [
    Rooms.department(institutionId, departmentId),
    ...county.onDuty(institutionId, departmentId).map((m) => Rooms.user(m.id)),
  ];
}

/** The county's referral office (receives and admits), and a department's specialist. */
export function coordinatorOf(county: County, rng: Rng): Member {
  return rng.pick(county.staff(COUNTY, REFERRAL_OFFICE));
}
