import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { InstitutionKind } from '../referrals/referral-rules';

/** A member institution of the medical group. */
@Entity('institution')
export class InstitutionRow {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  kind: InstitutionKind;

  @Column({ type: 'text', nullable: true })
  parentId: string | null;
}

@Entity('department')
export class DepartmentRow {
  @PrimaryColumn({ type: 'text' })
  institutionId: string;

  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  specialty: string;
}

/** A person or service account that may sign in, with their place on the escalation ladder. */
@Entity('member')
export class MemberRow {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  institutionId: string;

  @Column({ type: 'text', nullable: true })
  departmentId: string | null;

  @Column({ type: 'text', array: true })
  roles: string[];

  @Column({ type: 'text', nullable: true })
  duty: string | null;
}

/** 县乡两级疾病诊疗目录: ICD-10 codes (or prefixes) that township centres treat. */
@Entity('township_catalog_entry')
export class TownshipCatalogEntry {
  @PrimaryColumn({ type: 'text' })
  code: string;

  @Column({ type: 'text' })
  display: string;
}

export const DIRECTORY_ENTITIES = [InstitutionRow, DepartmentRow, MemberRow, TownshipCatalogEntry];
