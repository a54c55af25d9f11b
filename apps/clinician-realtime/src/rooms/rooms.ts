/**
 * Socket.IO rooms are the recipient scopes of notifications. Only the server names them, from
 * verified token claims and the directory replica; a client can never ask to join one.
 */
import { hasAnyRole, Principal, Role } from '@countylink/auth';

export type Scope = string;

export const Rooms = {
  user: (sub: string): Scope => `user:${sub}`,
  institution: (institutionId: string): Scope => `institution:${institutionId}`,
  department: (institutionId: string, departmentId: string): Scope => `department:${institutionId}:${departmentId}`,
  /** The referral office's worklist: incoming referrals, green channel, the top of every ladder. */
  referralDesk: (institutionId: string): Scope => `worklist:${institutionId}:referrals`,
  /** A reading worklist of the county (X-ray or ECG), for remote-diagnosis events. */
  readingDesk: (institutionId: string, modality: ReadingModality): Scope =>
    `worklist:${institutionId}:reads:${modality}`,
} as const;

export type ReadingModality = 'xray' | 'ecg';

/** Department specialities whose specialists read the township uploads. */
const READING_SPECIALTY: Record<string, ReadingModality> = { radiology: 'xray', electrocardiography: 'ecg' };

export interface RoomContext {
  /** The department from the token, or else from the directory. */
  departmentId?: string | null;
  /** Speciality of that department (from the directory), for the reading worklists. */
  departmentSpecialty?: string | null;
  /** Duty from the directory: a coordinator sees the referral desk even without the role. */
  duty?: string | null;
}

/** Every room a connection joins, in a stable order. */
export function roomsFor(principal: Principal, context: RoomContext = {}): Scope[] {
  const rooms = [Rooms.user(principal.sub), Rooms.institution(principal.institutionId)];
  const departmentId = principal.departmentId ?? context.departmentId ?? undefined;
  if (departmentId) rooms.push(Rooms.department(principal.institutionId, departmentId));
  if (hasAnyRole(principal, [Role.ReferralCoordinator]) || context.duty === 'coordinator') {
    rooms.push(Rooms.referralDesk(principal.institutionId));
  }
  const modality = context.departmentSpecialty ? READING_SPECIALTY[context.departmentSpecialty] : undefined;
  if (modality && hasAnyRole(principal, [Role.CountySpecialist]))
    rooms.push(Rooms.readingDesk(principal.institutionId, modality));
  return rooms;
}
