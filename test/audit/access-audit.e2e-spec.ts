import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { startTestApp, TestApp, waitFor } from '@countylink/testing';
import { STANDALONE_APPS } from '../../apps/standalone/src/standalone-apps';
import {
  Clinician,
  createReferral,
  directoryReplicated,
  sql,
  upReferral,
} from '../clinician-realtime/realtime-fixtures';

const SCHEMAS = ['referral', 'diagnosis', 'scheduling', 'realtime'];

interface AuditRow {
  actor_subject: string;
  action: string;
  resource_type: string;
  resource_id: string | null;
  resource_ids: string[];
  reason: string;
}

/**
 * Every push of patient data over a socket and every refused read (a 404 for another institution's
 * record) leaves an audit row, in the schema of the app that served it; and the audit tables take
 * rows but never lose or change one, whoever asks — the apps' own database role included.
 */
describe('the audit trail', () => {
  let t: TestApp;
  const open: Clinician[] = [];
  const audit = (schema: string, where = 'true', params: unknown[] = []) =>
    sql<AuditRow>(
      t.config.DATABASE_URL,
      `SELECT actor_subject, action, resource_type, resource_id, resource_ids, reason FROM ${schema}.audit_entry WHERE ${where} ORDER BY id`,
      params,
    );

  beforeAll(async () => {
    t = await startTestApp({
      features: STANDALONE_APPS.map((a) => a.module),
      dataSources: STANDALONE_APPS.map((a) => a.dataSource),
      env: { DICOM_STORAGE_DIR: mkdtempSync(join(tmpdir(), 'countylink-dicom-')) },
    });
    await directoryReplicated(t);
  });
  afterAll(async () => {
    for (const c of open) c.close();
    await t?.close();
  });

  it('records a refused read, in the schema of the app that refused it, with the route and the id asked for', async () => {
    const referral = (await createReferral(t, 'township-a-doctor', upReferral())).body.id as string;
    const other = `Bearer ${await t.token('township-b-doctor')}`;
    expect(
      (
        await request(t.url)
          .get(`/api/referrals/${referral}`)
          .set('Authorization', other)
          .set('X-Access-Reason', 'checking a transfer')
      ).status,
    ).toBe(404);
    expect(await audit('referral', "action = 'access.refused' AND resource_id = $1", [referral])).toEqual([
      {
        actor_subject: 'township-b-doctor',
        action: 'access.refused',
        resource_type: 'GET /api/referrals/:id',
        resource_id: referral,
        resource_ids: [referral],
        reason: 'checking a transfer',
      },
    ]);
    // An action on it is refused and audited the same way.
    expect(
      (await request(t.url).post(`/api/referrals/${referral}/cancel`).set('Authorization', other).send({ reason: 'x' }))
        .status,
    ).toBe(404);
    expect(
      (await audit('referral', "action = 'access.refused' AND resource_id = $1", [referral])).map(
        (r) => r.resource_type,
      ),
    ).toEqual(['GET /api/referrals/:id', 'POST /api/referrals/:id/cancel']);

    const order = await request(t.url)
      .post('/api/reads')
      .set('Authorization', `Bearer ${await t.token('township-a-doctor')}`)
      .set('Idempotency-Key', randomUUID())
      .send({
        patient: { patientId: `TA-${randomUUID().slice(0, 8)}`, name: '孙玉兰', sex: 'F' },
        modality: 'ECG',
        priority: 'urgent',
        clinicalQuestion: '胸闷',
      });
    expect(order.status).toBe(201);
    expect((await request(t.url).get(`/api/reads/${order.body.id}`).set('Authorization', other)).status).toBe(404);
    expect(await audit('diagnosis', "action = 'access.refused' AND resource_id = $1", [order.body.id])).toMatchObject([
      {
        actor_subject: 'township-b-doctor',
        resource_type: 'GET /api/reads/:id',
        reason: 'not found or not visible to the caller',
      },
    ]);
    // Each app audits its own routes only.
    for (const schema of ['scheduling', 'realtime'])
      expect(await audit(schema, "action = 'access.refused'")).toEqual([]);
    // A request without a token is no one's read: 401, nothing recorded.
    expect((await request(t.url).get(`/api/referrals/${randomUUID()}`)).status).toBe(401);
  });

  it('records every notification pushed over a socket, to whom', async () => {
    const c = await Clinician.connect(t.url, { token: await t.token('township-a-doctor') });
    open.push(c);
    const id = (await createReferral(t, 'township-a-doctor', upReferral())).body.id as string;
    const [frame] = await c.waitFor('the push', (f) => f.some((x) => x.subject.id === id));
    const pushed = await waitFor(
      'its audit row',
      async () => {
        const rows = await audit(
          'realtime',
          "action = 'notification.push' AND actor_subject = 'township-a-doctor' AND $1 = ANY(resource_ids)",
          [frame.id],
        );
        return rows.length > 0 && rows;
      },
      10_000,
    );
    expect(pushed).toEqual([expect.objectContaining({ resource_type: 'notification', reason: 'live push' })]);
    // Who it was sent to, as the token said: institution and roles (arrays survive the batched insert).
    expect(
      await sql(
        t.config.DATABASE_URL,
        `SELECT actor_institution_id, actor_roles, request_id FROM realtime.audit_entry
         WHERE action = 'notification.push' AND actor_subject = 'township-a-doctor' AND $1 = ANY(resource_ids)`,
        [frame.id],
      ),
    ).toEqual([{ actor_institution_id: 'township-a', actor_roles: ['township-doctor'], request_id: null }]);
  });

  it("takes rows but refuses UPDATE, DELETE and TRUNCATE, even from the apps' own role", async () => {
    for (const schema of SCHEMAS) {
      await sql(
        t.config.DATABASE_URL,
        `INSERT INTO ${schema}.audit_entry (actor_subject, actor_institution_id, actor_roles, action, resource_type, reason) VALUES ('probe', 'county-hospital', '{}', 'probe', 'probe', 'test')`,
      );
      const before = await audit(schema);
      expect(before.length).toBeGreaterThan(0);
      for (const statement of [
        `DELETE FROM ${schema}.audit_entry`,
        `DELETE FROM ${schema}.audit_entry WHERE false`,
        `UPDATE ${schema}.audit_entry SET reason = 'rewritten'`,
        `TRUNCATE ${schema}.audit_entry`,
      ]) {
        await expect(sql(t.config.DATABASE_URL, statement)).rejects.toThrow(
          /audit_entry is append-only|permission denied/,
        );
      }
      expect(await audit(schema)).toEqual(before);
    }
  });
});
