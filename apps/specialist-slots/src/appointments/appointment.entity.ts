import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { PoolName } from '../schedules/reserved-pool';
import type { AppointmentStatus } from './appointment-state-machine';

/** A place taken in one pool of a schedule, for one patient; linked to the referral it serves. */
@Entity('appointment')
@Index('uq_appointment_patient_per_schedule', ['scheduleId', 'patientInstitutionId', 'patientId'], {
  unique: true,
  where: `"status" <> 'cancelled'`,
})
@Index(['referralId'])
@Index(['scheduleId', 'status'])
export class Appointment {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid' })
  scheduleId: string;

  @Column({ type: 'text' })
  pool: PoolName;

  @Column({ type: 'text' })
  status: AppointmentStatus;

  @Column({ type: 'text' })
  patientId: string;

  @Column({ type: 'text' })
  patientName: string;

  @Column({ type: 'text' })
  patientSex: 'male' | 'female' | 'other' | 'unknown';

  @Column({ type: 'date', nullable: true })
  patientBirthDate: string | null;

  /** The institution whose patient this is: the booker's. */
  @Column({ type: 'text' })
  patientInstitutionId: string;

  @Column({ type: 'uuid', nullable: true })
  referralId: string | null;

  @Column({ type: 'text' })
  bookedBySubject: string;

  @Column({ type: 'text', array: true })
  bookedByRoles: string[];

  @Column({ type: 'text', nullable: true })
  bookedByDepartmentId: string | null;

  @Column({ type: 'boolean', default: false })
  fromWaitlist: boolean;

  @Column({ type: 'timestamptz' })
  bookedAt: Date;

  @Column({ type: 'timestamptz' })
  changedAt: Date;

  @Column({ type: 'text', nullable: true })
  changedBySubject: string | null;

  @Column({ type: 'text', nullable: true })
  reason: string | null;
}
