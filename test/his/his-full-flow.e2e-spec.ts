import { randomUUID } from 'node:crypto';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { Pool, ReferralAction, ResourceKind, Topics, Urgency } from '@countylink/contracts';
import { hisCommandMessage } from '@countylink/his-gateway';
import { startTestApp, waitFor } from '@countylink/testing';
import { REFERRAL_DATA_SOURCE } from '../../apps/referral-registry/src/referral-registry.constants';
import { ReferralRegistryModule } from '../../apps/referral-registry/src/referral-registry.module';
import { SCHEDULING_DATA_SOURCE } from '../../apps/specialist-slots/src/specialist-slots.constants';
import { SpecialistSlotsModule } from '../../apps/specialist-slots/src/specialist-slots.module';
import { HisHarness } from './his-harness';

/**
 * An up-referral, the booking of a reserved place and the down-referral, driven only by HIS commands
 * on Kafka and observed only through events: no HTTP call.
 */
describe('HIS: referral, reserved booking and down-referral over Kafka only', () => {
  let his: HisHarness;

  beforeAll(async () => {
    his = await HisHarness.start([Topics.referral, Topics.scheduling], (kafka) =>
      startTestApp({
        features: [ReferralRegistryModule, SpecialistSlotsModule],
        dataSources: [REFERRAL_DATA_SOURCE, SCHEDULING_DATA_SOURCE],
        kafka,
      }),
    );
  });
  afterAll(() => his?.stop());

  const ctx = (login: 'his-township-a' | 'his-county') =>
    his.context(login === 'his-county' ? 'county-hospital' : 'township-a');
  const run = (message: ReturnType<typeof hisCommandMessage>) => his.run(message);
  const ok = (message: ReturnType<typeof hisCommandMessage>) => his.accepted(message);
  const transition = (login: 'his-county', referralId: string, action: ReferralAction) =>
    hisCommandMessage('countylink.his-commands.transition-referral.v1', {
      context: ctx(login),
      referralId,
      action,
      reason: '',
    });

  it('refers up, books a reserved place for the family doctor, completes and refers down', async () => {
    const startsAt = new Date(Date.now() + 48 * 3_600_000);
    const { schedule_id: scheduleId } = await ok(
      hisCommandMessage('countylink.his-commands.publish-schedule.v1', {
        context: ctx('his-county'),
        externalId: `HIS-CARD-${randomUUID().slice(0, 8)}`,
        kind: ResourceKind.CLINIC_SESSION,
        departmentId: 'cardiology',
        practitionerId: 'county-cardiology',
        capacity: 10,
        reservedShare: 0.2,
        startsAt: timestampFromDate(startsAt),
        endsAt: timestampFromDate(new Date(startsAt.getTime() + 4 * 3_600_000)),
      }),
    );
    const { referral_id: referralId } = await ok(
      hisCommandMessage('countylink.his-commands.create-referral.v1', {
        context: ctx('his-township-a'),
        patient: { patientId: 'TA-FULL-1', name: '孙玉兰' },
        toInstitutionId: 'county-hospital',
        toDepartmentId: 'cardiology',
        urgency: Urgency.ROUTINE,
        diagnosis: { code: 'I48.9', display: '心房颤动' },
        clinicalSummary: '心悸1月，心电图房颤',
        reason: '抗凝及节律评估',
      }),
    );

    // The slots app learns of the referral from its event; until then an HIS is told so and tries again.
    const book = () =>
      hisCommandMessage('countylink.his-commands.book-appointment.v1', {
        context: ctx('his-township-a'),
        scheduleId,
        referralId,
        pool: Pool.RESERVED,
        practitionerId: 'family-doctor-a',
      });
    const booked = await waitFor('a reserved place', async () => {
      const result = await run(book());
      // …as it is while the directory's members have not reached the slots app's replica yet.
      if (
        result.payload.code === 'SCHEDULING_NO_OPEN_REFERRAL' ||
        result.payload.code === 'SCHEDULING_NOT_A_FAMILY_DOCTOR'
      )
        return undefined;
      return result;
    });
    expect(booked.type).toBe('countylink.his-results.command-accepted.v1');
    const appointmentId = booked.payload.resultingIds!.appointment_id;

    for (const action of [
      ReferralAction.RECEIVE,
      ReferralAction.ACCEPT,
      ReferralAction.ARRIVE,
      ReferralAction.COMPLETE,
    ]) {
      await ok(transition('his-county', referralId, action));
    }
    const { referral_id: downId } = await ok(
      hisCommandMessage('countylink.his-commands.create-referral.v1', {
        context: ctx('his-county'),
        patient: { patientId: 'CH-FULL-1', name: '孙玉兰' },
        toInstitutionId: 'township-a',
        toDepartmentId: 'general-practice',
        urgency: Urgency.ROUTINE,
        diagnosis: { code: 'I48.9', display: '心房颤动' },
        clinicalSummary: '节律控制良好',
        reason: '回基层随访',
        returnsFromReferralId: referralId,
        rehabilitationPlan: '华法林，INR每2周',
      }),
    );

    const bookedEvent = await waitFor('appointment-booked event', () =>
      his.events.events.find(
        (e) =>
          e.type === 'countylink.scheduling.appointment-booked.v1' &&
          (e.payload as { appointment?: { id: string } }).appointment?.id === appointmentId,
      ),
    );
    expect(bookedEvent.payload).toMatchObject({
      appointment: { referralId, pool: Pool.RESERVED, bookedBy: { subject: 'family-doctor-a' } },
      schedule: { reservedBooked: 1 },
    });
    const referralStream = await his.events.waitForKey(referralId, 5);
    expect(referralStream.map((e) => e.type.split('.')[2])).toEqual([
      'requested',
      'received',
      'accepted',
      'arrived',
      'completed',
    ]);
    expect((await his.events.waitForKey(downId, 1))[0].payload).toMatchObject({
      referral: { returnsFromReferralId: referralId },
    });

    // Both sides' HIS see the booking on their own feeds (the booker's patient, the provider's schedule); township B does not.
    for (const institution of ['township-a', 'county-hospital']) {
      await waitFor(`the booking on ${institution}'s feed`, () =>
        his.feedOf(institution, scheduleId).find((e) => e.headers.ce_id === bookedEvent.headers.ce_id),
      );
    }
    expect(his.feedOf('township-b', scheduleId)).toEqual([]);

    // A place booked by command can be cancelled by command; it goes back to its pool.
    await ok(
      hisCommandMessage('countylink.his-commands.cancel-appointment.v1', {
        context: ctx('his-township-a'),
        appointmentId,
        reason: '患者已入院',
      }),
    );
    const cancelled = await waitFor('appointment-cancelled event', () =>
      his.events.events.find(
        (e) =>
          e.type === 'countylink.scheduling.appointment-cancelled.v1' &&
          (e.payload as { appointment?: { id: string } }).appointment?.id === appointmentId,
      ),
    );
    expect(cancelled.payload).toMatchObject({ schedule: { reservedBooked: 0 }, reason: '患者已入院' });
  });

  it('refuses a booking on behalf of anyone the directory does not know as a family doctor of the sending institution', async () => {
    const startsAt = new Date(Date.now() + 72 * 3_600_000);
    const { schedule_id: scheduleId } = await ok(
      hisCommandMessage('countylink.his-commands.publish-schedule.v1', {
        context: ctx('his-county'),
        externalId: `HIS-CARD-${randomUUID().slice(0, 8)}`,
        kind: ResourceKind.CLINIC_SESSION,
        departmentId: 'cardiology',
        practitionerId: 'county-cardiology',
        capacity: 10,
        reservedShare: 0.2,
        startsAt: timestampFromDate(startsAt),
        endsAt: timestampFromDate(new Date(startsAt.getTime() + 4 * 3_600_000)),
      }),
    );
    const bookFor = (practitionerId: string) =>
      run(
        hisCommandMessage('countylink.his-commands.book-appointment.v1', {
          context: ctx('his-township-a'),
          scheduleId,
          pool: Pool.GENERAL,
          practitionerId,
          patient: { patientId: `TA-${randomUUID().slice(0, 8)}`, name: '周建国' },
        }),
      );
    // A township doctor of township A (not a family doctor), a county specialist, a name nobody has.
    for (const practitionerId of ['township-a-doctor', 'county-cardiology', 'no-such-doctor']) {
      const result = await bookFor(practitionerId);
      expect({ practitionerId, type: result.type, code: result.payload.code }).toEqual({
        practitionerId,
        type: 'countylink.his-results.command-rejected.v1',
        code: 'SCHEDULING_NOT_A_FAMILY_DOCTOR',
      });
      expect(result.payload.message).toContain('practitioner_id');
    }
    // Nothing was booked by them; township A's family doctor books the same schedule.
    const accepted = await bookFor('family-doctor-a');
    expect(accepted.type).toBe('countylink.his-results.command-accepted.v1');
    const bookedOn = () =>
      his.events.events
        .filter(
          (e) =>
            e.type === 'countylink.scheduling.appointment-booked.v1' &&
            (e.payload as { schedule?: { id: string } }).schedule?.id === scheduleId,
        )
        .map((e) => (e.payload as { appointment?: { id: string } }).appointment?.id);
    // One partition per schedule, in order: a booking by a refused command would have come before this one.
    await waitFor('the booking event', () => bookedOn().length > 0);
    expect(bookedOn()).toEqual([accepted.payload.resultingIds!.appointment_id]);
  });

  it('refuses a reserved place to an HIS command without a family doctor and answers why', async () => {
    const result = await run(
      hisCommandMessage('countylink.his-commands.book-appointment.v1', {
        context: ctx('his-township-a'),
        scheduleId: randomUUID(),
        pool: Pool.RESERVED,
        referralId: randomUUID(),
      }),
    );
    expect(result).toMatchObject({ type: 'countylink.his-results.command-rejected.v1' });
    expect(result.payload.code).toMatch(/^SCHEDULING_/);
  });
});
