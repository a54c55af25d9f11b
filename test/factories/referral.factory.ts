import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { FactoryDb, factoryManager, shortId } from '@countylink/testing';
import { rolesFor } from '../../apps/referral-registry/src/referrals/referral-access';
import { Referral } from '../../apps/referral-registry/src/referrals/referral.entity';
import { HistoryActor, writeHistory } from '../../apps/referral-registry/src/referrals/referral-history.writer';
import {
  hashIdentityNumber,
  maskIdentityNumber,
  ResponseLimits,
  responseDueAt,
} from '../../apps/referral-registry/src/referrals/referral-rules';
import type { ReferralAction, ReferralStatus } from '../../apps/referral-registry/src/referrals/referral-state-machine';

/** The response limits the apps default to (REFERRAL_RESPONSE_MINUTES_*), for responseDueAt. */
export const DEFAULT_RESPONSE_MINUTES: ResponseLimits = { routine: 24 * 60, urgent: 120, emergency: 10 };
/** The identity hash key startTestApp gives the apps (IDENTITY_HASH_KEY), so hashes match what the service computes. */
export const TEST_IDENTITY_HASH_KEY = 'test-identity-hash-key-0123456789';

export interface ReferralFactoryOptions {
  /** A resident identity number: stored as the service stores it (keyed hash and masked form only). */
  identityNumber?: string;
  identityHashKey?: string;
  /** Write the history the status implies (create, then each step to it). Default true. */
  history?: boolean;
  /** Who created it (and cancelled it); by default the sending practitioner, as a family doctor up or a specialist down. */
  sender?: HistoryActor;
  /** Who took the receiving side's steps; by default the county referral office, or the receiving township's doctor. */
  receiver?: HistoryActor;
}

/** The steps from `requested` to each status (reject and cancel say why, in REASONS). */
const PATH: Record<ReferralStatus, Array<[ReferralAction, ReferralStatus]>> = {
  requested: [],
  received: [['receive', 'received']],
  accepted: [
    ['receive', 'received'],
    ['accept', 'accepted'],
  ],
  rejected: [
    ['receive', 'received'],
    ['reject', 'rejected'],
  ],
  arrived: [
    ['receive', 'received'],
    ['accept', 'accepted'],
    ['arrive', 'arrived'],
  ],
  completed: [
    ['receive', 'received'],
    ['accept', 'accepted'],
    ['arrive', 'arrived'],
    ['complete', 'completed'],
  ],
  cancelled: [['cancel', 'cancelled']],
};
const REASONS: Partial<Record<ReferralAction, string>> = {
  reject: '本院床位已满，建议转市级医院',
  cancel: '患者家属要求暂缓转诊',
};
const MINUTE = 60_000;

/**
 * A referral as the registry would hold it, by default the suites' usual one: 王建国's unstable
 * angina, an urgent up-referral from township A's family doctor to county cardiology (see
 * upReferral in test/referral-registry/referral-fixtures.ts); from another `fromInstitutionId` it is
 * sent by that institution's doctor (`township-b-doctor`). `direction: 'down'` turns the default
 * ends around (county cardiology back to township A's general practice, with a rehabilitation plan).
 * The status's version and updatedAt follow the steps it took; every field can be overridden.
 */
export function buildReferral(overrides: Partial<Referral> = {}, options: ReferralFactoryOptions = {}): Referral {
  const direction = overrides.direction ?? 'up';
  const status = overrides.status ?? 'requested';
  const urgency = overrides.urgency ?? 'urgent';
  const createdAt = overrides.createdAt ?? new Date();
  const steps = PATH[status].length;
  const ends =
    direction === 'up'
      ? upEnds(overrides.fromInstitutionId ?? 'township-a')
      : {
          fromInstitutionId: 'county-hospital',
          fromDepartmentId: 'cardiology',
          fromPractitionerId: 'county-cardiology',
          toInstitutionId: 'township-a',
          toDepartmentId: 'general-practice',
        };
  const identity = options.identityNumber;
  return Object.assign(new Referral(), {
    id: randomUUID(),
    direction,
    status,
    urgency,
    greenChannelCentre: null,
    directAdmission: false,
    patientId: `TA-${shortId()}`,
    patientName: '王建国',
    patientSex: 'male',
    patientBirthDate: '1956-03-14',
    patientIdentityHash: identity
      ? hashIdentityNumber(identity, options.identityHashKey ?? TEST_IDENTITY_HASH_KEY)
      : null,
    patientIdentityMasked: identity ? maskIdentityNumber(identity) : null,
    ...ends,
    diagnosisCode: 'I20.0',
    diagnosisDisplay: '不稳定型心绞痛',
    clinicalSummary: direction === 'up' ? '反复胸痛3天，含服硝酸甘油可缓解' : '冠脉支架术后第5天，病情稳定',
    reason: direction === 'up' ? '需冠脉造影评估' : '转回基层继续康复',
    justification: null,
    inTownshipCatalog: false,
    continuousDeductible: true,
    returnsFromReferralId: null,
    rehabilitationPlan: direction === 'down' ? '阿司匹林100mg qd、替格瑞洛90mg bid 12个月；每周随访血压心率' : null,
    responseDueAt: responseDueAt(createdAt, urgency, DEFAULT_RESPONSE_MINUTES),
    escalationLevel: 0,
    createdAt,
    updatedAt: new Date(createdAt.getTime() + steps * MINUTE),
    version: 1 + steps,
    ...overrides,
  } satisfies Referral);
}

/**
 * Inserts the referral into the registry's `referral` table, with the history its status implies
 * (written by the registry's own history writer), in one transaction, and returns it. Rows only: no outbox event and no
 * response-due job, as if those had run; a transition through the service afterwards works as usual.
 */
export async function insertReferral(
  db: FactoryDb,
  overrides: Partial<Referral> = {},
  options: ReferralFactoryOptions = {},
): Promise<Referral> {
  const referral = buildReferral(overrides, options);
  await factoryManager(db, Referral, 'referral-registry').transaction((manager) =>
    writeReferral(manager, referral, options),
  );
  return referral;
}

async function writeReferral(
  manager: EntityManager,
  referral: Referral,
  options: ReferralFactoryOptions,
): Promise<void> {
  await manager.insert(Referral, referral);
  if (options.history === false) return;
  const sender: HistoryActor = options.sender ?? {
    subject: referral.fromPractitionerId,
    institutionId: referral.fromInstitutionId,
    roles: sendingRoles(referral),
  };
  const receiver: HistoryActor = options.receiver ?? {
    subject:
      referral.toInstitutionId === 'county-hospital' ? 'county-coordinator' : `${referral.toInstitutionId}-doctor`,
    institutionId: referral.toInstitutionId,
    roles: [rolesFor(referral.direction, 'receiver')[0]],
  };
  await writeHistory(
    manager,
    { id: referral.id, status: 'requested' },
    { action: 'create', fromStatus: null, actor: sender, reason: null, at: referral.createdAt },
  );
  let from: ReferralStatus = 'requested';
  for (const [i, [action, to]] of PATH[referral.status].entries()) {
    const at = new Date(referral.createdAt.getTime() + (i + 1) * MINUTE);
    await writeHistory(
      manager,
      { id: referral.id, status: to },
      { action, fromStatus: from, actor: action === 'cancel' ? sender : receiver, reason: REASONS[action] ?? null, at },
    );
    from = to;
  }
}

/** The sender of an up-referral as the demo seed has them: township A's family doctor, or another institution's doctor (`township-b-doctor`). */
function upEnds(fromInstitutionId: string) {
  const familyDoctor = fromInstitutionId === 'township-a';
  return {
    fromInstitutionId,
    fromDepartmentId: familyDoctor ? 'family-doctor-team' : 'general-practice',
    fromPractitionerId: familyDoctor ? 'family-doctor-a' : `${fromInstitutionId}-doctor`,
    toInstitutionId: 'county-hospital',
    toDepartmentId: 'cardiology',
  };
}

/** The roles the sending doctor holds: a family doctor (who may also book reserved places) or a township doctor up, a specialist down. */
function sendingRoles(referral: Referral): string[] {
  if (referral.direction === 'down') return [rolesFor('down', 'sender')[0]];
  return referral.fromPractitionerId.startsWith('family-doctor')
    ? ['family-doctor', 'township-doctor']
    : ['township-doctor'];
}
