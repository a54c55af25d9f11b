import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import request from 'supertest';
import { FailureReason } from '../../apps/remote-diagnosis/src/dicom/stow-failure';
import {
  DiagnosisTestApp,
  failureReasons,
  fixture,
  multipartBody,
  referencedInstances,
  startDiagnosisApp,
  storedFiles,
  stow,
  tmpFiles,
} from './support/diagnosis-fixtures';
import { cloneWithNewUids, newUid, rewriteElements } from './support/dicom-writer';

describe('STOW-RS behaviour: duplicates, partial success, limits, bad requests', () => {
  let t: DiagnosisTestApp;
  const ct = readFileSync(fixture('CT_small.dcm'));
  const count = async () =>
    (await t.dataSource.query('SELECT count(*)::int AS n FROM diagnosis.instance'))[0].n as number;

  beforeAll(async () => {
    t = await startDiagnosisApp({
      env: { DICOM_MAX_REQUEST_BYTES: String(2 * 1024 * 1024), DICOM_MAX_INSTANCE_BYTES: String(1024 * 1024) },
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('stores the same bytes once: a second upload succeeds without a second copy or a second event', async () => {
    const { bytes, ids } = cloneWithNewUids(ct);
    const first = await stow(t, 'township-a-doctor', [bytes]);
    const files = storedFiles(t.storageDir).length;
    const again = await stow(t, 'township-a-doctor', [bytes]);
    expect([first.status, again.status]).toEqual([200, 200]);
    expect(referencedInstances(again.body)).toEqual([ids.sopInstanceUid]);
    expect(storedFiles(t.storageDir).length).toBe(files);
    const [{ n }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM diagnosis.outbox_message WHERE type = 'countylink.diagnosis.instance-stored.v1' AND subject = $1`,
      [`study/${ids.studyInstanceUid}`],
    );
    expect(n).toBeLessThanOrEqual(1);
  });

  it('refuses different bytes under a stored SOP Instance UID, and keeps the stored object', async () => {
    const { bytes, ids } = cloneWithNewUids(ct);
    expect((await stow(t, 'township-a-doctor', [bytes])).status).toBe(200);
    const forged = rewriteElements(bytes, { x00100020: 'SOMEONE-ELSE' });
    const before = storedFiles(t.storageDir).length;
    const res = await stow(t, 'township-a-doctor', [forged]);
    expect(res.status).toBe(409);
    expect(failureReasons(res.body)).toEqual([FailureReason.DuplicateSopInstance]);
    expect(res.body['00081198'].Value[0]['00081155'].Value).toEqual([ids.sopInstanceUid]);
    expect(storedFiles(t.storageDir).length).toBe(before);
  });

  it('answers 202 with both sequences when some parts fail', async () => {
    const good = cloneWithNewUids(ct);
    const res = await stow(t, 'township-a-doctor', [
      good.bytes,
      readFileSync(fixture('MR_truncated.dcm')),
      Buffer.from('not dicom at all'),
    ]);
    expect(res.status).toBe(202);
    expect(referencedInstances(res.body)).toEqual([good.ids.sopInstanceUid]);
    expect(failureReasons(res.body)).toEqual([FailureReason.CannotUnderstand, FailureReason.CannotUnderstand]);
    expect(res.body['00081190'].Value[0]).toMatch(new RegExp(`/dicomweb/studies/${good.ids.studyInstanceUid}$`));
  });

  it("keeps one institution out of another institution's study", async () => {
    const { bytes, ids } = cloneWithNewUids(ct);
    expect((await stow(t, 'township-a-doctor', [bytes])).status).toBe(200);
    const sop = newUid();
    const intruder = rewriteElements(bytes, { x00080018: sop, x00020003: sop });
    const res = await stow(t, 'township-b-doctor', [intruder]);
    expect(res.status).toBe(409);
    // Refused as an instance of another study into a named one is (A900), saying nothing of whose the UIDs are.
    expect(failureReasons(res.body)).toEqual([FailureReason.DataSetDoesNotMatchSopClass]);
    expect(JSON.stringify(res.body)).not.toMatch(/institution|belongs|another|exists/i);
    const aSees = async () =>
      (
        await request(t.url)
          .get(`/dicomweb/studies/${ids.studyInstanceUid}/instances`)
          .set('Authorization', `Bearer ${await t.token('township-a-doctor')}`)
      ).body.map((i: Record<string, { Value: string[] }>) => i['00080018'].Value[0]);
    const before = await aSees();
    // The same for township A's very bytes (before: "already stored", a 200), for its series UID
    // under a new study of B's, and for its SOP Instance UID under a new study and series.
    const sop2 = newUid();
    const reused = [
      bytes,
      rewriteElements(bytes, { x0020000d: newUid(), x00080018: sop2, x00020003: sop2 }),
      rewriteElements(bytes, { x0020000d: newUid(), x0020000e: newUid() }),
    ];
    for (const part of reused) {
      const refused = await stow(t, 'township-b-doctor', [part]);
      expect(refused.status).toBe(409);
      expect(failureReasons(refused.body)).toEqual([FailureReason.DataSetDoesNotMatchSopClass]);
      expect(JSON.stringify(refused.body)).not.toMatch(/institution|belongs|another|exists/i);
    }
    expect(await aSees()).toEqual(before);
    // STOW-RS into a named study refuses an instance of another study.
    const other = multipartBody([cloneWithNewUids(ct).bytes]);
    const into = await request(t.url)
      .post(`/dicomweb/studies/${newUid()}`)
      .set('Authorization', `Bearer ${await t.token('township-a-doctor')}`)
      .set('Content-Type', other.contentType)
      .send(other.body);
    expect(into.status).toBe(409);
    expect(failureReasons(into.body)).toEqual([FailureReason.DataSetDoesNotMatchSopClass]);
    expect(ids.studyInstanceUid).toBeTruthy();
  });

  it('answers 413 for a body over the limit, declared or streamed, and leaves nothing behind', async () => {
    const before = await count();
    const big = Buffer.alloc(3 * 1024 * 1024, 1);
    const declared = await stow(t, 'township-a-doctor', [big]);
    expect(declared.status).toBe(413);
    expect(declared.body.error.code).toBe('DICOM_PAYLOAD_TOO_LARGE');
    // Chunked, so the server only learns the size while reading; one part over the per-instance limit.
    const token = await t.token('township-a-doctor');
    const { body, contentType } = multipartBody([Buffer.alloc(1536 * 1024, 2)]);
    const streamed = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = httpRequest(
        `${t.url}/dicomweb/studies`,
        {
          method: 'POST',
          headers: { Authorization: `Bearer ${token}`, 'Content-Type': contentType, 'Transfer-Encoding': 'chunked' },
        },
        (res) => {
          let text = '';
          res.on('data', (c) => (text += c));
          res.on('end', () => resolve({ status: res.statusCode!, text }));
        },
      );
      req.on('error', reject);
      for (let i = 0; i < body.length; i += 64 * 1024) req.write(body.subarray(i, i + 64 * 1024));
      req.end();
    });
    expect(streamed.status).toBe(413);
    expect(JSON.parse(streamed.text).error.code).toBe('DICOM_PAYLOAD_TOO_LARGE');
    expect(await count()).toBe(before);
    expect(tmpFiles(t.storageDir)).toEqual([]);
  });

  it('refuses other media types (415), a malformed or truncated multipart body (400) and a missing token (401)', async () => {
    const token = await t.token('township-a-doctor');
    const json = await request(t.url).post('/dicomweb/studies').set('Authorization', `Bearer ${token}`).send({ a: 1 });
    expect(json.status).toBe(415);
    const wrongType = await request(t.url)
      .post('/dicomweb/studies')
      .set('Authorization', `Bearer ${token}`)
      .set('Content-Type', 'multipart/related; type="application/dicom+xml"; boundary=x')
      .send('--x--');
    expect(wrongType.status).toBe(415);
    const noBoundary = await request(t.url)
      .post('/dicomweb/studies')
      .set('Authorization', `Bearer ${token}`)
      .set('Content-Type', 'multipart/related; type="application/dicom"')
      .send('x');
    expect(noBoundary.status).toBe(400);
    const { body, contentType } = multipartBody([cloneWithNewUids(ct).bytes]);
    const cut = await request(t.url)
      .post('/dicomweb/studies')
      .set('Authorization', `Bearer ${token}`)
      .set('Content-Type', contentType)
      .send(body.subarray(0, body.length - 200));
    expect(cut.status).toBe(400);
    expect(cut.body.error.code).toBe('DICOM_MALFORMED_MULTIPART');
    const anonymous = await request(t.url).post('/dicomweb/studies').set('Content-Type', contentType).send(body);
    expect(anonymous.status).toBe(401);
    const specialist = await request(t.url)
      .post('/dicomweb/studies')
      .set('Authorization', `Bearer ${await t.token('county-ecg')}`)
      .set('Content-Type', contentType)
      .send(body);
    expect(specialist.status).toBe(403);
    expect(tmpFiles(t.storageDir)).toEqual([]);
  });
});
