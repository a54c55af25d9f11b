import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** Who read which patient data, when and why. Append-only. */
@Entity('audit_entry')
@Index(['resourceType', 'resourceId'])
export class AuditEntry {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @CreateDateColumn({ type: 'timestamptz' })
  at: Date;

  @Column({ type: 'text' })
  actorSubject: string;

  @Column({ type: 'text' })
  actorInstitutionId: string;

  @Column({ type: 'text', array: true })
  actorRoles: string[];

  /** e.g. referral.read, referral.list. */
  @Column({ type: 'text' })
  action: string;

  @Column({ type: 'text' })
  resourceType: string;

  /** The resource read; for a listing, empty and the ids are in `resourceIds`. */
  @Column({ type: 'text', nullable: true })
  resourceId: string | null;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  resourceIds: string[];

  /** The caller's stated purpose (X-Access-Reason), or the default purpose of the route. */
  @Column({ type: 'text' })
  reason: string;

  @Column({ type: 'text', nullable: true })
  requestId: string | null;
}
