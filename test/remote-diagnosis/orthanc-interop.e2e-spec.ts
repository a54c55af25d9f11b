import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunningOrthanc, startOrthanc } from '@countylink/testing';
import { DiagnosisTestApp, fixture, startDiagnosisApp } from './support/diagnosis-fixtures';
import { cloneWithNewUids, dxBuffer } from './support/dicom-writer';

/** Orthanc's REST API, JSON in and out; a non-2xx answer fails with what Orthanc said. */
async function orthancCall<T>(orthanc: RunningOrthanc, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${orthanc.url}${path}`, {
    method,
    headers: body instanceof Buffer ? { 'Content-Type': 'application/dicom' } : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : body instanceof Buffer ? body : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`Orthanc ${method} ${path}: ${res.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

const fileOf = async (orthanc: RunningOrthanc, sop: string): Promise<Buffer | undefined> => {
  const [id] = await orthancCall<string[]>(orthanc, 'POST', '/tools/find', {
    Level: 'Instance',
    Query: { SOPInstanceUID: sop },
  });
  if (!id) return undefined;
  return Buffer.from(await (await fetch(`${orthanc.url}/instances/${id}/file`)).arrayBuffer());
};

describe('a township PACS (Orthanc + DICOMweb plugin) pushes to and retrieves from CountyLink', () => {
  let t: DiagnosisTestApp;
  let orthanc: RunningOrthanc;

  beforeAll(async () => {
    t = await startDiagnosisApp();
    // The PACS is township A's system account, as a real one would be configured with a bearer token.
    const token = await t.token('his-township-a');
    orthanc = await startOrthanc({
      workDir: mkdtempSync(join(tmpdir(), 'countylink-orthanc-')),
      name: 'township-a-pacs',
      peers: { countylink: { url: `${t.url}/dicomweb/`, headers: { Authorization: `Bearer ${token}` } } },
    });
  }, 90_000);
  afterAll(async () => {
    await orthanc?.stop();
    await t?.close();
  });

  it('sends a DX and an ECG with its "send to DICOMweb server" job, then gets them back byte for byte with QIDO + WADO-RS', async () => {
    const dx = dxBuffer({ rows: 512, columns: 400, patientId: 'TA-PACS-1', accessionNumber: 'PACS-DX-1' });
    const ecg = cloneWithNewUids(readFileSync(fixture('waveform_ecg.dcm'))).bytes;
    const uploaded = await Promise.all(
      [dx, ecg].map((bytes) => orthancCall<{ ID: string; ParentStudy: string }>(orthanc, 'POST', '/instances', bytes)),
    );
    const originals = await Promise.all(
      uploaded.map(async (u) => ({
        ...u,
        bytes: Buffer.from(await (await fetch(`${orthanc.url}/instances/${u.ID}/file`)).arrayBuffer()),
      })),
    );
    const tags = await Promise.all(
      uploaded.map((u) =>
        orthancCall<{ SOPInstanceUID: string; StudyInstanceUID: string }>(
          orthanc,
          'GET',
          `/instances/${u.ID}/simplified-tags`,
        ),
      ),
    );

    // Push: Orthanc's DICOMweb client, as the PACS's "send to DICOMweb server" does it.
    await orthancCall(orthanc, 'POST', '/dicom-web/servers/countylink/stow', {
      Resources: uploaded.map((u) => u.ParentStudy),
      Synchronous: true,
    });
    const stored: Array<{ sop: string; sha256: string }> = await t.dataSource.query(
      'SELECT sop_instance_uid AS sop, sha256 FROM diagnosis.instance WHERE sop_instance_uid = ANY($1)',
      [tags.map((x) => x.SOPInstanceUID)],
    );
    expect(stored.map((s) => s.sop).sort()).toEqual(tags.map((x) => x.SOPInstanceUID).sort());
    const [ecgRead] = await t.dataSource.query(
      'SELECT r.status FROM diagnosis.read r JOIN diagnosis.study s ON s.read_id = r.id WHERE s.study_instance_uid = $1',
      [tags[1].StudyInstanceUID],
    );
    expect(ecgRead?.status).toBe('ready');

    // The PACS forgets them, then finds and retrieves them from the county.
    for (const u of uploaded) await orthancCall(orthanc, 'DELETE', `/studies/${u.ParentStudy}`);
    for (const [i, tag] of tags.entries()) {
      const found = await orthancCall<Array<Record<string, { Value?: unknown }>>>(
        orthanc,
        'POST',
        '/dicom-web/servers/countylink/qido',
        { Uri: '/studies', Arguments: { StudyInstanceUID: tag.StudyInstanceUID } },
      );
      // Orthanc hands its caller the answer re-shaped: a single Value as a plain string.
      expect(found.map((s) => s['0020000D']?.Value)).toEqual([tag.StudyInstanceUID]);
      await orthancCall(orthanc, 'POST', '/dicom-web/servers/countylink/retrieve', {
        Resources: [{ Study: tag.StudyInstanceUID }],
        Synchronous: true,
      });
      const back = await fileOf(orthanc, tag.SOPInstanceUID);
      expect(back?.equals(originals[i].bytes)).toBe(true);
    }
  });
});
