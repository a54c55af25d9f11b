import { randomUUID } from 'node:crypto';
import { Type } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Principal, Role } from '@countylink/auth';
import { EventPublisher } from '@countylink/messaging';
import { DomainException } from '@countylink/platform';
import { startTestDataSource } from '@countylink/testing';
import { AppointmentChangesService } from '../../apps/specialist-slots/src/appointments/appointment-changes.service';
import { Appointment } from '../../apps/specialist-slots/src/appointments/appointment.entity';
import { AppointmentRepository } from '../../apps/specialist-slots/src/appointments/appointment.repository';
import { BookingService } from '../../apps/specialist-slots/src/appointments/booking.service';
import { SCHEDULING_MIGRATIONS } from '../../apps/specialist-slots/src/migrations';
import { ReferralSnapshotRepository } from '../../apps/specialist-slots/src/referrals/referral-snapshot.repository';
import { ReferralSnapshot } from '../../apps/specialist-slots/src/referrals/referral-snapshot.entity';
import { PoolName } from '../../apps/specialist-slots/src/schedules/reserved-pool';
import { ScheduleRepository } from '../../apps/specialist-slots/src/schedules/schedule.repository';
import { ScheduleService } from '../../apps/specialist-slots/src/schedules/schedule.service';
import { SchedulingErrorCode } from '../../apps/specialist-slots/src/scheduling.exception';
import {
  SCHEDULING_APP,
  SCHEDULING_DATA_SOURCE,
  SCHEDULING_SCHEMA,
} from '../../apps/specialist-slots/src/specialist-slots.constants';
import { SCHEDULING_ENTITIES } from '../../apps/specialist-slots/src/specialist-slots.entities';
import { WaitlistHandoff } from '../../apps/specialist-slots/src/waitlist/waitlist-handoff.service';
import { WaitlistRepository } from '../../apps/specialist-slots/src/waitlist/waitlist.repository';

/**
 * The middle tier: booking's services and repositories against the real PostgreSQL (the app's
 * entities and migrations, a database of its own), without HTTP or Kafka. The conditional UPDATE of
 * the counting row is what keeps pools from overbooking; these tests hit it directly.
 */
const HOUR = 3_600_000;
const admin: Principal = { sub: 'group-admin', roles: [Role.GroupAdmin], institutionId: 'county-group' };
const his: Principal = { sub: 'his-county', roles: [Role.HisSystem], institutionId: 'county-hospital' };
const familyDoctor: Principal = {
  sub: 'family-doctor-a',
  roles: [Role.FamilyDoctor, Role.TownshipDoctor],
  institutionId: 'township-a',
  departmentId: 'family-doctor-team',
};

/** The reserve policy's defaults, for the settings ScheduleService reads. */
const POLICY = {
  SCHEDULING_RESERVED_SHARE_FLOOR: 0.2,
  SCHEDULING_GENERAL_OPENS_DAYS: 7,
  SCHEDULING_RESERVED_EARLIER_DAYS: 7,
  SCHEDULING_RELEASE_LEAD_MINUTES: 24 * 60,
};

/** The settings class(es) a service is built with: whatever it injects besides the data source, the publisher and repositories. */
function settingsOf(service: Type): Type[] {
  const params = (Reflect.getMetadata('design:paramtypes', service) ?? []) as Type[];
  return params.filter((t) => ![DataSource, EventPublisher, ScheduleRepository].includes(t));
}

describe('booking service and schedule repository on PostgreSQL', () => {
  let dataSource: DataSource;
  let moduleRef: TestingModule;
  let booking: BookingService;
  let changes: AppointmentChangesService;
  let schedules: ScheduleService;
  let scheduleRows: ScheduleRepository;
  let snapshots: ReferralSnapshotRepository;

  beforeAll(async () => {
    dataSource = await startTestDataSource({
      name: SCHEDULING_DATA_SOURCE,
      schema: SCHEDULING_SCHEMA,
      entities: SCHEDULING_ENTITIES,
      migrations: SCHEDULING_MIGRATIONS,
      poolSize: 30,
    });
    moduleRef = await Test.createTestingModule({
      providers: [
        { provide: getDataSourceToken(SCHEDULING_DATA_SOURCE), useValue: dataSource },
        { provide: EventPublisher, useValue: new EventPublisher(SCHEDULING_SCHEMA, SCHEDULING_APP) },
        ...settingsOf(ScheduleService).map((type) => ({ provide: type, useValue: POLICY })),
        ScheduleRepository,
        AppointmentRepository,
        WaitlistRepository,
        ReferralSnapshotRepository,
        ScheduleService,
        BookingService,
        AppointmentChangesService,
        WaitlistHandoff,
      ],
    }).compile();
    booking = moduleRef.get(BookingService);
    changes = moduleRef.get(AppointmentChangesService);
    schedules = moduleRef.get(ScheduleService);
    scheduleRows = moduleRef.get(ScheduleRepository);
    snapshots = moduleRef.get(ReferralSnapshotRepository);
  });
  afterAll(async () => {
    await moduleRef?.close();
    await dataSource?.destroy();
  });

  async function publish(capacity: number, reservedShare = 0.2, inHours = 48): Promise<string> {
    const startsAt = new Date(Date.now() + inHours * HOUR);
    const { status, body } = await schedules.publish(admin, {
      kind: 'clinic-session',
      institutionId: 'county-hospital',
      departmentId: 'cardiology',
      practitionerId: 'county-cardiology',
      startsAt: startsAt.toISOString(),
      endsAt: new Date(startsAt.getTime() + 4 * HOUR).toISOString(),
      capacity,
      reservedShare,
    } as never);
    expect(status).toBe(201);
    return body.id;
  }

  async function counts(scheduleId: string) {
    const [row] = await dataSource.query(
      `SELECT reserved_capacity, reserved_booked, general_booked, version FROM scheduling.schedule WHERE id = $1`,
      [scheduleId],
    );
    const [{ n }] = await dataSource.query(
      `SELECT count(*)::int AS n FROM scheduling.appointment WHERE schedule_id = $1 AND status = 'booked'`,
      [scheduleId],
    );
    return { ...row, appointments: n } as {
      reserved_capacity: number;
      reserved_booked: number;
      general_booked: number;
      version: number;
      appointments: number;
    };
  }

  function appointment(scheduleId: string, pool: PoolName, patientId = `P-${randomUUID()}`): Appointment {
    const now = new Date();
    return {
      id: randomUUID(),
      scheduleId,
      pool,
      status: 'booked',
      patientId,
      patientName: '测试患者',
      patientSex: 'female',
      patientBirthDate: null,
      patientInstitutionId: 'county-hospital',
      referralId: null,
      bookedBySubject: 'his-county',
      bookedByRoles: [Role.HisSystem],
      bookedByDepartmentId: null,
      fromWaitlist: false,
      bookedAt: now,
      changedAt: now,
      changedBySubject: null,
      reason: null,
    };
  }

  const takePlace = (a: Appointment) =>
    dataSource.transaction((manager) => scheduleRows.takePlace(manager, a.pool, a, new Date()));

  async function openReferral(): Promise<string> {
    const id = randomUUID();
    await dataSource.transaction((manager) =>
      snapshots.upsertIfNewer(manager, {
        id,
        status: 'requested',
        direction: 'up',
        patientId: `TA-${id.slice(0, 8)}`,
        patientName: '王建国',
        patientSex: 'male',
        patientBirthDate: '1956-03-14',
        fromInstitutionId: 'township-a',
        fromPractitionerId: 'family-doctor-a',
        toInstitutionId: 'county-hospital',
        toDepartmentId: 'cardiology',
        version: 1,
        updatedAt: new Date(),
      }),
    );
    return id;
  }

  it('takePlace fills the general pool to the last place, then answers null and writes no appointment', async () => {
    const scheduleId = await publish(10); // 2 reserved, 8 general
    for (let i = 1; i <= 8; i++) {
      const after = await takePlace(appointment(scheduleId, 'general'));
      expect(after).toMatchObject({ id: scheduleId, generalBooked: i, reservedBooked: 0, version: 1 + i });
      expect(after!.startsAt).toBeInstanceOf(Date);
    }
    expect(await takePlace(appointment(scheduleId, 'general'))).toBeNull();
    expect(await counts(scheduleId)).toEqual({
      reserved_capacity: 2,
      reserved_booked: 0,
      general_booked: 8,
      version: 9,
      appointments: 8,
    });
  });

  it('takePlace takes the reserved pool apart from the general one, and none after the release', async () => {
    const scheduleId = await publish(10, 0.3); // 3 reserved
    expect(await takePlace(appointment(scheduleId, 'reserved'))).toMatchObject({ reservedBooked: 1, generalBooked: 0 });
    const released = await dataSource.transaction((m) => scheduleRows.releaseReserve(m, scheduleId, new Date()));
    expect(released).toMatchObject({ reserveReleased: true, reservedCapacity: 1, releasedUnused: 2 });
    expect(await dataSource.transaction((m) => scheduleRows.releaseReserve(m, scheduleId, new Date()))).toBeNull();
    expect(await takePlace(appointment(scheduleId, 'reserved'))).toBeNull();
    expect(await counts(scheduleId)).toMatchObject({
      reserved_capacity: 1,
      reserved_booked: 1,
      general_booked: 0,
      appointments: 1,
    });
  });

  it('concurrent takePlace calls never overbook: exactly the free places are taken', async () => {
    const scheduleId = await publish(20); // 4 reserved, 16 general
    const results = await Promise.all([
      ...Array.from({ length: 25 }, () => takePlace(appointment(scheduleId, 'general'))),
      ...Array.from({ length: 10 }, () => takePlace(appointment(scheduleId, 'reserved'))),
    ]);
    const taken = results.filter((r) => r !== null);
    expect(taken).toHaveLength(20);
    expect(new Set(taken.map((s) => s!.version)).size).toBe(20);
    expect(await counts(scheduleId)).toEqual({
      reserved_capacity: 4,
      reserved_booked: 4,
      general_booked: 16,
      version: 21,
      appointments: 20,
    });
  });

  it('book() takes places until the pool is full, then refuses with POOL_FULL and the alternatives', async () => {
    const scheduleId = await publish(5); // 1 reserved, 4 general
    const other = await publish(5, 0.2, 72);
    for (let i = 0; i < 4; i++) {
      const res = await booking.book(
        his,
        { scheduleId, pool: 'general', patient: { patientId: `CH-${i}`, name: `患者${i}`, sex: 'female' } } as never,
        randomUUID(),
      );
      expect(res).toMatchObject({ status: 201, body: { scheduleId, pool: 'general', status: 'booked' } });
    }
    const full = await booking
      .book(
        his,
        { scheduleId, pool: 'general', patient: { patientId: 'CH-9', name: '患者9', sex: 'male' } } as never,
        randomUUID(),
      )
      .then(
        () => null,
        (err: unknown) => err,
      );
    expect(full).toBeInstanceOf(DomainException);
    expect(full).toMatchObject({ code: SchedulingErrorCode.POOL_FULL, details: { scheduleId, pool: 'general' } });
    expect(
      (full as DomainException<string> & { details: { alternatives: Array<{ id: string }> } }).details.alternatives.map(
        (s) => s.id,
      ),
    ).toContain(other);
    expect(await counts(scheduleId)).toMatchObject({ general_booked: 4, reserved_booked: 0, appointments: 4 });
  });

  it('concurrent book() calls through the idempotent transaction: exactly the places there are', async () => {
    const scheduleId = await publish(10); // 2 reserved, 8 general
    const referrals = await Promise.all(Array.from({ length: 5 }, () => openReferral()));
    const outcomes = await Promise.all(
      [
        ...Array.from({ length: 15 }, (_, i) =>
          booking.book(
            his,
            {
              scheduleId,
              pool: 'general',
              patient: { patientId: `CC-${i}`, name: `患者${i}`, sex: 'female' },
            } as never,
            randomUUID(),
          ),
        ),
        ...referrals.map((referralId) => booking.book(familyDoctor, { scheduleId, referralId } as never, randomUUID())),
      ].map((p) =>
        p.then(
          (r) => ({ ok: r.status, code: undefined as string | undefined }),
          (err: DomainException) => ({ ok: 0, code: err.code }),
        ),
      ),
    );
    expect(outcomes.filter((o) => o.ok === 201)).toHaveLength(10);
    expect(outcomes.filter((o) => o.ok === 0).map((o) => o.code)).toEqual(
      Array(10).fill(SchedulingErrorCode.POOL_FULL),
    );
    expect(await counts(scheduleId)).toEqual({
      reserved_capacity: 2,
      reserved_booked: 2,
      general_booked: 8,
      version: 11,
      appointments: 10,
    });
  });

  it('maps the partial unique index to ALREADY_BOOKED, and a cancel gives the place back once', async () => {
    const scheduleId = await publish(10);
    const dto = {
      scheduleId,
      pool: 'general',
      patient: { patientId: 'CH-SAME', name: '同一患者', sex: 'male' },
    } as never;
    const first = await booking.book(his, dto, randomUUID());
    await expect(booking.book(his, dto, randomUUID())).rejects.toMatchObject({
      code: SchedulingErrorCode.ALREADY_BOOKED,
    });
    expect(await counts(scheduleId)).toMatchObject({ general_booked: 1, appointments: 1 });

    const cancels = await Promise.allSettled(
      Array.from({ length: 4 }, () => changes.change(his, first.body.id, 'cancel', 'test')),
    );
    expect(cancels.filter((c) => c.status === 'fulfilled')).toHaveLength(1);
    expect(cancels.filter((c) => c.status === 'rejected').map((c) => (c as PromiseRejectedResult).reason.code)).toEqual(
      Array(3).fill(SchedulingErrorCode.INVALID_TRANSITION),
    );
    expect(await counts(scheduleId)).toMatchObject({ general_booked: 0, appointments: 0 });
    // The same patient may book again once the place is given back.
    await expect(booking.book(his, dto, randomUUID())).resolves.toMatchObject({ status: 201 });
  });

  it('keeps the newer referral snapshot: an older version changes nothing', async () => {
    const id = await openReferral();
    const older = {
      ...(await dataSource.manager.findOneByOrFail(ReferralSnapshot, { id })),
      status: 'cancelled' as const,
      version: 0,
    };
    await dataSource.transaction((m) => snapshots.upsertIfNewer(m, older));
    expect(await dataSource.manager.findOneByOrFail(ReferralSnapshot, { id })).toMatchObject({
      status: 'requested',
      version: 1,
    });
    await dataSource.transaction((m) => snapshots.upsertIfNewer(m, { ...older, status: 'accepted', version: 2 }));
    expect(await dataSource.manager.findOneByOrFail(ReferralSnapshot, { id })).toMatchObject({
      status: 'accepted',
      version: 2,
    });
  });
});
