import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { ReadPriority, Topics } from '@countylink/contracts';
import { hisCommandMessage } from '@countylink/his-gateway';
import { startTestApp, TestApp } from '@countylink/testing';
import { REALTIME_DATA_SOURCE } from '../../apps/clinician-realtime/src/clinician-realtime.constants';
import { ClinicianRealtimeModule } from '../../apps/clinician-realtime/src/clinician-realtime.module';
import { REFERRAL_DATA_SOURCE } from '../../apps/referral-registry/src/referral-registry.constants';
import { ReferralRegistryModule } from '../../apps/referral-registry/src/referral-registry.module';
import { DIAGNOSIS_DATA_SOURCE } from '../../apps/remote-diagnosis/src/remote-diagnosis.constants';
import { RemoteDiagnosisModule } from '../../apps/remote-diagnosis/src/remote-diagnosis.module';
import { ClinicianSockets, directoryReplicated } from '../clinician-realtime/realtime-fixtures';
import { fixture, stow } from '../remote-diagnosis/support/diagnosis-fixtures';
import { cloneWithNewUids } from '../remote-diagnosis/support/dicom-writer';
import { HisHarness } from './his-harness';

/**
 * An HIS names the doctor it acts for; CountyLink cannot check that name against the HIS's own
 * staff list, so a name of another institution's doctor must not open that doctor's personal room.
 */
describe('HIS: a practitioner named in a command reaches only their own institution', () => {
  let his: HisHarness;
  let t: TestApp;
  const sockets = new ClinicianSockets(() => t);

  beforeAll(async () => {
    his = await HisHarness.start([Topics.diagnosis], async (kafka) => {
      t = await startTestApp({
        features: [ReferralRegistryModule, RemoteDiagnosisModule, ClinicianRealtimeModule],
        dataSources: [REFERRAL_DATA_SOURCE, DIAGNOSIS_DATA_SOURCE, REALTIME_DATA_SOURCE],
        kafka,
        env: { DICOM_STORAGE_DIR: mkdtempSync(join(tmpdir(), 'countylink-dicom-')) },
      });
      return t;
    });
    await directoryReplicated(t);
  });
  afterAll(async () => {
    sockets.closeAll();
    await his?.stop();
  });
  const connect = (login: string) => sockets.connect(login);

  it("does not push a township-A read to a township-B doctor whom township A's HIS named as the requester", async () => {
    const townshipB = await connect('township-b-doctor');
    const townshipA = await connect('township-a-doctor');
    const desk = await connect('county-ecg');
    const patientId = `TA-${randomUUID().slice(0, 6)}`;
    const { read_id: readId, accession_number: accession } = await his.accepted(
      hisCommandMessage('countylink.his-commands.order-read.v1', {
        context: his.context('township-a'),
        patient: { patientId, name: '王建国' },
        modality: 'ECG',
        priority: ReadPriority.URGENT,
        clinicalQuestion: '胸闷',
        practitionerId: 'township-b-doctor',
        departmentId: 'general-practice',
      }),
    );
    const ecg = cloneWithNewUids(readFileSync(fixture('waveform_ecg.dcm')), {
      x00080050: accession,
      x00100020: patientId,
    });
    expect((await stow(t, 'township-a-doctor', [ecg.bytes])).status).toBe(200);
    await desk.waitFor('read.ready on the ECG desk', () => desk.of('read.ready', readId).length === 1);

    const ecgDesk = `Bearer ${await t.token('county-ecg')}`;
    expect((await request(t.url).post(`/api/reads/${readId}/claim`).set('Authorization', ecgDesk)).status).toBe(200);
    expect(
      (
        await request(t.url)
          .post(`/api/reads/${readId}/report`)
          .set('Authorization', ecgDesk)
          .send({ findings: '窦性心律', impression: '未见明显异常', treatmentPlan: '随访' })
      ).status,
    ).toBe(200);
    // Township A's department hears of its report; the desk sees it; township B's doctor hears nothing.
    await townshipA.waitFor('the report in township A', () => townshipA.of('read.reported', readId).length === 1);
    await desk.waitFor('the report on the desk', () => desk.of('read.reported', readId).length === 1);
    expect(townshipA.of('read.reported', readId)[0].scope).toBe('department:township-a:general-practice');
    expect(townshipB.frames.filter((f) => f.subject.id === readId)).toEqual([]);
  });
});
