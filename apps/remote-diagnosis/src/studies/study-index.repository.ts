import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, ObjectLiteral } from 'typeorm';
import type { InstanceFacts } from '../dicom/instance-facts';
import { Read } from '../reads/read.entity';
import { DIAGNOSIS_DATA_SOURCE, DIAGNOSIS_SCHEMA } from '../remote-diagnosis.constants';
import type { StagedPart } from '../storage/staging-file';

export interface IndexLookup {
  existingSha256: string | null;
  /** The institution whose study holds the stored instance of that SOP Instance UID, if there is one. */
  existingInstitutionId: string | null;
  studyInstitutionId: string | null;
  /** The study that holds the series of that Series Instance UID, if it is known. */
  seriesStudyUid: string | null;
  studyRead: Read | null;
  /**
   * The order of this institution that the instance answers: the one with its Accession Number; else
   * (no number, or one that names no order, as when a modality numbers its own exams) the oldest
   * order for the same patient and modality still waiting for images, locked so that a concurrent
   * upload does not take it twice.
   */
  accessionRead: Read | null;
}

/** The app's schema; the statements below name their tables through it. */
const S = DIAGNOSIS_SCHEMA;

/**
 * The study index's SQL on the upload path (locks, the lookup by UID, the study/series/instance
 * insert), in as few round trips as the rules allow: a busy township uploads many small ECGs, and
 * each round trip to PostgreSQL costs more than the work it carries. Every method runs inside the
 * caller's transaction.
 */
@Injectable()
export class StudyIndexRepository {
  constructor(@InjectDataSource(DIAGNOSIS_DATA_SOURCE) private readonly dataSource: DataSource) {}

  /** Transaction-scoped locks on names (UIDs, accession), taken in the given order in one statement. */
  async lock(manager: EntityManager, names: string[]): Promise<void> {
    const calls = names.map((_, i) => `pg_advisory_xact_lock(hashtextextended($${i + 1}, 0))`).join(', ');
    await manager.query(`SELECT ${calls}`, names);
  }

  /** Everything the checks need, in one query (after the locks, so it sees what they waited for). */
  async lookup(manager: EntityManager, facts: InstanceFacts, institutionId: string): Promise<IndexLookup> {
    const [row] = await manager.query(
      `SELECT (SELECT sha256 FROM ${S}.instance WHERE sop_instance_uid = $1) AS existing_sha256,
              (SELECT st.institution_id FROM ${S}.instance i JOIN ${S}.study st ON st.study_instance_uid = i.study_instance_uid
                WHERE i.sop_instance_uid = $1) AS existing_institution_id,
              (SELECT study_instance_uid FROM ${S}.series WHERE series_instance_uid = $7) AS series_study_uid,
              (SELECT institution_id FROM ${S}.study WHERE study_instance_uid = $2) AS study_institution_id,
              (SELECT row_to_json(r) FROM ${S}.read r JOIN ${S}.study s ON s.read_id = r.id WHERE s.study_instance_uid = $2) AS study_read,
              COALESCE(
                (SELECT row_to_json(r) FROM ${S}.read r WHERE r.requesting_institution_id = $3 AND r.accession_number = $4),
                (SELECT row_to_json(o) FROM (SELECT * FROM ${S}.read r WHERE r.requesting_institution_id = $3 AND r.patient_id = $5 AND r.modality = $6
                   AND r.status = 'requested' ORDER BY r.created_at, r.id LIMIT 1 FOR UPDATE) o)) AS accession_read`,
      [
        facts.sopInstanceUid,
        facts.studyInstanceUid,
        institutionId,
        facts.accessionNumber ?? null,
        facts.patientId || null,
        facts.modality,
        facts.seriesInstanceUid,
      ],
    );
    return {
      existingSha256: row.existing_sha256,
      existingInstitutionId: row.existing_institution_id,
      studyInstitutionId: row.study_institution_id,
      seriesStudyUid: row.series_study_uid,
      studyRead: row.study_read ? this.entity(Read, row.study_read) : null,
      accessionRead: row.accession_read ? this.entity(Read, row.accession_read) : null,
    };
  }

  /** Study (new, or given its read), series (once) and instance in one statement. */
  async insertInstance(
    manager: EntityManager,
    facts: InstanceFacts,
    part: StagedPart,
    institutionId: string,
    readId: string | null,
    storedBy: string,
    now: Date,
  ): Promise<void> {
    const f = facts;
    await manager.query(
      `WITH study AS (
         INSERT INTO ${S}.study (study_instance_uid, institution_id, read_id, patient_id, patient_name, patient_birth_date, patient_sex, study_date,
           study_time, accession_number, study_description, referring_physician_name, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)
         ON CONFLICT (study_instance_uid) DO UPDATE SET read_id = EXCLUDED.read_id, updated_at = EXCLUDED.updated_at
           WHERE ${S}.study.read_id IS NULL AND EXCLUDED.read_id IS NOT NULL
       ), series AS (
         INSERT INTO ${S}.series (series_instance_uid, study_instance_uid, modality, series_number, series_description, body_part_examined, created_at)
         VALUES ($14, $1, $15, $16, $17, $18, $13) ON CONFLICT (series_instance_uid) DO NOTHING
       )
       INSERT INTO ${S}.instance (sop_instance_uid, sop_class_uid, series_instance_uid, study_instance_uid, category, transfer_syntax_uid, instance_number,
         rows, columns, bits_allocated, number_of_frames, photometric_interpretation, sha256, size_bytes, stored_by, stored_at)
       VALUES ($19, $20, $14, $1, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31, $13)`,
      [
        f.studyInstanceUid,
        institutionId,
        readId,
        f.patientId,
        f.patientName,
        f.patientBirthDate,
        f.patientSex,
        f.studyDate,
        f.studyTime,
        f.accessionNumber,
        f.studyDescription,
        f.referringPhysicianName,
        now,
        f.seriesInstanceUid,
        f.modality,
        f.seriesNumber,
        f.seriesDescription,
        f.bodyPartExamined,
        f.sopInstanceUid,
        f.sopClassUid,
        f.category,
        f.transferSyntaxUid,
        f.instanceNumber,
        f.rows,
        f.columns,
        f.bitsAllocated,
        f.numberOfFrames,
        f.photometricInterpretation,
        part.sha256,
        String(part.size),
        storedBy,
      ],
    );
  }

  /** A JSON row (snake_case) as the entity TypeORM would have loaded. */
  private entity<T extends ObjectLiteral>(target: new () => T, json: Record<string, unknown>): T {
    const entity = new target();
    for (const column of this.dataSource.getMetadata(target).columns) {
      const value = json[column.databaseName];
      const date = column.type === 'timestamptz' && typeof value === 'string';
      (entity as Record<string, unknown>)[column.propertyName] = date ? new Date(value) : (value ?? null);
    }
    return entity;
  }
}
