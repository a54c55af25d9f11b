import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { SCHEDULING_SCHEMA } from '../specialist-slots.constants';
import { ReferralSnapshot } from './referral-snapshot.entity';

/** Newer versions win; a redelivered or late older snapshot changes nothing. */
const UPSERT = `INSERT INTO "${SCHEDULING_SCHEMA}"."referral_snapshot"
  (id, status, direction, patient_id, patient_name, patient_sex, patient_birth_date, from_institution_id, from_practitioner_id,
   to_institution_id, to_department_id, version, updated_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
  ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, direction = EXCLUDED.direction, patient_id = EXCLUDED.patient_id,
    patient_name = EXCLUDED.patient_name, patient_sex = EXCLUDED.patient_sex, patient_birth_date = EXCLUDED.patient_birth_date,
    from_institution_id = EXCLUDED.from_institution_id, from_practitioner_id = EXCLUDED.from_practitioner_id,
    to_institution_id = EXCLUDED.to_institution_id, to_department_id = EXCLUDED.to_department_id,
    version = EXCLUDED.version, updated_at = EXCLUDED.updated_at
  WHERE "referral_snapshot".version < EXCLUDED.version`;

/** The SQL of `referral_snapshot` rows; runs inside the consumer's transaction. */
@Injectable()
export class ReferralSnapshotRepository {
  /** Keeps the snapshot unless the stored one is as new or newer. */
  async upsertIfNewer(manager: EntityManager, s: ReferralSnapshot): Promise<void> {
    await manager.query(UPSERT, [
      s.id,
      s.status,
      s.direction,
      s.patientId,
      s.patientName,
      s.patientSex,
      s.patientBirthDate,
      s.fromInstitutionId,
      s.fromPractitionerId,
      s.toInstitutionId,
      s.toDepartmentId,
      s.version,
      s.updatedAt,
    ]);
  }
}
