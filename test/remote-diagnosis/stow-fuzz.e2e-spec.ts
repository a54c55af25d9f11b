import { readFileSync } from 'node:fs';
import request from 'supertest';
import { FailureReason } from '../../apps/remote-diagnosis/src/dicom/stow-failure';
import {
  DiagnosisTestApp,
  failureReasons,
  fixture,
  referencedInstances,
  startDiagnosisApp,
  storedFiles,
  stow,
  tmpFiles,
} from './support/diagnosis-fixtures';
import { cloneWithNewUids, deflatedCopy, dxBuffer, withSopClass } from './support/dicom-writer';
import { fuzzCorpus } from './support/fuzz-corpus';

const SEED = Number(process.env.FUZZ_SEED ?? 20261122);
const COUNT = 2000;
const BATCH = 20;

describe(`fuzzed uploads (${COUNT} mutants of every accepted SOP class and transfer syntax, seed ${SEED})`, () => {
  let t: DiagnosisTestApp;
  const fresh = (b: Buffer) => cloneWithNewUids(b).bytes;
  const ecg = readFileSync(fixture('waveform_ecg.dcm'));
  const corpus = fuzzCorpus(
    [
      { name: 'CT_small', bytes: readFileSync(fixture('CT_small.dcm')), prepare: fresh },
      { name: 'MR_small_implicit', bytes: readFileSync(fixture('MR_small_implicit.dcm')) },
      { name: 'MR_small_bigendian', bytes: readFileSync(fixture('MR_small_bigendian.dcm')) },
      { name: 'MR_small_RLE', bytes: readFileSync(fixture('MR_small_RLE.dcm')), prepare: fresh },
      { name: 'JPEG-lossy', bytes: readFileSync(fixture('JPEG-lossy.dcm')), prepare: fresh },
      { name: 'image_dfl', bytes: readFileSync(fixture('image_dfl.dcm')) },
      { name: 'reportsi', bytes: readFileSync(fixture('reportsi.dcm')), prepare: fresh },
      { name: 'SC_rgb_small_odd', bytes: readFileSync(fixture('SC_rgb_small_odd.dcm')), prepare: fresh },
      { name: 'dx', bytes: dxBuffer({ rows: 64, columns: 48 }), prepare: fresh },
      { name: 'waveform_ecg', bytes: ecg, prepare: fresh },
      { name: 'general_ecg', bytes: ecg, prepare: (b) => withSopClass(fresh(b), '1.2.840.10008.5.1.4.1.1.9.1.2') },
      { name: 'hemodynamic', bytes: ecg, prepare: (b) => withSopClass(fresh(b), '1.2.840.10008.5.1.4.1.1.9.2.1') },
      { name: 'deflated_ecg', bytes: ecg, prepare: (b) => deflatedCopy(fresh(b)) },
      { name: 'JPEG2000', bytes: readFileSync(fixture('JPEG2000.dcm')) },
      { name: 'no_meta', bytes: readFileSync(fixture('no_meta.dcm')) },
    ],
    COUNT,
    SEED,
  );

  beforeAll(async () => {
    t = await startDiagnosisApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers every mutant with a stored instance or a reason: no 5xx, no crash, no processing failure, no leftovers', async () => {
    const token = await t.token('township-a-doctor');
    const stored = new Set<string>();
    const reasons = new Map<number, number>();
    for (let i = 0; i < corpus.length; i += BATCH) {
      const batch = corpus.slice(i, i + BATCH);
      const res = await stow(
        t,
        { token },
        batch.map((m) => m.bytes),
      );
      expect({ batch: i, ok: [200, 202, 409].includes(res.status) }).toEqual({ batch: i, ok: true });
      const refs = referencedInstances(res.body);
      const failed = failureReasons(res.body);
      expect(refs.length + failed.length).toBe(batch.length);
      for (const r of refs) stored.add(r);
      for (const f of failed) reasons.set(f, (reasons.get(f) ?? 0) + 1);
    }
    process.stdout.write(
      `fuzz: ${stored.size} stored, refused by reason ${JSON.stringify(Object.fromEntries([...reasons].map(([k, v]) => [`0x${k.toString(16)}`, v])))}\n`,
    );
    expect(reasons.has(FailureReason.ProcessingFailure)).toBe(false);
    expect(reasons.size).toBeGreaterThan(2);
    const [{ rows, blobs }] = await t.dataSource.query(
      'SELECT count(*)::int AS rows, count(DISTINCT sha256)::int AS blobs FROM diagnosis.instance',
    );
    expect(rows).toBe(stored.size);
    expect(storedFiles(t.storageDir)).toHaveLength(blobs);
    expect(tmpFiles(t.storageDir)).toEqual([]);
    expect((await request(t.url).get('/health/live')).status).toBe(200);
  }, 240_000);

  it('renders every stored mutant or says why it cannot (never a 5xx)', async () => {
    const token = await t.token('township-a-doctor');
    const instances: Array<{ study: string; series: string; sop: string }> = await t.dataSource.query(
      'SELECT study_instance_uid AS study, series_instance_uid AS series, sop_instance_uid AS sop FROM diagnosis.instance ORDER BY sop_instance_uid LIMIT 200',
    );
    const statuses = new Map<number, number>();
    for (const i of instances) {
      const res = await request(t.url)
        .get(`/dicomweb/studies/${i.study}/series/${i.series}/instances/${i.sop}/rendered`)
        .set('Authorization', `Bearer ${token}`);
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      expect([200, 406]).toContain(res.status);
      const meta = await request(t.url)
        .get(`/dicomweb/studies/${i.study}/series/${i.series}/instances/${i.sop}/metadata`)
        .set('Authorization', `Bearer ${token}`);
      expect(meta.status).toBe(200);
    }
    process.stdout.write(`fuzz renders: ${JSON.stringify(Object.fromEntries(statuses))}\n`);
  }, 120_000);
});
