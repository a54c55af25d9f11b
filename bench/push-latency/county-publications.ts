/**
 * Remote reads (基层检查 + 上级诊断), critical values and bookings of the county, as the
 * remote-diagnosis and specialist-slots apps publish them: a township or village doctor orders an
 * ECG or an X-ray, it becomes ready for the county's reading room, a reader claims it and signs the
 * report (now and then with a critical value for the requesting department); family doctors book
 * and cancel places at county clinics for their patients.
 */
import { randomUUID } from 'node:crypto';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import {
  AppointmentStatus,
  Pool,
  ReadPriority,
  ReadStatus,
  ReportKind,
  ResourceKind,
  Sex,
} from '@countylink/contracts';
import { Rooms } from '../../apps/clinician-realtime/src/rooms/rooms';
import { COUNTY, County, Member, RECEIVING_DEPARTMENTS } from './county-directory';
import { alertRooms, Kind, Patient, patientOf, Produced, Rng } from './county-events';
import type { Outbox } from './county-outboxes';

interface ReadCase {
  id: string;
  accession: string;
  ecg: boolean;
  requester: Member;
  patient: Patient;
  reader?: Member;
  reportId?: string;
  createdAt: Date;
}

interface Booking {
  id: string;
  departmentId: string;
  booker: Member;
  patient: Patient;
  bookedAt: Date;
}

const actor = (m: Member) => ({
  subject: m.id,
  institutionId: m.institutionId,
  departmentId: m.departmentId,
  roles: m.roles,
});
const SCHEDULE_START = new Date(Date.now() + 86_400_000);

type Record = (p: Omit<Produced, 'measured'>) => void;

export class Publications {
  private readonly ordered: ReadCase[] = [];
  private readonly ready: ReadCase[] = [];
  private readonly claimed: ReadCase[] = [];
  private readonly reported: ReadCase[] = [];
  private readonly booked: Booking[] = [];
  private patients = 1_000_000;
  private accessions = 0;

  constructor(
    private readonly county: County,
    private readonly rng: Rng,
    private readonly diagnosis: Outbox,
    private readonly scheduling: Outbox,
  ) {}

  /** Publishes one event of `kind` (a read step falls back to an earlier one when none is waiting). */
  async publish(kind: Kind, record: Record): Promise<void> {
    if (kind === 'read.ready' && this.ordered.length) return this.readReady(this.ordered.shift()!, record);
    if (kind === 'read.claimed' && this.ready.length) return this.readClaimed(this.ready.shift()!, record);
    if (kind === 'read.reported' && this.claimed.length) return this.readReported(this.claimed.shift()!, record);
    if (kind === 'critical-value alert' && this.reported.length)
      return this.criticalValue(this.reported.shift()!, record);
    if (kind === 'appointment.cancelled' && this.booked.length)
      return this.appointment(this.booked.shift()!, 'cancelled', record);
    if (kind === 'appointment.booked' || kind === 'appointment.cancelled')
      return this.appointment(this.newBooking(), 'booked', record);
    return this.readOrdered(record);
  }

  private readMessage(r: ReadCase, status: ReadStatus, at: Date) {
    return {
      id: r.id,
      accessionNumber: r.accession,
      status,
      priority: r.ecg ? ReadPriority.URGENT : ReadPriority.ROUTINE,
      modality: r.ecg ? 'ECG' : 'DX',
      patient: {
        patientId: r.patient.patientId,
        name: r.patient.name,
        sex: r.patient.sex === 'male' ? Sex.MALE : Sex.FEMALE,
        birthDate: r.patient.birthDate,
      },
      requestingInstitutionId: r.requester.institutionId,
      requestingDepartmentId: r.requester.departmentId,
      requestingPractitionerId: r.requester.id,
      readingInstitutionId: COUNTY,
      readingDepartmentId: r.ecg ? 'ecg-room' : 'radiology',
      clinicalQuestion: r.ecg ? '胸闷，心电图请上级诊断' : '咳嗽两周，胸片请上级诊断',
      dueAt: timestampFromDate(new Date(r.createdAt.getTime() + (r.ecg ? 30 : 120) * 60_000)),
      claimedBy: r.reader?.id ?? '',
      studyInstanceUids: [`1.2.826.0.1.3680043.10.1.${r.accession.slice(3)}`],
      createdAt: timestampFromDate(r.createdAt),
      updatedAt: timestampFromDate(at),
      version: 1 + status,
    };
  }

  private readingRooms(r: ReadCase): string[] {
    return [
      Rooms.readingDesk(COUNTY, r.ecg ? 'ecg' : 'xray'),
      Rooms.department(COUNTY, r.ecg ? 'ecg-room' : 'radiology'),
    ];
  }

  private async readOrdered(record: Record): Promise<void> {
    const { county, rng } = this;
    const township = rng.pick(county.townships);
    const from = rng.next();
    const requester =
      from < 0.6
        ? rng.pick(county.staff(township.id, 'general-practice'))
        : from < 0.8
          ? rng.pick(county.staff(township.id, 'family-doctor-team'))
          : rng.pick(county.staff(rng.pick(township.villages), 'clinic'));
    const r: ReadCase = {
      id: randomUUID(),
      accession: `ACC${String(++this.accessions).padStart(8, '0')}`,
      ecg: rng.next() < 0.55,
      requester,
      patient: patientOf(rng, ++this.patients),
      createdAt: new Date(),
    };
    const id = await this.diagnosis.publish('countylink.diagnosis.read-requested.v1', r.id, `read/${r.id}`, (at) => ({
      read: this.readMessage(r, ReadStatus.REQUESTED, at),
      actor: actor(requester),
    }));
    record({ kind: 'read.ordered', match: `event:${id}`, rooms: [] });
    this.ordered.push(r);
  }

  private async readReady(r: ReadCase, record: Record): Promise<void> {
    const id = await this.diagnosis.publish('countylink.diagnosis.read-ready.v1', r.id, `read/${r.id}`, (at) => ({
      read: this.readMessage(r, ReadStatus.READY, at),
      fromStatus: ReadStatus.REQUESTED,
      toStatus: ReadStatus.READY,
      actor: actor(r.requester),
      occurredAt: timestampFromDate(at),
    }));
    record({ kind: 'read.ready', match: `event:${id}`, rooms: [...this.readingRooms(r), Rooms.user(r.requester.id)] });
    this.ready.push(r);
  }

  private async readClaimed(r: ReadCase, record: Record): Promise<void> {
    r.reader = this.rng.pick(this.county.staff(COUNTY, r.ecg ? 'ecg-room' : 'radiology'));
    const id = await this.diagnosis.publish('countylink.diagnosis.read-claimed.v1', r.id, `read/${r.id}`, (at) => ({
      read: {
        ...this.readMessage(r, ReadStatus.CLAIMED, at),
        claimExpiresAt: timestampFromDate(new Date(at.getTime() + 30 * 60_000)),
      },
      fromStatus: ReadStatus.READY,
      toStatus: ReadStatus.CLAIMED,
      actor: actor(r.reader!),
      occurredAt: timestampFromDate(at),
    }));
    record({
      kind: 'read.claimed',
      match: `event:${id}`,
      rooms: [...this.readingRooms(r), Rooms.user(r.requester.id)],
    });
    this.claimed.push(r);
  }

  private async readReported(r: ReadCase, record: Record): Promise<void> {
    r.reportId = randomUUID();
    const id = await this.diagnosis.publish('countylink.diagnosis.read-reported.v1', r.id, `read/${r.id}`, (at) => ({
      read: this.readMessage(r, ReadStatus.REPORTED, at),
      report: {
        id: r.reportId,
        readId: r.id,
        kind: ReportKind.ORIGINAL,
        signedBy: actor(r.reader!),
        signedAt: timestampFromDate(at),
        findings: r.ecg ? '窦性心律，ST段轻度压低' : '双肺纹理增粗，右下肺片状影',
        impression: r.ecg ? '心肌缺血可能' : '右下肺炎可能',
        treatmentPlan: r.ecg ? '建议复查心肌酶，必要时转诊心内科' : '抗感染治疗，两周后复查胸片',
      },
    }));
    record({
      kind: 'read.reported',
      match: `event:${id}`,
      rooms: [
        Rooms.user(r.requester.id),
        Rooms.department(r.requester.institutionId, r.requester.departmentId),
        ...this.readingRooms(r),
      ],
    });
    this.reported.push(r);
  }

  private async criticalValue(r: ReadCase, record: Record): Promise<void> {
    const id = await this.diagnosis.publish(
      'countylink.diagnosis.critical-value-raised.v1',
      r.id,
      `read/${r.id}`,
      (at) => ({
        read: this.readMessage(r, ReadStatus.REPORTED, at),
        reportId: r.reportId!,
        criticalValue: r.ecg
          ? { category: 'ecg', description: '急性ST段抬高型心肌梗死' }
          : { category: 'imaging', description: '张力性气胸' },
        notifyPractitionerId: r.requester.id,
        notifyInstitutionId: r.requester.institutionId,
        raisedBy: actor(r.reader!),
        raisedAt: timestampFromDate(at),
      }),
    );
    record({
      kind: 'critical-value alert',
      match: `event:${id}`,
      rooms: alertRooms(this.county, r.requester.institutionId, r.requester.departmentId),
    });
  }

  private newBooking(): Booking {
    const { county, rng } = this;
    const township = rng.pick(county.townships);
    const booker =
      rng.next() < 0.7
        ? rng.pick(county.staff(township.id, 'family-doctor-team'))
        : rng.pick(county.staff(township.id, 'general-practice'));
    return {
      id: randomUUID(),
      departmentId: rng.pick(RECEIVING_DEPARTMENTS),
      booker,
      patient: patientOf(rng, ++this.patients),
      bookedAt: new Date(),
    };
  }

  private async appointment(b: Booking, change: 'booked' | 'cancelled', record: Record): Promise<void> {
    const scheduleId = `00000000-0000-4000-8000-${String(RECEIVING_DEPARTMENTS.indexOf(b.departmentId)).padStart(12, '0')}`;
    const type =
      change === 'booked'
        ? ('countylink.scheduling.appointment-booked.v1' as const)
        : ('countylink.scheduling.appointment-cancelled.v1' as const);
    const id = await this.scheduling.publish(type, scheduleId, `appointment/${b.id}`, (at) => ({
      schedule: {
        id: scheduleId,
        kind: ResourceKind.CLINIC_SESSION,
        institutionId: COUNTY,
        departmentId: b.departmentId,
        startsAt: timestampFromDate(SCHEDULE_START),
        endsAt: timestampFromDate(new Date(SCHEDULE_START.getTime() + 4 * 3_600_000)),
        capacity: 40,
        reservedShare: 0.2,
        reservedCapacity: 8,
        generalCapacity: 32,
        version: 1,
      },
      appointment: {
        id: b.id,
        scheduleId,
        pool: Pool.RESERVED,
        status: change === 'booked' ? AppointmentStatus.BOOKED : AppointmentStatus.CANCELLED,
        patient: {
          patientId: b.patient.patientId,
          name: b.patient.name,
          sex: b.patient.sex === 'male' ? Sex.MALE : Sex.FEMALE,
          birthDate: b.patient.birthDate,
        },
        patientInstitutionId: b.booker.institutionId,
        bookedBy: actor(b.booker),
        bookedAt: timestampFromDate(b.bookedAt),
        changedAt: timestampFromDate(at),
      },
      actor: actor(b.booker),
      reason: change === 'cancelled' ? '患者改期' : '',
      occurredAt: timestampFromDate(at),
    }));
    record({
      kind: `appointment.${change}`,
      match: `event:${id}`,
      rooms: [
        Rooms.department(COUNTY, b.departmentId),
        Rooms.institution(b.booker.institutionId),
        Rooms.user(b.booker.id),
      ],
    });
    if (change === 'booked' && this.rng.next() < 0.45) this.booked.push(b);
  }
}
