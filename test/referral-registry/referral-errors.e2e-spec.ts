import request from 'supertest';
import { DataSource } from 'typeorm';
import { getDataSourceToken } from '@nestjs/typeorm';
import { Role } from '@countylink/auth';
import { Topics } from '@countylink/contracts';
import { AppMessaging, TRANSPORT, Transport } from '@countylink/messaging';
import { TestApp } from '@countylink/testing';
import { REFERRAL_DATA_SOURCE } from '../../apps/referral-registry/src/referral-registry.constants';
import { act, createReferral, startReferralApp, upReferral } from './referral-fixtures';

/** Bad input answers clearly in the design's error shape and changes nothing. */
describe('referral registry: bad input', () => {
  let t: TestApp;
  let ds: DataSource;
  let id: string;

  const published: string[] = [];

  /** What any change would leave: referral rows, history, jobs, idempotency keys and published events. */
  async function footprint() {
    await t.app.get(AppMessaging, { strict: false }).relay.flush();
    const [row] = await ds.query(`SELECT
      (SELECT count(*) FROM referral.referral)::int AS referrals,
      (SELECT coalesce(sum(version), 0) FROM referral.referral)::int AS versions,
      (SELECT count(*) FROM referral.referral_history)::int AS history,
      (SELECT count(*) FROM referral.scheduled_job)::int AS jobs,
      (SELECT count(*) FROM referral.idempotency_record)::int AS keys`);
    return { ...row, events: published.length };
  }

  beforeAll(async () => {
    t = await startReferralApp();
    ds = t.app.get<DataSource>(getDataSourceToken(REFERRAL_DATA_SOURCE));
    // The in-process bus: every event the relay publishes passes here.
    await t.app
      .get<Transport>(TRANSPORT)
      .subscribe('spy', [Topics.referral], async (m) => void published.push(m.headers.ce_type));
    id = (await createReferral(t, 'township-a-doctor', upReferral())).body.id;
  });
  afterAll(() => t?.close());

  // Every error also carries its code's registered sentence for the clinician, in Chinese, beside the developer's message.
  const expectError = (res: request.Response, status: number, code: string) => {
    expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status, code });
    expect(typeof res.body.error.message).toBe('string');
    expect({ code, userMessage: res.body.error.userMessage }).toEqual({
      code,
      userMessage: expect.stringMatching(/[\u4e00-\u9fff]/),
    });
  };

  it('answers 409 for a transition the state does not allow, and changes nothing', async () => {
    const before = await footprint();
    expectError(await act(t, 'county-coordinator', id, 'accept'), 409, 'REFERRAL_INVALID_TRANSITION');
    expectError(await act(t, 'county-coordinator', id, 'complete'), 409, 'REFERRAL_INVALID_TRANSITION');
    expect(await footprint()).toEqual(before);
  });

  it('answers 404 for an unknown id, a malformed id and another institution’s referral', async () => {
    expectError(
      await act(t, 'county-coordinator', '7f1d8a52-5a47-4d36-a3e5-6f0b1b1b0c11', 'receive'),
      404,
      'REFERRAL_NOT_FOUND',
    );
    const token = await t.token('township-b-doctor');
    expectError(
      await request(t.url).get(`/api/referrals/${id}`).set('Authorization', `Bearer ${token}`),
      404,
      'REFERRAL_NOT_FOUND',
    );
    expectError(
      await request(t.url).get('/api/referrals/not-a-uuid').set('Authorization', `Bearer ${token}`),
      404,
      'NOT_FOUND',
    );
    expectError(await act(t, 'township-b-doctor', id, 'cancel', { reason: 'x' }), 404, 'REFERRAL_NOT_FOUND');
    const list = await request(t.url).get('/api/referrals').set('Authorization', `Bearer ${token}`);
    expect(list.status).toBe(200);
    expect(list.body.items.map((r: { id: string }) => r.id)).not.toContain(id);
  });

  it('answers 401 without a token, with a forged, an expired or a claimless token', async () => {
    expectError(await request(t.url).get('/api/referrals'), 401, 'UNAUTHENTICATED');
    const good = await t.token('county-coordinator');
    const [h, p] = good.split('.');
    const forgedPayload = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), institutionId: 'township-b' }),
    ).toString('base64url');
    const forged = `${h}.${forgedPayload}.${good.split('.')[2]}`;
    expectError(
      await request(t.url).get('/api/referrals').set('Authorization', `Bearer ${forged}`),
      401,
      'UNAUTHENTICATED',
    );
    const expired = await t.mint({ sub: 'x', roles: [Role.TownshipDoctor], institutionId: 'township-a' }, -120);
    const res = await request(t.url).get('/api/referrals').set('Authorization', `Bearer ${expired}`);
    expectError(res, 401, 'UNAUTHENTICATED');
    expect(res.body.error.message).toMatch(/expired/);
    expectError(
      await request(t.url).get('/api/referrals').set('Authorization', 'Bearer not.a.jwt'),
      401,
      'UNAUTHENTICATED',
    );
    expectError(
      await request(t.url).get('/api/referrals').set('Authorization', `Basic ${good}`),
      401,
      'UNAUTHENTICATED',
    );
  });

  it('answers 403 for the wrong role or the wrong end of the referral', async () => {
    const before = await footprint();
    // A group administrator may read but not refer.
    expectError(await createReferral(t, 'group-admin', upReferral()), 403, 'FORBIDDEN');
    // The sender cannot accept its own referral; the receiver cannot cancel it.
    expectError(await act(t, 'township-a-doctor', id, 'receive'), 403, 'REFERRAL_NOT_ALLOWED');
    expectError(await act(t, 'county-coordinator', id, 'cancel', { reason: 'no' }), 403, 'REFERRAL_NOT_ALLOWED');
    // A neurologist does not answer for cardiology.
    expectError(await act(t, 'county-neurology', id, 'receive'), 403, 'REFERRAL_NOT_ALLOWED');
    // A county specialist cannot refer "up".
    expectError(
      await createReferral(t, 'county-cardiology', { ...upReferral(), toInstitutionId: 'county-hospital' }),
      422,
      'REFERRAL_ROUTE_NOT_ALLOWED',
    );
    expect(await footprint()).toEqual(before);
  });

  it('answers 400 for unknown fields, malformed values and malformed JSON; 415 and 413 for the wrong body', async () => {
    const before = await footprint();
    const res = await createReferral(t, 'township-a-doctor', { ...upReferral(), hospitalBed: 3 });
    expectError(res, 400, 'VALIDATION_FAILED');
    expect(res.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'hospitalBed' })]));
    expect(res.body.error).toMatchObject({ userMessage: '填写的内容不符合要求', message: 'The request is not valid' });
    expectError(
      await createReferral(t, 'township-a-doctor', { ...upReferral(), urgency: 'soonish' }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await createReferral(t, 'township-a-doctor', upReferral({ diagnosis: { code: 'heart', display: 'x' } })),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await createReferral(t, 'township-a-doctor', { ...upReferral(), patient: { name: 'x' } }),
      400,
      'VALIDATION_FAILED',
    );
    const token = await t.token('township-a-doctor');
    const post = () =>
      request(t.url)
        .post('/api/referrals')
        .set('Authorization', `Bearer ${token}`)
        .set('Idempotency-Key', 'k-000000001');
    expectError(await post().set('Content-Type', 'application/json').send('{"patient":'), 400, 'MALFORMED_BODY');
    expectError(await post().set('Content-Type', 'text/plain').send('hello'), 415, 'UNSUPPORTED_MEDIA_TYPE');
    expectError(await post().send({ ...upReferral(), clinicalSummary: 'x'.repeat(300_000) }), 413, 'PAYLOAD_TOO_LARGE');
    expectError(
      await request(t.url).post('/api/referrals').set('Authorization', `Bearer ${token}`).send(upReferral()),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await request(t.url).get('/api/referrals?color=red').set('Authorization', `Bearer ${token}`),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await request(t.url).get('/api/referrals?cursor=garbage').set('Authorization', `Bearer ${token}`),
      400,
      'REFERRAL_INVALID_CURSOR',
    );
    expectError(await act(t, 'county-coordinator', id, 'reject', {}), 400, 'VALIDATION_FAILED');
    // The sender may cancel this referral, but not without saying why (missing or empty), nor at length.
    for (const body of [{}, { reason: '' }, { reason: 'x'.repeat(2001) }]) {
      const res = await act(t, 'township-a-doctor', id, 'cancel', body);
      expectError(res, 400, 'VALIDATION_FAILED');
      expect(res.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'reason' })]));
    }
    expect(await footprint()).toEqual(before);
  });

  it('enforces the domain rules with 422: catalog justification, green channel, destination, identity number, return link', async () => {
    const before = await footprint();
    const catalog = upReferral({ diagnosis: { code: 'I10', display: '原发性高血压' } });
    expectError(await createReferral(t, 'township-a-doctor', catalog), 422, 'REFERRAL_JUSTIFICATION_REQUIRED');
    expectError(
      await createReferral(t, 'township-a-doctor', upReferral({ greenChannelCentre: 'stroke' })),
      422,
      'REFERRAL_GREEN_CHANNEL_INVALID',
    );
    expectError(
      await createReferral(t, 'township-a-doctor', upReferral({ toInstitutionId: 'no-such-hospital' })),
      422,
      'REFERRAL_UNKNOWN_DESTINATION',
    );
    expectError(
      await createReferral(t, 'township-a-doctor', upReferral({ toDepartmentId: 'dermatology' })),
      422,
      'REFERRAL_UNKNOWN_DESTINATION',
    );
    expectError(
      await createReferral(
        t,
        'township-a-doctor',
        upReferral({ toInstitutionId: 'township-b', toDepartmentId: 'general-practice' }),
      ),
      422,
      'REFERRAL_ROUTE_NOT_ALLOWED',
    );
    const badId = upReferral();
    badId.patient = { ...badId.patient, identityNumber: '110105194912310021' };
    expectError(await createReferral(t, 'township-a-doctor', badId), 422, 'REFERRAL_IDENTITY_NUMBER_INVALID');
    const down = {
      ...upReferral(),
      toInstitutionId: 'township-a',
      toDepartmentId: 'general-practice',
      urgency: 'routine',
    };
    expectError(await createReferral(t, 'county-cardiology', down), 422, 'REFERRAL_REHABILITATION_PLAN_REQUIRED');
    expectError(
      await createReferral(t, 'county-cardiology', { ...down, rehabilitationPlan: 'rest', returnsFromReferralId: id }),
      422,
      'REFERRAL_RETURN_LINK_INVALID',
    );
    expect(await footprint()).toEqual(before);
    const justified = await createReferral(t, 'township-a-doctor', {
      ...catalog,
      justification: '三种降压药联合仍未达标，需排查继发性高血压',
    });
    expect(justified.status).toBe(201);
    expect(justified.body.diagnosis.inTownshipCatalog).toBe(true);
  });

  it('lists with filters and a cursor that pages through without gaps or repeats', async () => {
    for (let i = 0; i < 7; i++)
      await createReferral(t, 'township-c-doctor', upReferral({ urgency: i % 2 ? 'routine' : 'urgent' }));
    const token = await t.token('township-c-doctor');
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: request.Response = await request(t.url)
        .get(`/api/referrals?limit=3${cursor ? `&cursor=${cursor}` : ''}`)
        .set('Authorization', `Bearer ${token}`);
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((r: { id: string }) => r.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
    const urgent = await request(t.url)
      .get('/api/referrals?urgency=urgent&status=requested,received&direction=up')
      .set('Authorization', `Bearer ${token}`);
    expect(urgent.body.items).toHaveLength(4);
    const none = await request(t.url)
      .get(`/api/referrals?createdFrom=${new Date(Date.now() + 60_000).toISOString()}`)
      .set('Authorization', `Bearer ${token}`);
    expect(none.body.items).toHaveLength(0);
    const coordinator = await request(t.url)
      .get('/api/referrals?institutionId=township-c&limit=100')
      .set('Authorization', `Bearer ${await t.token('county-coordinator')}`);
    expect(coordinator.body.items).toHaveLength(7);
  });
});
