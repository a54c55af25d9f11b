import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DIAGNOSIS_SCHEMA } from '../remote-diagnosis.constants';

/** A newer version wins; a redelivered or late older one changes nothing. */
const UPSERT = `INSERT INTO "${DIAGNOSIS_SCHEMA}"."referral_share" (referral_id, from_institution_id, to_institution_id, patient_id, active, ends_at, version)
  VALUES ($1, $2, $3, $4, $5, $6, $7)
  ON CONFLICT (referral_id) DO UPDATE SET active = EXCLUDED.active, ends_at = EXCLUDED.ends_at, version = EXCLUDED.version
  WHERE "referral_share".version < EXCLUDED.version`;

export interface ShareVersion {
  referralId: string;
  fromInstitutionId: string;
  toInstitutionId: string;
  patientId: string;
  active: boolean;
  endsAt: Date | null;
  version: number;
}

/** The SQL of `referral_share` rows; every method runs inside the caller's transaction. */
@Injectable()
export class ReferralShareRepository {
  /** Writes the share as this version of its referral has it, unless a newer version is already in. */
  async keep(manager: EntityManager, share: ShareVersion): Promise<void> {
    await manager.query(UPSERT, [
      share.referralId,
      share.fromInstitutionId,
      share.toInstitutionId,
      share.patientId,
      share.active,
      share.endsAt,
      share.version,
    ]);
  }
}
