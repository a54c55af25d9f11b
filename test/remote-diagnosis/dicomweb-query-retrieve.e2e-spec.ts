import { readFileSync } from 'node:fs';
import request from 'supertest';
import { PNG } from 'pngjs';
import { DiagnosisTestApp, fixture, startDiagnosisApp, stow } from './support/diagnosis-fixtures';
import { cloneWithNewUids, dxBuffer, newUid } from './support/dicom-writer';

type Json = Record<string, { Value?: unknown[] }>;
const value = (d: Json, tag: string) => d[tag]?.Value?.[0];

describe('QIDO-RS, WADO-RS and rendering, scoped by institution', () => {
  let t: DiagnosisTestApp;
  const ecg = cloneWithNewUids(readFileSync(fixture('waveform_ecg.dcm')), {
    x00100020: 'QR-ECG-1',
    x00080050: 'QRACC1',
  });
  const dx = { study: newUid(), series: newUid(), sop: newUid() };
  const xray = dxBuffer({
    rows: 256,
    columns: 200,
    patientId: 'QR-DX-1',
    accessionNumber: 'QRACC2',
    studyInstanceUid: dx.study,
    seriesInstanceUid: dx.series,
    sopInstanceUid: dx.sop,
    photometric: 'MONOCHROME1',
    window: { center: 2048, width: 4096 },
  });
  const jpeg = readFileSync(fixture('JPEG-lossy.dcm'));
  const get = async (login: string, path: string, accept?: string, headers: Record<string, string> = {}) => {
    const r = request(t.url)
      .get(path)
      .set('Authorization', `Bearer ${await t.token(login)}`)
      .set(headers)
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    return accept ? r.set('Accept', accept) : r;
  };
  const json = (res: { body: Buffer }) => JSON.parse(res.body.toString('utf8'));
  const ecgPath = `/dicomweb/studies/${ecg.ids.studyInstanceUid}/series/${ecg.ids.seriesInstanceUid}/instances/${ecg.ids.sopInstanceUid}`;
  const dxPath = `/dicomweb/studies/${dx.study}/series/${dx.series}/instances/${dx.sop}`;

  beforeAll(async () => {
    t = await startDiagnosisApp();
    expect((await stow(t, 'township-a-doctor', [ecg.bytes, xray, jpeg])).status).toBe(200);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('finds studies by the usual keys, with limit and offset', async () => {
    const all = json(await get('township-a-doctor', '/dicomweb/studies'));
    expect(all).toHaveLength(3);
    const byPatient = json(await get('township-a-doctor', '/dicomweb/studies?PatientID=QR-ECG-1'));
    expect(byPatient.map((s: Json) => value(s, '0020000D'))).toEqual([ecg.ids.studyInstanceUid]);
    expect(value(byPatient[0], '00080061')).toBe('ECG');
    expect(value(byPatient[0], '00201208')).toBe(1);
    expect(json(await get('township-a-doctor', '/dicomweb/studies?00100020=QR-*'))).toHaveLength(2);
    expect(json(await get('township-a-doctor', '/dicomweb/studies?ModalitiesInStudy=DX'))).toHaveLength(1);
    expect(
      json(await get('township-a-doctor', '/dicomweb/studies?AccessionNumber=QRACC2'))[0]['0020000D'].Value,
    ).toEqual([dx.study]);
    expect(
      json(await get('township-a-doctor', '/dicomweb/studies?StudyDate=20261101-20261130')).map((s: Json) =>
        value(s, '0020000D'),
      ),
    ).toContain(dx.study);
    expect(
      json(await get('township-a-doctor', '/dicomweb/studies?PatientName=%E5%BB%BA&fuzzymatching=true')).map(
        (s: Json) => value(s, '0020000D'),
      ),
    ).toEqual([dx.study]);
    expect(json(await get('township-a-doctor', '/dicomweb/studies?PatientName=%E5%BB%BA'))).toEqual([]);
    expect(json(await get('township-a-doctor', '/dicomweb/studies?limit=2'))).toHaveLength(2);
    expect(json(await get('township-a-doctor', '/dicomweb/studies?limit=2&offset=2'))).toHaveLength(1);
    const bad = await get('township-a-doctor', '/dicomweb/studies?Colour=red');
    expect(bad.status).toBe(400);
    expect(json(bad).error.code).toBe('DICOM_BAD_QUERY');
    // An empty list would make `IN ()`, which PostgreSQL refuses (a 500 before); two dates need the dash.
    for (const query of ['StudyInstanceUID=,', 'ModalitiesInStudy=%2C', 'StudyDate=2026110120261130']) {
      const refused = await get('township-a-doctor', `/dicomweb/studies?${query}`);
      expect([query, refused.status, json(refused).error.code]).toEqual([query, 400, 'DICOM_BAD_QUERY']);
    }
  });

  it('lists series and instances', async () => {
    const series = json(await get('township-a-doctor', `/dicomweb/studies/${dx.study}/series`));
    expect(series.map((s: Json) => value(s, '00080060'))).toEqual(['DX']);
    const instances = json(
      await get('township-a-doctor', `/dicomweb/studies/${dx.study}/series/${dx.series}/instances`),
    );
    expect(instances.map((i: Json) => value(i, '00080018'))).toEqual([dx.sop]);
    expect(value(instances[0], '00280010')).toBe(256);
    expect(
      json(await get('township-a-doctor', '/dicomweb/instances?Modality=ECG')).map((i: Json) => value(i, '00080018')),
    ).toEqual([ecg.ids.sopInstanceUid]);
  });

  it('retrieves the stored bytes and the metadata', async () => {
    const res = await get('county-ecg', ecgPath);
    expect(res.status).toBe(200);
    const boundary = /boundary=([^;]+)/.exec(res.headers['content-type'])![1];
    expect(res.headers['content-type']).toMatch(/^multipart\/related; type="application\/dicom"/);
    const start = res.body.indexOf('\r\n\r\n') + 4;
    const end = res.body.lastIndexOf(Buffer.from(`\r\n--${boundary}--`));
    expect(res.body.subarray(start, end).equals(ecg.bytes)).toBe(true);
    const meta = json(await get('county-ecg', `${ecgPath}/metadata`));
    expect(value(meta[0], '00100020')).toBe('QR-ECG-1');
    expect(meta[0]['54000100'].Value).toHaveLength(2);
  });

  it('renders the ECG as SVG with twelve leads and the X-ray as a windowed, inverted PNG', async () => {
    const svg = await get('county-ecg', `${ecgPath}/rendered`);
    expect(svg.status).toBe(200);
    expect(svg.headers['content-type']).toMatch(/^image\/svg\+xml/);
    const labels = [...svg.body.toString('utf8').matchAll(/class="lead-label"[^>]*>([^<]+)</g)].map((m) => m[1]);
    expect(new Set(labels)).toEqual(
      new Set(['I', 'II', 'III', 'aVR', 'aVL', 'aVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6', 'II (rhythm)']),
    );
    const png = await get('county-radiology', `${dxPath}/rendered`);
    expect(png.status).toBe(200);
    expect(png.headers['content-type']).toBe('image/png');
    const image = PNG.sync.read(png.body);
    expect([image.width, image.height]).toEqual([200, 256]);
    // MONOCHROME1: the bright body (high values) is drawn dark, the background light.
    const centre = image.data[(128 * 200 + 100) * 4];
    const corner = image.data[(2 * 200 + 2) * 4];
    expect(centre).toBeLessThan(corner);
    const narrow = PNG.sync.read((await get('county-radiology', `${dxPath}/rendered?window=100,10`)).body);
    expect(narrow.data[(128 * 200 + 100) * 4]).toBe(0);
    expect((await get('county-radiology', `${dxPath}/rendered?window=abc`)).status).toBe(400);
  });

  it('answers 406 with a clear message for JPEG pixel data and for formats it does not produce', async () => {
    const [study] = json(await get('township-a-doctor', '/dicomweb/studies?PatientID=8NM1'));
    const [inst] = json(await get('township-a-doctor', `/dicomweb/studies/${value(study, '0020000D')}/instances`));
    const res = await get(
      'township-a-doctor',
      `/dicomweb/studies/${value(inst, '0020000D')}/series/${value(inst, '0020000E')}/instances/${value(inst, '00080018')}/rendered`,
    );
    expect(res.status).toBe(406);
    expect(json(res).error).toMatchObject({ code: 'DICOM_NOT_RENDERABLE', message: expect.stringContaining('JPEG') });
    expect((await get('county-ecg', `${ecgPath}/rendered`, 'image/jpeg')).status).toBe(406);
  });

  it('hides the study from another township: list, query, retrieve and render all answer 404 or nothing', async () => {
    expect(json(await get('township-b-doctor', '/dicomweb/studies'))).toEqual([]);
    expect(json(await get('township-b-doctor', `/dicomweb/studies?StudyInstanceUID=${dx.study}`))).toEqual([]);
    expect(json(await get('township-b-doctor', '/dicomweb/instances'))).toEqual([]);
    for (const path of [
      `/dicomweb/studies/${dx.study}/series`,
      `/dicomweb/studies/${dx.study}/instances`,
      dxPath,
      `${dxPath}/metadata`,
      `${dxPath}/rendered`,
      `${ecgPath}/rendered`,
    ]) {
      const res = await get('township-b-doctor', path);
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
    }
    const reads = await request(t.url)
      .get('/api/reads')
      .set('Authorization', `Bearer ${await t.token('township-b-doctor')}`);
    expect(reads.body.items).toEqual([]);
  });

  it('audits every retrieval with who and what', async () => {
    await get('county-radiology', `${dxPath}/rendered`, undefined, { 'X-Access-Reason': 'reading' });
    const rows = await t.dataSource.query(
      `SELECT action, actor_subject, reason FROM diagnosis.audit_entry WHERE resource_id = $1 ORDER BY id`,
      [dx.sop],
    );
    expect(rows).toContainEqual({
      action: 'dicom.retrieve.rendered',
      actor_subject: 'county-radiology',
      reason: 'reading',
    });
    const queries = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM diagnosis.audit_entry WHERE action LIKE 'dicom.query.%' AND actor_subject = 'township-a-doctor'`,
    );
    expect(queries[0].n).toBeGreaterThan(5);
  });

  it('retrieves a whole study and a series as multipart, and their metadata, only for those who may see them', async () => {
    const study = await get(
      'township-a-doctor',
      `/dicomweb/studies/${dx.study}`,
      'multipart/related; type="application/dicom"; transfer-syntax=*',
    );
    expect(study.status).toBe(200);
    const boundary = /boundary=([^;]+)/.exec(study.headers['content-type'])![1];
    const parts = study.body
      .toString('latin1')
      .split(`--${boundary}`)
      .filter((p: string) => p.startsWith('\r\nContent-Type'));
    expect(parts).toHaveLength(1);
    expect(study.body.indexOf(xray)).toBeGreaterThan(0);
    const series = await get(
      'township-a-doctor',
      `/dicomweb/studies/${ecg.ids.studyInstanceUid}/series/${ecg.ids.seriesInstanceUid}`,
    );
    expect(series.status).toBe(200);
    expect(series.body.indexOf(ecg.bytes)).toBeGreaterThan(0);
    const meta = json(
      await get('township-a-doctor', `/dicomweb/studies/${dx.study}/metadata`, 'application/dicom+json'),
    );
    expect(meta.map((m: Json) => value(m, '00080018'))).toEqual([dx.sop]);
    const seriesMeta = json(
      await get(
        'township-a-doctor',
        `/dicomweb/studies/${ecg.ids.studyInstanceUid}/series/${ecg.ids.seriesInstanceUid}/metadata`,
      ),
    );
    expect(seriesMeta.map((m: Json) => value(m, '00080018'))).toEqual([ecg.ids.sopInstanceUid]);
    expect((await get('township-b-doctor', `/dicomweb/studies/${dx.study}`)).status).toBe(404);
    expect((await get('township-b-doctor', `/dicomweb/studies/${dx.study}/metadata`)).status).toBe(404);
    expect(
      (
        await get(
          'township-a-doctor',
          `/dicomweb/studies/${dx.study}`,
          'multipart/related; type="application/dicom"; transfer-syntax=1.2.840.10008.1.2.4.50',
        )
      ).status,
    ).toBe(406);
  });

  it('serves frames, the bulk data the metadata names, and thumbnails, streamed as stored', async () => {
    const pixels = xray.subarray(xray.length - 256 * 200 * 2);
    const frame = await get(
      'township-a-doctor',
      `${dxPath}/frames/1`,
      'multipart/related; type="application/octet-stream"; transfer-syntax=*',
    );
    expect(frame.status).toBe(200);
    expect(frame.headers['content-type']).toMatch(/^multipart\/related; type="application\/octet-stream"/);
    expect(frame.body.indexOf(pixels)).toBeGreaterThan(0);
    const meta = json(await get('township-a-doctor', `${dxPath}/metadata`));
    const pixelUri: string = meta[0]['7FE00010'].BulkDataURI;
    expect(pixelUri).toBe(`${t.url}${dxPath}/bulk/7FE00010`);
    const bulk = await get('township-a-doctor', new URL(pixelUri).pathname);
    expect(bulk.status).toBe(200);
    expect(bulk.body.indexOf(pixels)).toBeGreaterThan(0);
    // The ECG's samples sit in a sequence item: its URI names the path down to them.
    const ecgMeta = json(await get('township-a-doctor', `${ecgPath}/metadata`));
    const waveformUri: string = ecgMeta[0]['54000100'].Value[0]['54001010'].BulkDataURI;
    expect(waveformUri).toMatch(/\/bulk\/54000100\/0\/54001010$/);
    const samples = await get('township-a-doctor', new URL(waveformUri).pathname);
    expect(samples.status).toBe(200);
    expect(samples.body.length).toBeGreaterThan(12 * 10000 * 2);
    const thumb = await get('township-a-doctor', `${dxPath}/thumbnail`);
    expect(thumb.status).toBe(200);
    const png = PNG.sync.read(thumb.body);
    expect(Math.max(png.width, png.height)).toBeLessThanOrEqual(200);
    expect((await get('township-a-doctor', `${dxPath}/frames/2`)).status).toBe(406);
    expect((await get('township-a-doctor', `${dxPath}/frames/abc`)).status).toBe(400);
    expect((await get('township-a-doctor', `${dxPath}/bulk/not-a-tag`)).status).toBe(400);
    expect((await get('township-b-doctor', `${dxPath}/frames/1`)).status).toBe(404);
  });

  it('gzips JSON answers for a client that takes gzip, and sends DICOM as it is stored', async () => {
    const json = await get('township-a-doctor', '/dicomweb/studies', undefined, { 'Accept-Encoding': 'gzip' });
    expect(json.status).toBe(200);
    expect(json.headers['content-encoding']).toBe('gzip');
    const dicom = await get('township-a-doctor', dxPath, undefined, { 'Accept-Encoding': 'gzip' });
    expect(dicom.status).toBe(200);
    expect(dicom.headers['content-encoding']).toBeUndefined();
    expect(dicom.body.indexOf(xray)).toBeGreaterThan(0);
  });
});
