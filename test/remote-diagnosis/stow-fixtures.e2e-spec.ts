import { readFileSync } from 'node:fs';
import { FailureReason } from '../../apps/remote-diagnosis/src/dicom/stow-failure';
import {
  DiagnosisTestApp,
  failureReasons,
  fixture,
  fixtureNames,
  referencedInstances,
  startDiagnosisApp,
  storedFiles,
  stow,
  tmpFiles,
} from './support/diagnosis-fixtures';

/**
 * The right answer for every real file of the shared fixtures, uploaded in name order to one app.
 * Refused files name their reason. Notes:
 * - MR_small_RLE/_bigendian/_implicit carry MR_small's SOP Instance UID with other bytes: once
 *   MR_small is stored they are "a different object under an existing SOP Instance UID" (each is
 *   stored when it comes first: see the last test).
 * - no_meta.dcm is CT_small cut one byte too early (it starts with the last byte of the file meta),
 *   so it is not a DICOM data set; a correctly cut bare data set is stored (see the last test).
 * - ExplVR_BigEndNoMeta.dcm (an RT plan) has no Patient ID; rtplan.dcm is a SOP class the group does not take.
 * - badVR.dcm says Number of Frames (IS) is "1A".
 */
const EXPECTED: Record<string, 'stored' | FailureReason> = {
  'CT_small.dcm': 'stored',
  'ExplVR_BigEndNoMeta.dcm': FailureReason.DataSetDoesNotMatchSopClass,
  'JPEG-lossy.dcm': 'stored',
  'JPEG2000.dcm': 'stored',
  'MR_small.dcm': 'stored',
  'MR_small_RLE.dcm': FailureReason.DuplicateSopInstance,
  'MR_small_bigendian.dcm': FailureReason.DuplicateSopInstance,
  'MR_small_implicit.dcm': FailureReason.DuplicateSopInstance,
  'MR_truncated.dcm': FailureReason.CannotUnderstand,
  'SC_rgb_small_odd.dcm': 'stored',
  'badVR.dcm': FailureReason.CannotUnderstand,
  'image_dfl.dcm': 'stored',
  'meta_missing_tsyntax.dcm': FailureReason.CannotUnderstand,
  'no_meta.dcm': FailureReason.CannotUnderstand,
  'reportsi.dcm': 'stored',
  'rtplan.dcm': FailureReason.SopClassNotSupported,
  'rtplan_truncated.dcm': FailureReason.CannotUnderstand,
  'waveform_ecg.dcm': 'stored',
};

describe('STOW-RS of the shared real DICOM files', () => {
  let t: DiagnosisTestApp;

  beforeAll(async () => {
    t = await startDiagnosisApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('has an expectation for every fixture file', () => {
    expect(fixtureNames()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(Object.entries(EXPECTED))('%s → %s', async (name, expected) => {
    const before = storedFiles(t.storageDir).length;
    const [{ count: rowsBefore }] = await t.dataSource.query('SELECT count(*)::int AS count FROM diagnosis.instance');
    const res = await stow(t, 'township-a-doctor', [readFileSync(fixture(name))]);
    expect(res.headers['content-type']).toMatch(/^application\/dicom\+json/);
    const [{ count: rowsAfter }] = await t.dataSource.query('SELECT count(*)::int AS count FROM diagnosis.instance');
    if (expected === 'stored') {
      expect({ status: res.status, body: res.body }).toMatchObject({ status: 200 });
      expect(referencedInstances(res.body)).toHaveLength(1);
      expect(rowsAfter).toBe(rowsBefore + 1);
      expect(storedFiles(t.storageDir).length).toBe(before + 1);
    } else {
      expect({ status: res.status, body: res.body }).toMatchObject({ status: 409 });
      expect(failureReasons(res.body)).toEqual([expected]);
      expect(res.body['00081198'].Value[0]['00000902'].Value[0]).toEqual(expect.any(String));
      expect(rowsAfter).toBe(rowsBefore);
      expect(storedFiles(t.storageDir).length).toBe(before);
    }
    expect(tmpFiles(t.storageDir)).toEqual([]);
  });

  it('stores each transfer syntax of MR_small when it comes first, and a bare data set from an old modality', async () => {
    const ct = readFileSync(fixture('CT_small.dcm'));
    // CT_small's data set without preamble or file meta, as old modalities send it; its first element tells the encoding.
    const metaEnd = 132 + 12 + ct.readUInt32LE(140);
    for (const bytes of [
      readFileSync(fixture('MR_small_RLE.dcm')),
      readFileSync(fixture('MR_small_bigendian.dcm')),
      readFileSync(fixture('MR_small_implicit.dcm')),
      ct.subarray(metaEnd),
    ]) {
      const fresh = await startDiagnosisApp();
      try {
        const res = await stow(fresh, 'township-a-doctor', [bytes]);
        expect({ status: res.status, body: res.body }).toMatchObject({ status: 200 });
        expect(storedFiles(fresh.storageDir)).toHaveLength(1);
      } finally {
        await fresh.close();
      }
    }
  });
});
