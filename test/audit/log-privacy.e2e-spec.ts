import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { startTestApp, TestApp, waitFor } from '@countylink/testing';
import { STANDALONE_APPS } from '../../apps/standalone/src/standalone-apps';
import { createReferral, directoryReplicated, upReferral } from '../clinician-realtime/realtime-fixtures';
import { fixture, stow } from '../remote-diagnosis/support/diagnosis-fixtures';
import { cloneWithNewUids } from '../remote-diagnosis/support/dicom-writer';
import { ecgOrder, orderRead, readAction } from '../remote-diagnosis/support/read-helpers';

/** This suite's patient and what is written about them: none of it may reach a log line. */
const PATIENT = { name: '欧阳秀珍', birthDate: '1949-07-21', identityNumber: '11010519491231002X' };
const CLINICAL = { summary: '夜间阵发性呼吸困难伴端坐呼吸三天', question: '活动后胸闷气短，请排除急性冠脉综合征' };
const REPORT = {
  findings: '窦性心律，II、III、aVF导联ST段抬高0.2mV，对应导联ST段压低',
  impression: '急性下壁ST段抬高型心肌梗死（测试报告文本）',
  treatmentPlan: '立即启动胸痛中心绿色通道，双抗负荷后转县医院急诊介入（测试治疗方案）',
  criticalValue: { category: 'acute-stemi', description: '下壁导联ST段抬高，急性心肌梗死（测试危急值）' },
};
const FORBIDDEN = [
  PATIENT.name,
  encodeURIComponent(PATIENT.name),
  PATIENT.birthDate,
  PATIENT.identityNumber,
  CLINICAL.summary,
  CLINICAL.question,
  REPORT.findings,
  REPORT.impression,
  REPORT.treatmentPlan,
  REPORT.criticalValue.description,
];

/**
 * Representative flows of the whole backbone at LOG_LEVEL=debug — a green-channel referral that pages
 * the on-duty doctor, searches by patient in the query string, a refused read whose stated reason
 * names the patient, an ECG reported with a critical value that pages the requesting doctor — and
 * the app's log afterwards: it has its access log and the pages, and not a word about the patient.
 */
describe('the logs of patient flows', () => {
  let t: TestApp;
  const logFile = join(mkdtempSync(join(tmpdir(), 'countylink-logs-')), 'app.log');
  const log = () => readFileSync(logFile, 'utf8');

  beforeAll(async () => {
    t = await startTestApp({
      features: STANDALONE_APPS.map((a) => a.module),
      dataSources: STANDALONE_APPS.map((a) => a.dataSource),
      env: {
        DICOM_STORAGE_DIR: mkdtempSync(join(tmpdir(), 'countylink-dicom-')),
        LOG_FILE: logFile,
        LOG_LEVEL: 'debug',
      },
    });
    await directoryReplicated(t);
  });
  afterAll(() => t?.close());

  it('carries no patient name, birth date, identity number, clinical or report text', async () => {
    const patient = { patientId: `TA-${randomUUID().slice(0, 8)}`, sex: 'female', ...PATIENT };
    const referral = await createReferral(
      t,
      'township-a-doctor',
      upReferral({
        patient,
        urgency: 'emergency',
        greenChannelCentre: 'chest-pain',
        clinicalSummary: CLINICAL.summary,
      }),
    );
    expect(referral.status).toBe(201);
    const doctor = `Bearer ${await t.token('township-a-doctor')}`;
    // Searches by the patient: the query string is in the access log (a 400 for the unknown key too).
    expect(
      (await request(t.url).get('/api/referrals').query({ patientId: PATIENT.name }).set('Authorization', doctor))
        .status,
    ).toBe(200);
    expect(
      (
        await request(t.url)
          .get('/api/referrals')
          .query({ name: PATIENT.name, birthDate: PATIENT.birthDate })
          .set('Authorization', doctor)
      ).status,
    ).toBe(400);
    // A refused read whose stated purpose names the patient (percent-encoded: a header is Latin-1).
    const refused = await request(t.url)
      .get(`/api/referrals/${referral.body.id}`)
      .set('Authorization', `Bearer ${await t.token('township-b-doctor')}`)
      .set('X-Access-Reason', `recheck ${encodeURIComponent(PATIENT.name)}`);
    expect(refused.status).toBe(404);

    const order = ecgOrder({
      patient: { patientId: patient.patientId, name: PATIENT.name, sex: 'F', birthDate: PATIENT.birthDate },
      clinicalQuestion: CLINICAL.question,
    });
    const ordered = await orderRead(t, 'township-a-doctor', order);
    expect(ordered.status).toBe(201);
    const { bytes } = cloneWithNewUids(readFileSync(fixture('waveform_ecg.dcm')), {
      x00080050: order.accessionNumber,
      x00100020: order.patient.patientId,
    });
    expect((await stow(t, 'township-a-doctor', [bytes])).status).toBe(200);
    expect((await readAction(t, 'county-ecg', ordered.body.id, 'claim')).status).toBe(200);
    expect((await readAction(t, 'county-ecg', ordered.body.id, 'report', REPORT)).status).toBe(200);

    // Both alerts paged someone (the logging pager), and the access log has the requests.
    await waitFor(
      'the pages of both alerts',
      () => (log().match(/no pager provider configured/g) ?? []).length >= 2,
      30_000,
    );
    const text = log();
    expect(text).toMatch(/"url":"\/api\/referrals\?patientId=\[redacted\]"/);
    expect(text).toMatch(/"url":"\/api\/reads\/[0-9a-f-]+\/report"/);
    expect(text.split('\n').length).toBeGreaterThan(20);
    expect(FORBIDDEN.filter((s) => text.includes(s))).toEqual([]);
  });
});
