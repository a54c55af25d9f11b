import { readFileSync } from 'node:fs';
import request from 'supertest';
import { DiagnosisTestApp, fixture, referencedInstances, startDiagnosisApp, stow } from './support/diagnosis-fixtures';
import { cloneWithNewUids, deflatedCopy, withSopClass } from './support/dicom-writer';

const TWELVE = ['I', 'II', 'III', 'aVR', 'aVL', 'aVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'];
const GENERAL_ECG = '1.2.840.10008.5.1.4.1.1.9.1.2';
const HEMODYNAMIC = '1.2.840.10008.5.1.4.1.1.9.2.1';

describe('every waveform a 12-lead ECG can come in', () => {
  let t: DiagnosisTestApp;
  const ecg = readFileSync(fixture('waveform_ecg.dcm'));

  beforeAll(async () => {
    t = await startDiagnosisApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it.each([
    ['a general ECG', () => withSopClass(cloneWithNewUids(ecg).bytes, GENERAL_ECG)],
    ['a hemodynamic waveform', () => withSopClass(cloneWithNewUids(ecg).bytes, HEMODYNAMIC)],
    ['a deflated 12-lead ECG', () => deflatedCopy(cloneWithNewUids(ecg).bytes)],
  ])('stores %s and renders all twelve leads', async (_what, make) => {
    const bytes = make();
    const res = await stow(t, 'township-a-doctor', [bytes]);
    expect(res.status).toBe(200);
    const [sop] = referencedInstances(res.body);
    const [row] = await t.dataSource.query(
      'SELECT study_instance_uid AS study, series_instance_uid AS series FROM diagnosis.instance WHERE sop_instance_uid = $1',
      [sop],
    );
    const token = await t.token('township-a-doctor');
    const base = `/dicomweb/studies/${row.study}/series/${row.series}/instances/${sop}`;
    const svg = await request(t.url)
      .get(`${base}/rendered`)
      .set('Authorization', `Bearer ${token}`)
      .buffer(true)
      .parse((r, done) => {
        let text = '';
        r.on('data', (c: Buffer) => (text += c.toString('utf8')));
        r.on('end', () => done(null, text));
      });
    expect(svg.status).toBe(200);
    expect(svg.headers['content-type']).toMatch(/^image\/svg\+xml/);
    const labels = new Set([...String(svg.body).matchAll(/class="lead-label"[^>]*>([^<( ]+)/g)].map((m) => m[1]));
    expect([...labels].sort()).toEqual([...TWELVE].sort());
    const waveform = await request(t.url).get(`${base}/waveform`).set('Authorization', `Bearer ${token}`);
    expect(waveform.status).toBe(200);
    expect(waveform.body.leads.map((l: { name: string }) => l.name)).toEqual(TWELVE);
    expect(waveform.body.samplingFrequency).toBe(1000);
  });
});
