import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * The group's directory as this app learnt it from `countylink.directory.*` events: who belongs to
 * which institution and department, and who is on the escalation ladder. Never read from another
 * app's schema.
 */
@Entity('known_institution')
export class KnownInstitution {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text', nullable: true })
  parentId: string | null;
}

@Entity('known_department')
export class KnownDepartment {
  @PrimaryColumn({ type: 'text' })
  institutionId: string;

  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  specialty: string;
}

@Entity('known_member')
@Index(['institutionId', 'departmentId'])
export class KnownMember {
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

  /** on-duty, department-head or coordinator: the member's place on the alert ladder. */
  @Column({ type: 'text', nullable: true })
  duty: string | null;
}

export const DIRECTORY_REPLICA_ENTITIES = [KnownInstitution, KnownDepartment, KnownMember];
