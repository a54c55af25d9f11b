import request from 'supertest';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { TestApp } from '@countylink/testing';
import { REFERRAL_DATA_SOURCE } from '../../apps/referral-registry/src/referral-registry.constants';
import { act, createReferral, startReferralApp, upReferral } from './referral-fixtures';

/** GET /api/kpis/referral-volume: 双向转诊 per month on Beijing time, per primary-care institution. */
describe('referral volume KPI', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startReferralApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  const created = async (login: string, body: object) => {
    const res = await createReferral(t, login, body);
    if (res.status !== 201) throw new Error(`referral failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: string; patient: { patientId: string } };
  };
  const kpi = async (login: string, query = '') =>
    request(t.url)
      .get(`/api/kpis/referral-volume${query}`)
      .set('Authorization', `Bearer ${await t.token(login)}`);

  it('counts up and down referrals by Beijing month and primary-care end, with green channel, rejected and completed', async () => {
    const green = await created(
      'township-a-doctor',
      upReferral({ urgency: 'emergency', greenChannelCentre: 'chest-pain' }),
    );
    const rejected = await created('township-a-doctor', upReferral());
    await created('township-b-doctor', upReferral());
    for (const [login, action, body] of [
      ['county-coordinator', 'receive', {}],
      ['county-cardiology', 'accept', {}],
      ['county-coordinator', 'arrive', {}],
    ] as const) {
      expect((await act(t, login, green.id, action, body)).status).toBe(200);
    }
    expect((await act(t, 'county-coordinator', rejected.id, 'receive')).status).toBe(200);
    expect((await act(t, 'county-cardiology', rejected.id, 'reject', { reason: '建议基层继续治疗' })).status).toBe(200);
    await created('county-cardiology', {
      ...upReferral({ toInstitutionId: 'township-a', toDepartmentId: 'general-practice', urgency: 'routine' }),
      diagnosis: { code: 'I25.2', display: '陈旧性心肌梗死' },
      returnsFromReferralId: green.id,
      rehabilitationPlan: '每月随访血压、血脂',
    });
    // 2024-05-31 16:30 UTC is 1 June 00:30 in Beijing: June, not May.
    const db = t.app.get<DataSource>(getDataSourceToken(REFERRAL_DATA_SOURCE));
    await db.query(`UPDATE referral.referral SET created_at = '2024-05-31T16:30:00Z' WHERE id = $1`, [rejected.id]);

    const res = await kpi('group-admin');
    expect(res.status).toBe(200);
    const month = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' })
      .format(new Date())
      .slice(0, 7);
    expect(res.body.timeZone).toBe('Asia/Shanghai');
    expect(res.body.rows).toEqual([
      {
        month: '2024-06',
        direction: 'up',
        primaryCareInstitutionId: 'township-a',
        referrals: 1,
        greenChannel: 0,
        rejected: 1,
        completed: 0,
      },
      {
        month,
        direction: 'down',
        primaryCareInstitutionId: 'township-a',
        referrals: 1,
        greenChannel: 0,
        rejected: 0,
        completed: 0,
      },
      {
        month,
        direction: 'up',
        primaryCareInstitutionId: 'township-a',
        referrals: 1,
        greenChannel: 1,
        rejected: 0,
        completed: 0,
      },
      {
        month,
        direction: 'up',
        primaryCareInstitutionId: 'township-b',
        referrals: 1,
        greenChannel: 0,
        rejected: 0,
        completed: 0,
      },
    ]);
    const june = await kpi('county-coordinator', '?from=2024-05-31T16:00:00Z&to=2024-06-30T16:00:00Z');
    expect(june.body.rows).toHaveLength(1);

    // Township doctors see their own referrals, not the group's figures.
    expect((await kpi('township-a-doctor')).status).toBe(403);
    expect((await kpi('group-admin', '?from=yesterday')).status).toBe(400);
  });
});
