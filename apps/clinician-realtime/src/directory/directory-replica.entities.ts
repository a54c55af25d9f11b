import { Column, Entity, PrimaryColumn } from 'typeorm';
import { KnownMember } from '@countylink/messaging';

export { KnownMember };

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

export const DIRECTORY_REPLICA_ENTITIES = [KnownInstitution, KnownDepartment, KnownMember];
