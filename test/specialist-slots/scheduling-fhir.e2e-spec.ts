import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { fhirR4Errors, TestApp } from '@countylink/testing';
import { act as referralAct } from '../referral-registry/referral-fixtures';
import { act, bearer, book, openReferral, publishOk, session, slotsDb, startRegistryAndSlots } from './slots-fixtures';

type Extension = { url: string; extension?: Array<{ url: string; valueUnsignedInt?: number }> };

/** The capacity, booked and available counts a Slot carries in its slot-places extension. */
function places(slot: { extension: Extension[] }): Record<string, number | undefined> {
  const ext = slot.extension.find((e) => e.url.endsWith('/slot-places'));
  return Object.fromEntries((ext?.extension ?? []).map((e) => [e.url, e.valueUnsignedInt]));
}

describe('FHIR R4 views of schedules, slots and appointments', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startRegistryAndSlots();
  });
  afterAll(() => t?.close());

  const get = async (login: string, path: string) =>
    request(t.url)
      .get(path)
      .set('Authorization', await bearer(t, login));

  it('serves a finished referral, its appointment and the pool it took, all valid FHIR R4 and pointing at each other', async () => {
    const externalId = `HIS-FHIR-${randomUUID().slice(0, 8)}`;
    const scheduleId = await publishOk(t, session({ capacity: 5, externalId }));
    const referralId = await openReferral(t);
    const booked = await book(t, 'family-doctor-a', { scheduleId, referralId });
    expect(booked.status).toBe(201);
    expect(booked.body.pool).toBe('reserved');
    for (const [login, action] of [
      ['county-coordinator', 'receive'],
      ['county-cardiology', 'accept'],
      ['county-coordinator', 'arrive'],
      ['county-cardiology', 'complete'],
    ] as const) {
      expect((await referralAct(t, login, referralId, action)).status).toBe(200);
    }
    expect((await act(t, 'county-coordinator', booked.body.id, 'attend', { note: '已就诊' })).status).toBe(200);

    const sr = await get('family-doctor-a', `/fhir/ServiceRequest/${referralId}`);
    expect(sr.body).toMatchObject({ resourceType: 'ServiceRequest', id: referralId, status: 'completed' });
    expect(fhirR4Errors(sr.body)).toEqual([]);
    const task = await get('county-cardiology', `/fhir/Task/${referralId}`);
    expect(task.body).toMatchObject({ resourceType: 'Task', status: 'completed' });
    expect(fhirR4Errors(task.body)).toEqual([]);

    const res = await get('family-doctor-a', `/fhir/Appointment/${booked.body.id}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/fhir\+json/);
    const appointment = res.body;
    expect(appointment).toMatchObject({
      resourceType: 'Appointment',
      id: booked.body.id,
      status: 'fulfilled',
      basedOn: [{ reference: `ServiceRequest/${referralId}` }],
      slot: [{ reference: `Slot/${scheduleId}-reserved` }],
      start: booked.body.schedule.startsAt,
      end: booked.body.schedule.endsAt,
      comment: expect.stringContaining('已就诊'),
    });
    expect(appointment.cancelationReason).toBeUndefined();
    // The patient is named as the referral names them: same system, same id.
    const [patient, ...others] = appointment.participant;
    expect(patient).toMatchObject({
      actor: { type: 'Patient', identifier: sr.body.subject.identifier, display: booked.body.patient.name },
      status: 'accepted',
    });
    expect(patient.actor.identifier).toEqual({
      system: 'urn:countylink:patient:township-a',
      value: booked.body.patient.patientId,
    });
    expect(others.map((p: { actor: { type: string; display: string } }) => [p.actor.type, p.actor.display])).toEqual([
      ['Practitioner', 'county-cardiology'],
      ['Location', 'county-hospital/cardiology'],
    ]);
    expect(fhirR4Errors(appointment)).toEqual([]);
    // The providing institution sees the same appointment; both reads are in the audit log.
    expect((await get('county-cardiology', `/fhir/Appointment/${booked.body.id}`)).body).toMatchObject({
      id: booked.body.id,
      status: 'fulfilled',
    });
    const audit = await slotsDb(t).query(
      `SELECT actor_subject, reason FROM scheduling.audit_entry WHERE action = 'appointment.read' AND resource_id = $1 ORDER BY id`,
      [booked.body.id],
    );
    expect(audit).toEqual([
      { actor_subject: 'family-doctor-a', reason: 'fhir' },
      { actor_subject: 'county-cardiology', reason: 'fhir' },
    ]);

    // Follow the references: the reserved Slot is full (its one place taken), the general one free.
    const reserved = (await get('family-doctor-a', `/fhir/${appointment.slot[0].reference}`)).body;
    expect(reserved).toMatchObject({
      resourceType: 'Slot',
      id: `${scheduleId}-reserved`,
      status: 'busy',
      schedule: { reference: `Schedule/${scheduleId}` },
      start: booked.body.schedule.startsAt,
      end: booked.body.schedule.endsAt,
      specialty: [{ coding: [{ code: 'cardiology' }] }],
    });
    expect(places(reserved)).toEqual({ capacity: 1, booked: 1, available: 0 });
    expect(fhirR4Errors(reserved)).toEqual([]);
    const general = (await get('township-b-doctor', `/fhir/Slot/${scheduleId}-general`)).body;
    expect(general).toMatchObject({ id: `${scheduleId}-general`, status: 'free' });
    expect(places(general)).toEqual({ capacity: 4, booked: 0, available: 4 });
    expect(fhirR4Errors(general)).toEqual([]);

    const schedule = (await get('his-township-a', `/fhir/${reserved.schedule.reference}`)).body;
    expect(schedule).toMatchObject({
      resourceType: 'Schedule',
      id: scheduleId,
      planningHorizon: { start: booked.body.schedule.startsAt },
    });
    expect(schedule.identifier).toContainEqual({
      system: 'urn:countylink:schedule-external:county-hospital',
      value: externalId,
    });
    expect(fhirR4Errors(schedule)).toEqual([]);

    const bundle = (await get('family-doctor-a', `/fhir/Slot?schedule=Schedule/${scheduleId}`)).body;
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: 2 });
    expect(
      bundle.entry.map((e: { resource: { id: string; status: string } }) => [e.resource.id, e.resource.status]),
    ).toEqual([
      [`${scheduleId}-reserved`, 'busy'],
      [`${scheduleId}-general`, 'free'],
    ]);
    expect(bundle.entry[0].fullUrl).toBe(`${t.url}/fhir/Slot/${scheduleId}-reserved`);
    expect(fhirR4Errors(bundle)).toEqual([]);
    // The validator would notice these resources going wrong (so the checks above can fail).
    expect(fhirR4Errors({ ...appointment, status: 'no-show' })).not.toEqual([]);
    expect(fhirR4Errors({ ...appointment, participant: [] })).not.toEqual([]);
    const { schedule: _schedule, ...unscheduled } = reserved;
    expect(fhirR4Errors(unscheduled)).not.toEqual([]);
    expect(fhirR4Errors({ ...reserved, status: 'full' })).not.toEqual([]);
    expect((await get('family-doctor-a', `/fhir/Slot?schedule=${randomUUID()}`)).body).toMatchObject({
      resourceType: 'Bundle',
      total: 0,
    });
    const twice = await get('family-doctor-a', `/fhir/Slot?schedule=${scheduleId}&schedule=${scheduleId}`);
    expect([twice.status, twice.body.resourceType]).toEqual([400, 'OperationOutcome']);
    // Without a schedule: the pools of the schedules to come, earliest first.
    const upcoming = (await get('family-doctor-a', '/fhir/Slot?_count=1')).body;
    expect(upcoming).toMatchObject({ resourceType: 'Bundle', total: 2 });
    expect(fhirR4Errors(upcoming)).toEqual([]);
  });

  it('maps a cancelled and a no-show appointment, and a pool that is not open yet', async () => {
    const scheduleId = await publishOk(
      t,
      session({ capacity: 10, departmentId: 'neurology', practitionerId: 'county-neurology' }),
    );
    const patient = (n: number) => ({ patientId: `TA-F${n}-${randomUUID().slice(0, 6)}`, name: '赵六', sex: 'female' });
    const cancelled = await book(t, 'his-township-a', { scheduleId, patient: patient(1) });
    const missed = await book(t, 'his-township-a', { scheduleId, patient: patient(2) });
    expect([cancelled.status, missed.status]).toEqual([201, 201]);
    expect((await act(t, 'his-township-a', cancelled.body.id, 'cancel', { reason: '患者病情变化，改期' })).status).toBe(
      200,
    );
    expect((await act(t, 'his-county', missed.body.id, 'no-show')).status).toBe(200);

    const c = (await get('township-a-doctor', `/fhir/Appointment/${cancelled.body.id}`)).body;
    expect(c).toMatchObject({
      status: 'cancelled',
      cancelationReason: { text: '患者病情变化，改期' },
      slot: [{ reference: `Slot/${scheduleId}-general` }],
    });
    expect(c.basedOn).toBeUndefined();
    expect(c.participant[0]).toMatchObject({
      actor: { identifier: { value: cancelled.body.patient.patientId } },
      status: 'declined',
    });
    expect(fhirR4Errors(c)).toEqual([]);
    const m = (await get('his-county', `/fhir/Appointment/${missed.body.id}`)).body;
    expect(m).toMatchObject({ status: 'noshow' });
    expect(m.cancelationReason).toBeUndefined();
    expect(fhirR4Errors(m)).toEqual([]);

    // Ten days ahead the reserved pool is open, the general one not yet.
    const later = await publishOk(
      t,
      session({ capacity: 5, departmentId: 'neurology', practitionerId: 'county-neurology' }, 10 * 24),
    );
    const slots = (await get('family-doctor-a', `/fhir/Slot?schedule=${later}`)).body;
    expect(slots.entry.map((e: { resource: { status: string } }) => e.resource.status)).toEqual([
      'free',
      'busy-unavailable',
    ]);
    expect(fhirR4Errors(slots)).toEqual([]);
  });

  it('hides an appointment from another township and answers errors as OperationOutcome', async () => {
    const scheduleId = await publishOk(
      t,
      session({ capacity: 5, departmentId: 'orthopaedics', practitionerId: 'county-ortho' }),
    );
    const booked = await book(t, 'his-township-a', {
      scheduleId,
      patient: { patientId: `TA-${randomUUID().slice(0, 6)}`, name: '钱七', sex: 'male' },
    });
    expect(booked.status).toBe(201);
    expect((await get('township-a-doctor', `/fhir/Appointment/${booked.body.id}`)).status).toBe(200);

    const other = await get('township-b-doctor', `/fhir/Appointment/${booked.body.id}`);
    const unknown = await get('township-b-doctor', `/fhir/Appointment/${randomUUID()}`);
    for (const res of [other, unknown]) {
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toMatch(/application\/fhir\+json/);
      expect(res.body).toMatchObject({
        resourceType: 'OperationOutcome',
        issue: [{ severity: 'error', code: 'not-found' }],
      });
      expect(fhirR4Errors(res.body)).toEqual([]);
    }
    // Another township cannot tell a foreign appointment from one that does not exist.
    expect(other.body.issue[0].details).toEqual(unknown.body.issue[0].details);

    for (const path of [
      `/fhir/Appointment/${booked.body.id}`,
      `/fhir/Slot/${scheduleId}-general`,
      `/fhir/Slot?schedule=${scheduleId}`,
      `/fhir/Schedule/${scheduleId}`,
    ]) {
      const anonymous = await request(t.url).get(path);
      expect({
        path,
        status: anonymous.status,
        type: anonymous.body.resourceType,
        code: anonymous.body.issue?.[0]?.code,
      }).toEqual({ path, status: 401, type: 'OperationOutcome', code: 'login' });
    }
    for (const id of [`${scheduleId}-waitlist`, scheduleId, `${randomUUID()}-general`]) {
      const res = await get('township-a-doctor', `/fhir/Slot/${id}`);
      expect({ id, status: res.status, type: res.body.resourceType }).toEqual({
        id,
        status: 404,
        type: 'OperationOutcome',
      });
    }
  });
});
