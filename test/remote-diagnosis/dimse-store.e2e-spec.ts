import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { connect } from 'node:net';
import { join } from 'node:path';
import { parseDicom } from 'dicom-parser';
import { Topics } from '@countylink/contracts';
import { EventCollector, waitFor } from '@countylink/testing';
import {
  DiagnosisTestApp,
  failureReasons,
  fixture,
  startDiagnosisApp,
  storedFiles,
  stow,
  tmpFiles,
} from './support/diagnosis-fixtures';
import { dcmtk, dimsePeer, echoscu, stallingRelay, storescu } from './support/dcmtk';
import { cloneWithNewUids, encodeElements, fileMeta, newUid, writeDx } from './support/dicom-writer';
import { oversizedNative } from './support/hostile-files';
import { ecgOrder, getAs, orderRead } from './support/read-helpers';

/** Township A's ECG cart and DR from this machine; township B's DR only from its own network. */
const AE_MAP =
  'TOWNSHIP_A_ECG@127.0.0.1|::1=township-a,TOWNSHIP_A_DR@127.0.0.1=township-a,TOWNSHIP_B_DR@10.20.30.0/24=township-b';
const MAX_INSTANCE_BYTES = 8 * 1024 * 1024;
const ASSOCIATIONS_PER_AE = 2;
const DX = '1.2.840.10008.5.1.4.1.1.1.1';
/** How storescu -v names the statuses of a C-STORE response. */
const STATUS_TEXT: Record<number, string> = {
  0xa700: 'Refused: OutOfResources',
  0xa900: 'Error: DataSetDoesNotMatchSOPClass',
  0xc000: 'Error: CannotUnderstand',
};

describe('DICOM DIMSE: C-ECHO and C-STORE from township modalities (dcmtk echoscu / storescu)', () => {
  let t: DiagnosisTestApp;
  let events: EventCollector;
  let work: string;
  const ecgFile = fixture('waveform_ecg.dcm');
  const ecg = readFileSync(ecgFile);
  const rowsFor = (sop: string) =>
    t.dataSource.query(
      'SELECT stored_by, category, transfer_syntax_uid FROM diagnosis.instance WHERE sop_instance_uid = $1',
      [sop],
    );
  const instanceCount = async () =>
    (await t.dataSource.query('SELECT count(*)::int AS n FROM diagnosis.instance'))[0].n as number;
  const types = (stream: Array<{ type: string }>) => stream.map((e) => e.type);

  beforeAll(async () => {
    events = await EventCollector.start(process.env.TEST_KAFKA_BROKERS!, [Topics.diagnosis]);
    t = await startDiagnosisApp({
      kafka: true,
      env: {
        DICOM_DIMSE_AE_MAP: AE_MAP,
        DICOM_MAX_INSTANCE_BYTES: String(MAX_INSTANCE_BYTES),
        DICOM_MAX_CONCURRENT_UPLOADS: String(ASSOCIATIONS_PER_AE),
      },
    });
    work = mkdtempSync(join(tmpdir(), 'countylink-dimse-'));
  });
  afterAll(async () => {
    await t?.close();
    await events?.stop();
  });

  it('answers C-ECHO from a mapped modality', async () => {
    const echo = await echoscu(t, 'TOWNSHIP_A_ECG');
    expect(echo).toMatchObject({ code: 0 });
    expect(Number(dimsePeer(t).port)).toBeGreaterThan(0);
  });

  it('stores the ECG fixture sent by storescu like a STOW-RS upload: indexed, on the county worklist, the same events', async () => {
    const sop = parseDicom(ecg).string('x00080018')!;
    const dimseOrder = await orderRead(
      t,
      'township-a-doctor',
      ecgOrder({ patient: { patientId: '642341', name: 'Anonymous', sex: 'F' }, accessionNumber: '03028041970546' }),
    );
    expect(dimseOrder.status).toBe(201);
    const sent = await storescu(t, 'TOWNSHIP_A_ECG', [ecgFile]);
    expect(sent).toMatchObject({ code: 0 });
    expect(await rowsFor(sop)).toEqual([
      { stored_by: 'dicom-ae:TOWNSHIP_A_ECG', category: 'waveform', transfer_syntax_uid: '1.2.840.10008.1.2.1' },
    ]);

    // The same ECG by STOW-RS, for comparison.
    const stowOrder = await orderRead(t, 'township-a-doctor', ecgOrder());
    const clone = cloneWithNewUids(ecg, {
      x00080050: stowOrder.body.accessionNumber,
      x00100020: stowOrder.body.patient.patientId,
    });
    expect((await stow(t, 'township-a-doctor', [clone.bytes])).status).toBe(200);

    const worklist = await getAs(t, 'county-ecg', '/api/reads?modality=ECG');
    const ready = worklist.body.items.filter((r: { id: string }) =>
      [dimseOrder.body.id, stowOrder.body.id].includes(r.id),
    );
    expect(ready.map((r: { status: string }) => r.status)).toEqual(['ready', 'ready']);

    const [byDimse, byStow] = await Promise.all([
      events.waitForKey(dimseOrder.body.id, 3),
      events.waitForKey(stowOrder.body.id, 3),
    ]);
    expect(types(byDimse)).toEqual(types(byStow));
    expect(types(byDimse)).toEqual([
      'countylink.diagnosis.read-requested.v1',
      'countylink.diagnosis.instance-stored.v1',
      'countylink.diagnosis.read-ready.v1',
    ]);
    expect(byDimse[1].payload).toMatchObject({
      sopInstanceUid: sop,
      modality: 'ECG',
      accessionNumber: '03028041970546',
      institutionId: 'township-a',
      readId: dimseOrder.body.id,
      actor: { subject: 'dicom-ae:TOWNSHIP_A_ECG', institutionId: 'township-a', roles: ['his-system'] },
    });
    expect(Object.keys(byDimse[1].payload).sort()).toEqual(Object.keys(byStow[1].payload).sort());
    expect(byDimse[2].payload).toMatchObject({ actor: { subject: 'dicom-ae:TOWNSHIP_A_ECG' } });

    // Stored as a file the DICOMweb side serves and draws like any other.
    const study = parseDicom(ecg).string('x0020000d');
    const series = parseDicom(ecg).string('x0020000e');
    const rendered = await getAs(
      t,
      'county-ecg',
      `/dicomweb/studies/${study}/series/${series}/instances/${sop}/rendered`,
    );
    expect(rendered.status).toBe(200);
    expect(rendered.headers['content-type']).toMatch(/^image\/svg\+xml/);
  });

  it('stores a generated DX from the DR, which joins its order and reaches the radiology worklist', async () => {
    const order = await orderRead(
      t,
      'township-a-doctor',
      ecgOrder({ modality: 'DX', priority: 'urgent', clinicalQuestion: '咳嗽一周，胸片' }),
    );
    expect(order.status).toBe(201);
    const dx = await writeDx(join(work, 'chest.dcm'), {
      rows: 1024,
      columns: 1024,
      accessionNumber: order.body.accessionNumber,
      patientId: order.body.patient.patientId,
    });
    const sent = await storescu(t, 'TOWNSHIP_A_DR', [dx.path]);
    expect(sent).toMatchObject({ code: 0 });
    expect(await rowsFor(dx.sopInstanceUid)).toEqual([
      { stored_by: 'dicom-ae:TOWNSHIP_A_DR', category: 'image', transfer_syntax_uid: '1.2.840.10008.1.2.1' },
    ]);
    const worklist = await getAs(t, 'county-radiology', '/api/reads?modality=DX');
    expect(worklist.body.items.find((r: { id: string }) => r.id === order.body.id)).toMatchObject({
      status: 'ready',
      priority: 'urgent',
    });
    const stream = await events.waitForKey(order.body.id, 3);
    expect(types(stream)).toEqual([
      'countylink.diagnosis.read-requested.v1',
      'countylink.diagnosis.instance-stored.v1',
      'countylink.diagnosis.read-ready.v1',
    ]);
  });

  it('refuses at association an unknown calling AE, a known one from an address not allowed, and a wrong called AE; nothing is stored', async () => {
    const before = { rows: await instanceCount(), files: storedFiles(t.storageDir).length };
    const dx = await writeDx(join(work, 'refused.dcm'), { rows: 256, columns: 256 });
    for (const aet of ['UNKNOWN_DR', 'TOWNSHIP_B_DR']) {
      const sent = await storescu(t, aet, [dx.path]);
      expect(sent.code).not.toBe(0);
      expect(sent.stderr + sent.stdout).toMatch(/Association Rejected/i);
    }
    const { host, port } = dimsePeer(t);
    const wrongCalled = await dcmtk('storescu', ['-aet', 'TOWNSHIP_A_DR', '-aec', 'SOME_PACS', host, port, dx.path]);
    expect(wrongCalled.code).not.toBe(0);
    expect((await echoscu(t, 'UNKNOWN_DR')).code).not.toBe(0);
    expect(await rowsFor(dx.sopInstanceUid)).toEqual([]);
    expect({ rows: await instanceCount(), files: storedFiles(t.storageDir).length }).toEqual(before);
  });

  it('refuses hostile and broken files with the failure status STOW-RS gives them, and 0xA700 past DICOM_MAX_INSTANCE_BYTES; nothing is kept', async () => {
    const before = { rows: await instanceCount(), files: storedFiles(t.storageDir).length };
    const sop = newUid();
    // A DX without its Study Instance UID: dcmtk sends it, the ingest must not index it.
    const noStudy = Buffer.concat([
      fileMeta(DX, sop),
      encodeElements([
        { tag: 0x00080016, vr: 'UI', value: DX },
        { tag: 0x00080018, vr: 'UI', value: sop },
        { tag: 0x00080060, vr: 'CS', value: 'DX' },
        { tag: 0x00100020, vr: 'LO', value: 'TA-BROKEN' },
        { tag: 0x0020000e, vr: 'UI', value: newUid() },
      ]),
    ]);
    for (const [name, bytes] of [
      ['hostile.dcm', oversizedNative()],
      ['no-study.dcm', noStudy],
    ] as const) {
      const path = join(work, name);
      writeFileSync(path, bytes);
      const [reason] = failureReasons((await stow(t, 'township-a-doctor', [bytes])).body);
      const refused = await storescu(t, 'TOWNSHIP_A_DR', [path]);
      expect({
        name,
        code: refused.code === 0 ? 'success' : 'failed',
        response: /Received Store Response \(([^)]*)\)/.exec(refused.stderr)?.[1],
      }).toEqual({ name, code: 'failed', response: STATUS_TEXT[reason] });
    }

    const big = await writeDx(join(work, 'too-big.dcm'), { rows: 2400, columns: 2000 });
    expect(big.size).toBeGreaterThan(MAX_INSTANCE_BYTES);
    const tooBig = await storescu(t, 'TOWNSHIP_A_DR', [big.path]);
    expect(tooBig.code).not.toBe(0);
    expect(tooBig.stderr).toMatch(/Received Store Response \(Refused: OutOfResources\)/);

    // The listener still serves the next modality.
    expect((await echoscu(t, 'TOWNSHIP_A_DR')).code).toBe(0);
    expect(await rowsFor(big.sopInstanceUid)).toEqual([]);
    expect({ rows: await instanceCount(), files: storedFiles(t.storageDir).length }).toEqual(before);
    expect(tmpFiles(t.storageDir)).toEqual([]);
  });

  it('gives each station its share of associations, and keeps nothing of a transfer cut off midway', async () => {
    const before = { rows: await instanceCount(), files: storedFiles(t.storageDir).length };
    const big = await writeDx(join(work, 'stalled.dcm'), { rows: 1800, columns: 1800 });
    const relay = await stallingRelay(t, 2 * 1024 * 1024);
    const { host, port, aec } = dimsePeer(t);
    const stalled = Array.from({ length: ASSOCIATIONS_PER_AE }, () =>
      dcmtk('storescu', ['-aet', 'TOWNSHIP_A_DR', '-aec', aec, '127.0.0.1', relay.port, big.path]),
    );
    await waitFor(
      'both transfers staging',
      () => (tmpFiles(t.storageDir).length === ASSOCIATIONS_PER_AE ? true : undefined),
      20_000,
    );

    const third = await dcmtk('storescu', ['-v', '-aet', 'TOWNSHIP_A_DR', '-aec', aec, host, port, big.path]);
    expect(third.code).not.toBe(0);
    expect(third.stderr).toMatch(/Rejected Transient[\s\S]*Local Limit Exceeded/);
    // Another station of the same township is not held up by the first one's associations.
    expect((await echoscu(t, 'TOWNSHIP_A_ECG')).code).toBe(0);

    relay.cut();
    expect((await Promise.all(stalled)).map((r) => r.code === 0)).toEqual([false, false]);
    await relay.close();
    await waitFor(
      'the cut transfers discarded',
      () => (tmpFiles(t.storageDir).length === 0 ? true : undefined),
      10_000,
    );
    expect(await rowsFor(big.sopInstanceUid)).toEqual([]);
    expect({ rows: await instanceCount(), files: storedFiles(t.storageDir).length }).toEqual(before);
    // Their slots are free again.
    expect((await storescu(t, 'TOWNSHIP_A_DR', [big.path])).code).toBe(0);
    expect(await rowsFor(big.sopInstanceUid)).toHaveLength(1);
  });

  it('closes a connection whose PDU claims more than it was offered, before gathering it', async () => {
    const { host, port } = dimsePeer(t);
    const socket = connect(Number(port), host);
    const closed = new Promise<number>((resolve) => socket.on('close', () => resolve(Date.now())));
    socket.on('error', () => undefined);
    await new Promise((resolve) => socket.once('connect', resolve));
    const sentAt = Date.now();
    // An A-ASSOCIATE-RQ header claiming a gigabyte, then its first 512 KB.
    socket.write(Buffer.from([0x01, 0x00, 0x40, 0x00, 0x00, 0x00]));
    socket.write(Buffer.alloc(512 * 1024));
    expect((await closed) - sentAt).toBeLessThan(2_000);
    expect((await echoscu(t, 'TOWNSHIP_A_DR')).code).toBe(0);
  });
});
