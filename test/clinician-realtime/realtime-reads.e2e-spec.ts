import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { startTestApp, TestApp } from '@countylink/testing';
import { REALTIME_DATA_SOURCE } from '../../apps/clinician-realtime/src/clinician-realtime.constants';
import { ClinicianRealtimeModule } from '../../apps/clinician-realtime/src/clinician-realtime.module';
import type { AlertNotice, ReadNotice } from '../../apps/clinician-realtime/src/notifications/notification-types';
import { REFERRAL_DATA_SOURCE } from '../../apps/referral-registry/src/referral-registry.constants';
import { ReferralRegistryModule } from '../../apps/referral-registry/src/referral-registry.module';
import { DIAGNOSIS_DATA_SOURCE } from '../../apps/remote-diagnosis/src/remote-diagnosis.constants';
import { RemoteDiagnosisModule } from '../../apps/remote-diagnosis/src/remote-diagnosis.module';
import { fixture, stow } from '../remote-diagnosis/support/diagnosis-fixtures';
import { cloneWithNewUids } from '../remote-diagnosis/support/dicom-writer';
import { Clinician, ClinicianSockets, directoryReplicated } from './realtime-fixtures';

/** 基层检查 + 上级诊断, live: the ECG reaches the county desk's sockets, the report and a critical value come back. */
describe('remote reads pushed to clinicians', () => {
  let t: TestApp;
  const sockets = new ClinicianSockets(() => t);
  beforeAll(async () => {
    t = await startTestApp({
      features: [ReferralRegistryModule, RemoteDiagnosisModule, ClinicianRealtimeModule],
      dataSources: [REFERRAL_DATA_SOURCE, DIAGNOSIS_DATA_SOURCE, REALTIME_DATA_SOURCE],
      env: { DICOM_STORAGE_DIR: mkdtempSync(join(tmpdir(), 'countylink-dicom-')) },
    });
    await directoryReplicated(t);
  });
  afterAll(async () => {
    sockets.closeAll();
    await t?.close();
  });
  const connect = (login: string) => sockets.connect(login);

  it('pushes read.ready to the ECG desk, the report to the township doctor, and raises a critical-value alert there', async () => {
    const desk = await connect('county-ecg');
    const doctor = await connect('township-a-doctor');
    const otherTownship = await connect('township-b-doctor');
    // Other suites upload ECGs through the same Kafka cluster: this upload is told apart by its accession number.
    const accessionNumber = `RT${Date.now().toString(36).toUpperCase()}`;
    const stored = await stow(t, 'township-a-doctor', [
      cloneWithNewUids(readFileSync(fixture('waveform_ecg.dcm')), { x00080050: accessionNumber }).bytes,
    ]);
    expect(stored.status).toBe(200);

    const mine = (c: Clinician, type: string) =>
      c.of(type).filter((x) => (x.data as ReadNotice).accessionNumber === accessionNumber);
    await desk.waitFor('read.ready on the ECG desk', () => mine(desk, 'read.ready').length > 0);
    const [ready] = mine(desk, 'read.ready');
    expect(ready.scope).toBe('worklist:county-hospital:reads:ecg');
    const readId = (ready.data as ReadNotice).readId;
    expect(ready.data).toMatchObject({ modality: 'ECG', requestingInstitutionId: 'township-a', status: 'ready' });

    const ecg = `Bearer ${await t.token('county-ecg')}`;
    expect((await request(t.url).post(`/api/reads/${readId}/claim`).set('Authorization', ecg)).status).toBe(200);
    const report = await request(t.url)
      .post(`/api/reads/${readId}/report`)
      .set('Authorization', ecg)
      .send({
        findings: 'V1-V4 ST段抬高',
        impression: '急性前壁心肌梗死',
        treatmentPlan: '立即转县医院PCI',
        criticalValue: { category: 'acute-mi', description: '急性ST段抬高型心肌梗死' },
      });
    expect(report.status).toBe(200);

    const alerts = () => doctor.of('alert.raised').filter((x) => (x.data as AlertNotice).subjectId === readId);
    await doctor.waitFor(
      'the report and the alert',
      () => doctor.of('read.reported', readId).length > 0 && alerts().length > 0,
    );
    expect(doctor.of('read.reported', readId)[0].data).toMatchObject({
      treatmentPlan: '立即转县医院PCI',
      impression: '急性前壁心肌梗死',
    });
    expect(alerts()[0].data).toMatchObject({
      kind: 'critical-value',
      subjectType: 'read',
      subjectId: readId,
      institutionId: 'township-a',
    });
    const aboutThisRead = (f: { subject: { id: string }; data: unknown }) =>
      f.subject.id === readId || (f.data as { subjectId?: string }).subjectId === readId;
    expect(otherTownship.frames.filter(aboutThisRead)).toEqual([]);
  });
});
