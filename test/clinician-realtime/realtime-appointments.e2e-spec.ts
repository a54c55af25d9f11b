import { startTestApp, TestApp } from '@countylink/testing';
import { REALTIME_DATA_SOURCE } from '../../apps/clinician-realtime/src/clinician-realtime.constants';
import { ClinicianRealtimeModule } from '../../apps/clinician-realtime/src/clinician-realtime.module';
import type { AppointmentNotice } from '../../apps/clinician-realtime/src/notifications/notification-types';
import { REFERRAL_DATA_SOURCE } from '../../apps/referral-registry/src/referral-registry.constants';
import { ReferralRegistryModule } from '../../apps/referral-registry/src/referral-registry.module';
import { SCHEDULING_DATA_SOURCE } from '../../apps/specialist-slots/src/specialist-slots.constants';
import { SpecialistSlotsModule } from '../../apps/specialist-slots/src/specialist-slots.module';
import { act, book, openReferral, publishOk, session } from '../specialist-slots/slots-fixtures';
import { ClinicianSockets, directoryReplicated } from './realtime-fixtures';

/** A booking of reserved capacity reaches the family doctor who booked it and the providing department, live. */
describe('appointment changes pushed to clinicians', () => {
  let t: TestApp;
  const sockets = new ClinicianSockets(() => t);
  beforeAll(async () => {
    // The in-process bus: the three apps in one process, as the embedded default runs them.
    t = await startTestApp({
      features: [ReferralRegistryModule, SpecialistSlotsModule, ClinicianRealtimeModule],
      dataSources: [REFERRAL_DATA_SOURCE, SCHEDULING_DATA_SOURCE, REALTIME_DATA_SOURCE],
    });
    await directoryReplicated(t);
  });
  afterAll(async () => {
    sockets.closeAll();
    await t?.close();
  });

  const connect = (login: string) => sockets.connect(login);

  it('pushes booked and cancelled to the booking family doctor and the department, not to another township', async () => {
    const doctor = await connect('family-doctor-a');
    const cardiology = await connect('county-cardiology');
    const otherTownship = await connect('township-b-doctor');
    const scheduleId = await publishOk(t, session({ capacity: 10 }));
    const referralId = await openReferral(t, 'family-doctor-a');
    const booked = await book(t, 'family-doctor-a', { scheduleId, referralId });
    expect(booked.status).toBe(201);

    for (const c of [doctor, cardiology]) {
      const [frame] = await c.waitFor('appointment.booked', (f) =>
        f.some((x) => x.type === 'appointment.booked' && x.subject.id === booked.body.id),
      );
      expect(frame).toBeDefined();
    }
    const notice = doctor.of('appointment.booked', booked.body.id)[0].data as AppointmentNotice;
    expect(notice).toMatchObject({
      scheduleId,
      referralId,
      pool: 'reserved',
      departmentId: 'cardiology',
      actor: 'family-doctor-a',
    });

    expect((await act(t, 'family-doctor-a', booked.body.id, 'cancel', { reason: '患者改期' })).status).toBe(200);
    const [cancelled] = await cardiology
      .waitFor('appointment.cancelled', (f) =>
        f.some((x) => x.type === 'appointment.cancelled' && x.subject.id === booked.body.id),
      )
      .then(() => cardiology.of('appointment.cancelled', booked.body.id));
    expect((cancelled.data as AppointmentNotice).reason).toBe('患者改期');
    // (Other suites book through the same Kafka cluster: this appointment is the one that must not leak.)
    expect(otherTownship.frames.filter((f) => f.subject.id === booked.body.id || f.subject.id === referralId)).toEqual(
      [],
    );
  });
});
