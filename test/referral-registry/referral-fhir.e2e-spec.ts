import request from 'supertest';
import { fhirR4Errors, TestApp } from '@countylink/testing';
import { act, createReferral, startReferralApp, upReferral } from './referral-fixtures';

describe('FHIR R4 views of referrals', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startReferralApp();
  });
  afterAll(() => t?.close());

  const get = async (login: string, path: string) =>
    request(t.url)
      .get(path)
      .set('Authorization', `Bearer ${await t.token(login)}`);

  it('serves a finished referral as a ServiceRequest and a Task that validate against FHIR R4', async () => {
    const id = (
      await createReferral(
        t,
        'township-a-doctor',
        upReferral({ urgency: 'emergency', greenChannelCentre: 'chest-pain' }),
      )
    ).body.id;
    for (const [login, action] of [
      ['county-coordinator', 'receive'],
      ['county-cardiology', 'accept'],
      ['county-coordinator', 'arrive'],
      ['county-cardiology', 'complete'],
    ] as const) {
      expect((await act(t, login, id, action)).status).toBe(200);
    }
    const sr = await get('township-a-doctor', `/fhir/ServiceRequest/${id}`);
    expect(sr.status).toBe(200);
    expect(sr.headers['content-type']).toMatch(/application\/fhir\+json/);
    expect(sr.body).toMatchObject({
      resourceType: 'ServiceRequest',
      id,
      status: 'completed',
      intent: 'order',
      priority: 'stat',
    });
    expect(sr.body.reasonCode[0].coding[0]).toMatchObject({ system: 'http://hl7.org/fhir/sid/icd-10', code: 'I20.0' });
    expect(fhirR4Errors(sr.body)).toEqual([]);

    const task = await get('county-cardiology', `/fhir/Task/${id}`);
    expect(task.body).toMatchObject({
      resourceType: 'Task',
      status: 'completed',
      focus: { reference: `ServiceRequest/${id}` },
    });
    expect(fhirR4Errors(task.body)).toEqual([]);

    const down = await createReferral(t, 'county-cardiology', {
      ...upReferral(),
      toInstitutionId: 'township-a',
      toDepartmentId: 'general-practice',
      urgency: 'routine',
      returnsFromReferralId: id,
      rehabilitationPlan: '康复',
    });
    const cancelled = await act(t, 'county-cardiology', down.body.id, 'cancel', { reason: '患者选择留院' });
    expect(cancelled.status).toBe(200);
    const downTask = (await get('township-a-doctor', `/fhir/Task/${down.body.id}`)).body;
    expect(downTask).toMatchObject({ status: 'cancelled', statusReason: { text: '患者选择留院' } });
    expect(fhirR4Errors(downTask)).toEqual([]);
    const downRequest = (await get('township-a-doctor', `/fhir/ServiceRequest/${down.body.id}`)).body;
    expect(downRequest).toMatchObject({ status: 'revoked', basedOn: [{ reference: `ServiceRequest/${id}` }] });
    expect(fhirR4Errors(downRequest)).toEqual([]);

    const bundle = await get('township-a-doctor', '/fhir/ServiceRequest?_count=10');
    expect(bundle.body.resourceType).toBe('Bundle');
    expect(bundle.body.entry.map((e: { resource: { id: string } }) => e.resource.id)).toEqual(
      expect.arrayContaining([id, down.body.id]),
    );
    expect(fhirR4Errors(bundle.body)).toEqual([]);
    // A bad _count is a clear 400, not silently another page.
    for (const count of ['abc', '0', '-5', '1e9']) {
      const refused = await get('township-a-doctor', `/fhir/ServiceRequest?_count=${count}`);
      expect({ count, status: refused.status, body: refused.body }).toMatchObject({
        count,
        status: 400,
        body: { resourceType: 'OperationOutcome', issue: [{ code: 'invalid' }] },
      });
    }
    expect((await get('township-a-doctor', '/fhir/ServiceRequest?_count=1000')).status).toBe(200);
    // Outside our resources too, a FHIR client gets an OperationOutcome.
    const unknown = await get('township-a-doctor', '/fhir/Patient/1');
    expect(unknown.status).toBe(404);
    expect(unknown.headers['content-type']).toMatch(/application\/fhir\+json/);
    expect(unknown.body).toMatchObject({
      resourceType: 'OperationOutcome',
      issue: [{ code: 'not-found', details: { coding: [{ code: 'NOT_FOUND' }] } }],
    });
    expect(fhirR4Errors(unknown.body)).toEqual([]);
  });

  it('the validator itself refuses a wrong resource (so the checks above can fail)', () => {
    expect(fhirR4Errors({ resourceType: 'Task', status: 'waiting-for-godot', intent: 'order' })).not.toEqual([]);
  });

  it('answers another institution and a missing token with an OperationOutcome', async () => {
    const id = (await createReferral(t, 'township-a-doctor', upReferral())).body.id;
    const other = await get('township-b-doctor', `/fhir/ServiceRequest/${id}`);
    expect(other.status).toBe(404);
    expect(other.body).toMatchObject({
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'error', code: 'not-found' }],
    });
    expect(fhirR4Errors(other.body)).toEqual([]);
    const anonymous = await request(t.url).get(`/fhir/Task/${id}`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.resourceType).toBe('OperationOutcome');
  });
});
