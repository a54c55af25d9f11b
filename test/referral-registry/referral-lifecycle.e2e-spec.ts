import request from 'supertest';
import { DataSource } from 'typeorm';
import { getDataSourceToken } from '@nestjs/typeorm';
import { Status, Topics } from '@countylink/contracts';
import { EventCollector, TestApp, waitFor } from '@countylink/testing';
import { REFERRAL_DATA_SOURCE } from '../../apps/referral-registry/src/referral-registry.constants';
import { act, createReferral, startReferralApp, upReferral } from './referral-fixtures';

describe('referral lifecycle over Kafka', () => {
  let t: TestApp;
  let events: EventCollector;

  beforeAll(async () => {
    events = await EventCollector.start(process.env.TEST_KAFKA_BROKERS!, [Topics.referral, Topics.directory]);
    t = await startReferralApp({ kafka: true });
  });
  afterAll(async () => {
    await t?.close();
    await events?.stop();
  });

  it('refers up, receives, accepts, arrives, completes and refers down, one event per change, in order', async () => {
    const created = await createReferral(t, 'township-a-doctor', upReferral());
    expect(created.status).toBe(201);
    const id: string = created.body.id;
    expect(created.body).toMatchObject({
      direction: 'up',
      status: 'requested',
      continuousDeductible: true,
      version: 1,
    });
    expect(created.body.patient.identityNumberMasked).toBe('110***********002X');

    for (const [login, action, status] of [
      ['county-coordinator', 'receive', 'received'],
      ['county-cardiology', 'accept', 'accepted'],
      ['county-coordinator', 'arrive', 'arrived'],
      ['county-cardiology', 'complete', 'completed'],
    ] as const) {
      const res = await act(t, login, id, action, { note: `${action} by ${login}` });
      expect(res.status).toBe(200);
      expect(res.body.status).toBe(status);
    }

    const down = await createReferral(t, 'county-cardiology', {
      ...upReferral(),
      toInstitutionId: 'township-a',
      toDepartmentId: 'general-practice',
      urgency: 'routine',
      returnsFromReferralId: id,
      rehabilitationPlan: '阿司匹林+氯吡格雷双抗12个月；每月随访血压血脂；心脏康复运动处方',
    });
    expect(down.status).toBe(201);
    expect(down.body).toMatchObject({ direction: 'down', returnsFromReferralId: id, continuousDeductible: true });
    // A down-referral returns the up-referral's patient, not someone else (it opens the county's results for its patient).
    for (const patient of [
      { patientId: 'CH-OTHER-1', name: '李明', sex: 'male', birthDate: '1956-03-14' },
      {
        patientId: 'CH-OTHER-2',
        name: '王建国',
        sex: 'male',
        birthDate: '1956-03-14',
        identityNumber: '110105195603140017',
      },
    ]) {
      const other = await createReferral(t, 'county-cardiology', {
        ...upReferral(),
        patient,
        toInstitutionId: 'township-a',
        toDepartmentId: 'general-practice',
        urgency: 'routine',
        returnsFromReferralId: id,
        rehabilitationPlan: '随访',
      });
      expect({ patient: patient.patientId, status: other.status, code: other.body.error?.code }).toEqual({
        patient: patient.patientId,
        status: 422,
        code: 'REFERRAL_RETURN_LINK_INVALID',
      });
    }
    expect((await act(t, 'township-a-doctor', down.body.id, 'receive')).status).toBe(200);

    const got = await request(t.url)
      .get(`/api/referrals/${id}`)
      .set('Authorization', `Bearer ${await t.token('township-a-doctor')}`);
    expect(got.status).toBe(200);
    expect(got.body.history.map((h: { action: string }) => h.action)).toEqual([
      'create',
      'receive',
      'accept',
      'arrive',
      'complete',
    ]);
    expect(got.body.history[2]).toMatchObject({
      fromStatus: 'received',
      toStatus: 'accepted',
      by: { subject: 'county-cardiology', institutionId: 'county-hospital' },
    });

    const stream = await events.waitForKey(id, 5);
    expect(stream.map((e) => e.type)).toEqual([
      'countylink.referral.requested.v1',
      'countylink.referral.received.v1',
      'countylink.referral.accepted.v1',
      'countylink.referral.arrived.v1',
      'countylink.referral.completed.v1',
    ]);
    expect(new Set(stream.map((e) => e.partition)).size).toBe(1);
    const versions = stream.map((e) => ('referral' in e.payload ? e.payload.referral?.version : undefined));
    expect(versions).toEqual([1, 2, 3, 4, 5]);
    for (const e of stream) {
      expect(e.headers).toMatchObject({
        ce_specversion: '1.0',
        ce_source: '/countylink/referral-registry',
        ce_subject: `referral/${id}`,
        'content-type': 'application/protobuf',
      });
      expect(e.headers.ce_id).toMatch(/^[0-9a-f-]{36}$/);
      expect(Number.isNaN(Date.parse(e.headers.ce_time))).toBe(false);
      // The identity number never travels in clear text.
      expect(e.raw!.toString('latin1')).not.toContain('11010519491231002X');
    }
    const accepted = stream[2].payload as { fromStatus: Status; toStatus: Status; actor?: { subject: string } };
    expect(accepted).toMatchObject({
      fromStatus: Status.RECEIVED,
      toStatus: Status.ACCEPTED,
      actor: { subject: 'county-cardiology' },
    });

    const downEvents = await events.waitForKey(down.body.id, 2);
    expect(downEvents[0].payload).toMatchObject({
      referral: { returnsFromReferralId: id, rehabilitationPlan: expect.stringContaining('双抗') },
    });
  });

  it('publishes the directory it loaded from the seed as directory events', async () => {
    const institutions = await waitFor('the six institutions', () => {
      const ids = new Set(
        events.events.filter((e) => e.type === 'countylink.directory.institution-upserted.v1').map((e) => e.key),
      );
      return ['county-hospital', 'township-a', 'township-b', 'township-c', 'village-a1', 'village-b1'].every((id) =>
        ids.has(id),
      )
        ? ids
        : undefined;
    });
    expect(institutions.size).toBeGreaterThanOrEqual(6);
    const county = events.events.find((e) => e.key === 'county-hospital')!.payload as {
      institution?: { departments: Array<{ id: string }> };
    };
    expect(county.institution?.departments.map((d) => d.id)).toEqual(
      expect.arrayContaining([
        'cardiology',
        'neurology',
        'respiratory',
        'orthopaedics',
        'obstetrics',
        'emergency',
        'radiology',
        'ecg-room',
      ]),
    );
    const coordinator = events.events.find((e) => e.key === 'county-coordinator')?.payload as {
      member?: { duty: string; roles: string[] };
    };
    expect(coordinator?.member).toMatchObject({ duty: 'coordinator', roles: ['referral-coordinator'] });
  });

  it('lets an institution’s HIS act for that institution only', async () => {
    const his = await createReferral(t, 'his-township-a', upReferral());
    expect(his.status).toBe(201);
    expect(his.body.from).toMatchObject({ institutionId: 'township-a', practitionerId: 'his-township-a' });
    const other = await request(t.url)
      .get(`/api/referrals/${his.body.id}`)
      .set('Authorization', `Bearer ${await t.token('township-b-doctor')}`);
    expect(other.status).toBe(404);
    expect((await act(t, 'his-county', his.body.id, 'receive')).status).toBe(200);
  });

  it('replays a create retried with the same Idempotency-Key instead of referring twice', async () => {
    const body = upReferral();
    const [a, b] = await Promise.all([
      createReferral(t, 'township-a-doctor', body, 'retry-key-0001'),
      createReferral(t, 'township-a-doctor', body, 'retry-key-0001'),
    ]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body.id).toBe(b.body.id);
    const later = await createReferral(t, 'township-a-doctor', body, 'retry-key-0001');
    expect({ status: later.status, id: later.body.id }).toEqual({ status: 201, id: a.body.id });
    const reused = await createReferral(t, 'township-a-doctor', { ...body, reason: 'different' }, 'retry-key-0001');
    expect(reused.status).toBe(422);
    expect(reused.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    const ds = t.app.get<DataSource>(getDataSourceToken(REFERRAL_DATA_SOURCE));
    const [{ count }] = await ds.query(`SELECT count(*)::int AS count FROM referral.referral WHERE patient_id = $1`, [
      body.patient.patientId,
    ]);
    expect(count).toBe(1);
  });

  it('serves liveness, readiness with the database and Kafka, Prometheus metrics and OpenAPI without a token', async () => {
    expect((await request(t.url).get('/health/live')).status).toBe(200);
    const ready = await request(t.url).get('/health/ready');
    expect(ready.status).toBe(200);
    expect(Object.keys(ready.body.details).sort()).toEqual(['database:referral', 'kafka']);
    const metrics = await request(t.url).get('/metrics');
    expect(metrics.text).toMatch(/countylink_outbox_published_total\{schema="referral"\} [1-9]/);
    expect(metrics.text).toMatch(
      /http_request_duration_seconds_count\{method="POST",route="\/api\/referrals\/:id\/accept",status="200"\}/,
    );
    const docs = await request(t.url).get('/docs/openapi.json');
    expect(Object.keys(docs.body.paths)).toEqual(
      expect.arrayContaining(['/api/referrals', '/api/referrals/{id}/accept']),
    );
    const echoed = await request(t.url).get('/api/referrals').set('X-Request-Id', 'trace-123');
    expect(echoed.headers['x-request-id']).toBe('trace-123');
    expect(echoed.body.error.requestId).toBe('trace-123');
  });

  it('records every read of a referral in the audit log with who and why', async () => {
    const created = await createReferral(t, 'township-a-doctor', upReferral());
    const token = await t.token('county-cardiology');
    await request(t.url)
      .get(`/api/referrals/${created.body.id}`)
      .set('Authorization', `Bearer ${token}`)
      .set('X-Access-Reason', 'consultation')
      .expect(200);
    await request(t.url).get('/api/referrals?limit=5').set('Authorization', `Bearer ${token}`).expect(200);
    const ds = t.app.get<DataSource>(getDataSourceToken(REFERRAL_DATA_SOURCE));
    const rows = await ds.query(
      `SELECT action, actor_subject, reason, resource_id, resource_ids FROM referral.audit_entry WHERE actor_subject = 'county-cardiology' ORDER BY id`,
    );
    expect(rows[0]).toMatchObject({
      action: 'referral.read',
      actor_subject: 'county-cardiology',
      reason: 'consultation',
      resource_id: created.body.id,
    });
    expect(rows[1]).toMatchObject({ action: 'referral.list', reason: 'worklist' });
    expect(rows[1].resource_ids).toContain(created.body.id);
  });
});
