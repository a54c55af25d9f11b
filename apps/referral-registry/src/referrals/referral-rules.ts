/** Domain rules of a referral that need no framework: routing, catalog, deadlines, identity. */
import { createHmac } from 'node:crypto';

export type InstitutionKind = 'county-hospital' | 'township-centre' | 'community-centre' | 'village-clinic';
export type Direction = 'up' | 'down';
export type Urgency = 'routine' | 'urgent' | 'emergency';
export const GREEN_CHANNEL_CENTRES = ['chest-pain', 'stroke', 'trauma', 'maternal', 'neonatal'] as const;
export type GreenChannelCentre = (typeof GREEN_CHANNEL_CENTRES)[number];

/** Up: a primary-care member sends to the county hospital; down: the reverse. Nothing else routes. */
export function directionOf(from: InstitutionKind, to: InstitutionKind): Direction | undefined {
  const fromCounty = from === 'county-hospital';
  const toCounty = to === 'county-hospital';
  if (!fromCounty && toCounty) return 'up';
  if (fromCounty && !toCounty) return 'down';
  return undefined;
}

/**
 * An up-referral of a diagnosis the township treats (县乡两级疾病诊疗目录) needs a justification.
 * Catalog entries are ICD-10 codes or their prefixes (category `J06` covers `J06.9`; `E11.9` covers
 * the national clinical extension `E11.900`).
 */
export function isInTownshipCatalog(diagnosisCode: string, catalog: readonly string[]): boolean {
  const code = diagnosisCode.trim().toUpperCase();
  return catalog.some((entry) => code.startsWith(entry.trim().toUpperCase()));
}

export interface ResponseLimits {
  routine: number;
  urgent: number;
  emergency: number;
}

export function responseDueAt(createdAt: Date, urgency: Urgency, limitsMinutes: ResponseLimits): Date {
  return new Date(createdAt.getTime() + limitsMinutes[urgency] * 60_000);
}

/** The escalation ladder of an unanswered referral, from the first step up. */
export const ESCALATION_LADDER = ['department-on-duty', 'department-head', 'referral-coordinator'] as const;

export function escalationTarget(level: number): string {
  return ESCALATION_LADDER[Math.min(level, ESCALATION_LADDER.length) - 1];
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** 18-digit resident identity number (GB 11643-1999) with a valid check character. */
export function isValidIdentityNumber(value: string): boolean {
  const id = value.toUpperCase();
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  const sum = ID_WEIGHTS.reduce((acc, w, i) => acc + w * Number(id[i]), 0);
  return ID_CHECK[sum % 11] === id[17];
}

/** The keyed hash that stands in for the identity number in events and lookups. */
export function hashIdentityNumber(value: string, key: string): string {
  return createHmac('sha256', key).update(value.toUpperCase()).digest('hex');
}

export function maskIdentityNumber(value: string): string {
  return `${value.slice(0, 3)}***********${value.slice(-4).toUpperCase()}`;
}

export interface PatientFacts {
  name: string;
  birthDate?: string | null;
  /** HMAC of the identity number (hashIdentityNumber), when one was given. */
  identityHash?: string | null;
}

/**
 * Whether a down-referral names the patient of the up-referral it returns from: the institutions'
 * patient ids differ, so by identity number when both carry one, else by name and (when both have
 * it) birth date. A down-referral shares the county's results for its patient with the township: it
 * may not carry someone else's.
 */
export function isSamePatient(up: PatientFacts, down: PatientFacts): boolean {
  if (up.identityHash && down.identityHash) return up.identityHash === down.identityHash;
  if (up.name.trim() !== down.name.trim()) return false;
  return !up.birthDate || !down.birthDate || up.birthDate === down.birthDate;
}
