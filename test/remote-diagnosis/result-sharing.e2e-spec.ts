import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { startTestApp, TestApp, waitFor } from '@countylink/testing';
import { REFERRAL_DATA_SOURCE } from '../../apps/referral-registry/src/referral-registry.constants';
import { ReferralRegistryModule } from '../../apps/referral-registry/src/referral-registry.module';
import { DIAGNOSIS_DATA_SOURCE } from '../../apps/remote-diagnosis/src/remote-diagnosis.constants';
import { RemoteDiagnosisModule } from '../../apps/remote-diagnosis/src/remote-diagnosis.module';
import { act, createReferral, upReferral } from '../referral-registry/referral-fixtures';
import { fixture, stow } from './support/diagnosis-fixtures';
import { cloneWithNewUids } from './support/dicom-writer';
import { getAs } from './support/read-helpers';

/**
 * 结果互认: the county's CT of a patient becomes visible to the township centre the patient is
 * referred down to — and only while that referral stands; other townships never see it.
 */
describe('results shared through a referral (结果互认)', () => {
  let t: TestApp;
  let db: DataSource;
  const ct = readFileSync(fixture('CT_small.dcm'));

  beforeAll(async () => {
    t = await startTestApp({
      features: [ReferralRegistryModule, RemoteDiagnosisModule],
      dataSources: [REFERRAL_DATA_SOURCE, DIAGNOSIS_DATA_SOURCE],
      env: { DICOM_STORAGE_DIR: mkdtempSync(join(tmpdir(), 'countylink-dicom-')) },
    });
    db = t.app.get<DataSource>(getDataSourceToken(DIAGNOSIS_DATA_SOURCE));
  });
  afterAll(() => t?.close());

  /** What `login` can reach of the study: QIDO match, WADO metadata, rendering, FHIR, and its read. */
  async function reach(
    login: string,
    patientId: string,
    ids: { studyInstanceUid: string; seriesInstanceUid: string; sopInstanceUid: string },
    readId: string,
  ) {
    const instance = `/dicomweb/studies/${ids.studyInstanceUid}/series/${ids.seriesInstanceUid}/instances/${ids.sopInstanceUid}`;
    const [qido, metadata, rendered, fhir, read, search] = await Promise.all([
      getAs(t, login, `/dicomweb/studies?PatientID=${patientId}`),
      getAs(t, login, `${instance}/metadata`),
      getAs(t, login, `${instance}/rendered`),
      getAs(t, login, `/fhir/ImagingStudy/${ids.studyInstanceUid}`),
      getAs(t, login, `/api/reads/${readId}`),
      getAs(
        t,
        login,
        `/fhir/ImagingStudy?patient:identifier=${encodeURIComponent(`urn:countylink:patient:county-hospital|${patientId}`)}`,
      ),
    ]);
    return {
      found: qido.status === 200 ? qido.body.length : -1,
      metadata: metadata.status,
      rendered: rendered.status,
      fhir: fhir.status,
      read: read.status,
      searched: search.status === 200 ? search.body.total : -1,
    };
  }
  const nothing = { found: 0, metadata: 404, rendered: 404, fhir: 404, read: 404, searched: 0 };
  const everything = { found: 1, metadata: 200, rendered: 200, fhir: 200, read: 200, searched: 1 };

  it('lets the township the patient is referred down to see the county CT while the referral stands, and no one else', async () => {
    const patientId = `CH-${randomUUID().slice(0, 8)}`;
    const { bytes, ids } = cloneWithNewUids(ct, { x00100020: patientId });
    expect((await stow(t, 'his-county', [bytes])).status).toBe(200);
    const county = await getAs(t, 'county-cardiology', `/api/reads?patientId=${patientId}&status=ready`);
    expect(county.body.items).toHaveLength(1);
    const readId: string = county.body.items[0].id;

    expect(await reach('township-a-doctor', patientId, ids, readId)).toEqual(nothing);

    const down = await createReferral(
      t,
      'county-cardiology',
      upReferral({
        patient: { patientId, name: '王建国', sex: 'male', birthDate: '1956-03-14' },
        toInstitutionId: 'township-a',
        toDepartmentId: 'general-practice',
        urgency: 'routine',
        rehabilitationPlan: '术后康复，每周随访；胸部CT已在县医院完成，无需重复检查',
      }),
    );
    expect(down.status).toBe(201);

    // The referral reaches the diagnosis app as an event: wait for it to count, then everything opens.
    await waitFor(
      'the study shared with township A',
      async () => (await getAs(t, 'township-a-doctor', `/dicomweb/studies?PatientID=${patientId}`)).body.length === 1,
    );
    expect(await reach('township-a-doctor', patientId, ids, readId)).toEqual(everything);
    expect(await reach('township-b-doctor', patientId, ids, readId)).toEqual(nothing);

    // Every look by the township is in the audit log.
    const audited = await db.query(
      `SELECT DISTINCT action FROM diagnosis.audit_entry WHERE actor_subject = 'township-a-doctor' AND actor_institution_id = 'township-a'
      AND (resource_id IN ($1, $2, $3) OR $1 = ANY(resource_ids) OR $3 = ANY(resource_ids)) ORDER BY action`,
      [ids.studyInstanceUid, readId, ids.sopInstanceUid],
    );
    expect(audited.map((r: { action: string }) => r.action).length).toBeGreaterThanOrEqual(3);

    // A cancelled referral shares nothing any more.
    expect((await act(t, 'county-cardiology', down.body.id, 'cancel', { reason: '患者选择留院' })).status).toBe(200);
    await waitFor(
      'the share withdrawn',
      async () => (await getAs(t, 'township-a-doctor', `/dicomweb/studies?PatientID=${patientId}`)).body.length === 0,
    );
    expect(await reach('township-a-doctor', patientId, ids, readId)).toEqual(nothing);
  });

  it('shares nothing of another patient, nor of what the receiving side holds', async () => {
    const patientId = `CH-${randomUUID().slice(0, 8)}`;
    const other = cloneWithNewUids(ct, { x00100020: `CH-${randomUUID().slice(0, 8)}` });
    expect((await stow(t, 'his-county', [other.bytes])).status).toBe(200);
    // The referral opens township A's view onto this patient's county files, not onto anyone else's.
    const down = await createReferral(
      t,
      'county-cardiology',
      upReferral({
        patient: { patientId, name: '李明', sex: 'male' },
        toInstitutionId: 'township-a',
        toDepartmentId: 'general-practice',
        urgency: 'routine',
        rehabilitationPlan: '随访',
      }),
    );
    expect(down.status).toBe(201);
    const mine = cloneWithNewUids(ct, { x00100020: patientId });
    expect((await stow(t, 'his-county', [mine.bytes])).status).toBe(200);
    await waitFor(
      'the referred patient shared',
      async () => (await getAs(t, 'township-a-doctor', `/dicomweb/studies?PatientID=${patientId}`)).body.length === 1,
    );
    const all = await getAs(t, 'township-a-doctor', '/dicomweb/studies?limit=1000');
    const uids = all.body.map((s: Record<string, { Value: string[] }>) => s['0020000D'].Value[0]);
    expect(uids).toContain(mine.ids.studyInstanceUid);
    expect(uids).not.toContain(other.ids.studyInstanceUid);
  });
  it('keeps sharing for the set period after the referral completes, then stops, and never shows a study uploaded after', async () => {
    const patientId = `CH-${randomUUID().slice(0, 8)}`;
    const { bytes, ids } = cloneWithNewUids(ct, { x00100020: patientId });
    expect((await stow(t, 'his-county', [bytes])).status).toBe(200);
    const readId: string = (await getAs(t, 'county-cardiology', `/api/reads?patientId=${patientId}&status=ready`)).body
      .items[0].id;
    const down = await createReferral(
      t,
      'county-cardiology',
      upReferral({
        patient: { patientId, name: '赵秀英', sex: 'female' },
        toInstitutionId: 'township-a',
        toDepartmentId: 'general-practice',
        urgency: 'routine',
        rehabilitationPlan: '康复随访',
      }),
    );
    expect(down.status).toBe(201);
    for (const action of ['receive', 'accept', 'arrive', 'complete'])
      expect((await act(t, 'township-a-doctor', down.body.id, action)).status).toBe(200);
    const completedAt = Date.now();
    const share = () =>
      db.query('SELECT active, ends_at FROM diagnosis.referral_share WHERE referral_id = $1', [down.body.id]);
    const [row] = await waitFor('the completion counted', async () =>
      (await share())[0]?.ends_at ? await share() : undefined,
    );
    // 30 days (REFERRAL_SHARE_DAYS_AFTER_COMPLETION's default) from the completion.
    expect(Math.abs(Date.parse(row.ends_at) - completedAt - 30 * 86_400_000)).toBeLessThan(60_000);
    expect(await reach('township-a-doctor', patientId, ids, readId)).toEqual(everything);

    // The period passes (moved into the past instead of waiting a month): QIDO, WADO, FHIR and the read are 404.
    await db.query(`UPDATE diagnosis.referral_share SET ends_at = now() - interval '1 second' WHERE referral_id = $1`, [
      down.body.id,
    ]);
    expect(await reach('township-a-doctor', patientId, ids, readId)).toEqual(nothing);
    const later = cloneWithNewUids(ct, { x00100020: patientId });
    expect((await stow(t, 'his-county', [later.bytes])).status).toBe(200);
    expect((await getAs(t, 'township-a-doctor', `/dicomweb/studies?PatientID=${patientId}`)).body).toEqual([]);
    expect((await getAs(t, 'township-a-doctor', `/fhir/ImagingStudy/${later.ids.studyInstanceUid}`)).status).toBe(404);
  });
});
