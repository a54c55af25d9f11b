import { readFileSync } from 'node:fs';
import { ReadStatus, Topics } from '@countylink/contracts';
import { EventCollector, waitFor } from '@countylink/testing';
import { DiagnosisTestApp, fixture, startDiagnosisApp, stow } from './support/diagnosis-fixtures';
import { cloneWithNewUids } from './support/dicom-writer';
import { ecgOrder, getAs, orderRead, readAction, STEMI_REPORT } from './support/read-helpers';

describe('remote read over Kafka: order, upload, worklist, claim, report', () => {
  let t: DiagnosisTestApp;
  let events: EventCollector;
  const ecg = readFileSync(fixture('waveform_ecg.dcm'));

  beforeAll(async () => {
    events = await EventCollector.start(process.env.TEST_KAFKA_BROKERS!, [Topics.diagnosis]);
    t = await startDiagnosisApp({ kafka: true });
  });
  afterAll(async () => {
    await t?.close();
    await events?.stop();
  });

  it('takes a township ECG to a county report with a treatment plan, one of two racing claims winning, events in order', async () => {
    const order = ecgOrder();
    const ordered = await orderRead(t, 'township-a-doctor', order);
    expect(ordered.status).toBe(201);
    expect(ordered.body).toMatchObject({
      status: 'requested',
      priority: 'emergency',
      modality: 'ECG',
      readBy: { institutionId: 'county-hospital', departmentId: 'ecg-room' },
    });
    const id: string = ordered.body.id;

    const { bytes } = cloneWithNewUids(ecg, { x00080050: order.accessionNumber, x00100020: order.patient.patientId });
    const stored = await stow(t, 'township-a-doctor', [bytes]);
    expect(stored.status).toBe(200);

    const worklist = await getAs(t, 'county-ecg', '/api/reads?modality=ECG');
    expect(worklist.status).toBe(200);
    const entry = worklist.body.items.find((r: { id: string }) => r.id === id);
    expect(entry).toMatchObject({ status: 'ready', priority: 'emergency' });
    // ECG emergency: 15 minutes from the moment the images were in.
    expect(Date.parse(entry.dueAt) - Date.parse(entry.readyAt)).toBe(15 * 60_000);

    // The read is routed to the ECG room: cardiology may neither claim it nor sign it (403).
    const cardiology = await readAction(t, 'county-cardiology', id, 'claim');
    expect(cardiology.status).toBe(403);
    expect(cardiology.body.error).toMatchObject({
      code: 'READ_NOT_ALLOWED',
      details: { readingDepartmentId: 'ecg-room' },
    });
    // Two claims racing (two tabs of the ECG room): one wins, the other is told the read is taken.
    const claims = await Promise.all([
      readAction(t, 'county-ecg', id, 'claim'),
      readAction(t, 'county-ecg', id, 'claim'),
    ]);
    expect(claims.map((c) => c.status).sort()).toEqual([200, 409]);
    expect(claims.find((c) => c.status === 409)!.body.error.details).toMatchObject({
      status: 'claimed',
      claimedBy: 'county-ecg',
    });
    const winner = 'county-ecg';

    const stolen = await readAction(t, 'county-cardiology', id, 'report', STEMI_REPORT);
    expect(stolen.status).toBe(403);
    expect(stolen.body.error.code).toBe('READ_NOT_ALLOWED');

    const reported = await readAction(t, winner, id, 'report', STEMI_REPORT);
    expect(reported.status).toBe(200);
    expect(reported.body).toMatchObject({
      status: 'reported',
      claim: null,
      report: { kind: 'original', treatmentPlan: STEMI_REPORT.treatmentPlan },
    });

    const back = await getAs(t, 'township-a-doctor', `/api/reads/${id}`);
    expect(back.status).toBe(200);
    expect(back.body.reports).toHaveLength(1);
    expect(back.body.reports[0]).toMatchObject({
      treatmentPlan: STEMI_REPORT.treatmentPlan,
      criticalValue: STEMI_REPORT.criticalValue,
      signedBy: { subject: winner },
    });
    expect(back.body.studies).toHaveLength(1);

    const stream = await events.waitForKey(id, 6);
    expect(stream.map((e) => e.type)).toEqual([
      'countylink.diagnosis.read-requested.v1',
      'countylink.diagnosis.instance-stored.v1',
      'countylink.diagnosis.read-ready.v1',
      'countylink.diagnosis.read-claimed.v1',
      'countylink.diagnosis.read-reported.v1',
      'countylink.diagnosis.critical-value-raised.v1',
    ]);
    expect(new Set(stream.map((e) => e.partition)).size).toBe(1);
    expect(stream.map((e) => ('read' in e.payload ? e.payload.read?.version : undefined))).toEqual([
      1,
      undefined,
      2,
      3,
      4,
      4,
    ]);
    expect(stream[4].payload).toMatchObject({
      read: { status: ReadStatus.REPORTED },
      report: { treatmentPlan: STEMI_REPORT.treatmentPlan },
    });
    expect(stream[5].payload).toMatchObject({
      criticalValue: { category: 'acute-stemi' },
      notifyPractitionerId: 'township-a-doctor',
      notifyInstitutionId: 'township-a',
    });
    for (const e of stream)
      expect(e.headers).toMatchObject({
        ce_specversion: '1.0',
        ce_source: '/countylink/remote-diagnosis',
        'content-type': 'application/protobuf',
      });
  });

  it('makes a routine read for an ECG that came without an order, and hides it from other townships', async () => {
    const { bytes, ids } = cloneWithNewUids(ecg, { x00080050: 'NOORDER-01' });
    expect((await stow(t, 'township-a-doctor', [bytes])).status).toBe(200);
    const mine = await getAs(t, 'township-a-doctor', '/api/reads?status=ready');
    const read = mine.body.items.find((r: { accessionNumber: string }) => r.accessionNumber === 'NOORDER-01');
    expect(read).toMatchObject({
      priority: 'routine',
      status: 'ready',
      modality: 'ECG',
      requestedBy: { institutionId: 'township-a', practitionerId: 'township-a-doctor' },
    });
    const county = await getAs(t, 'county-ecg', '/api/reads');
    expect(county.body.items.map((r: { id: string }) => r.id)).toContain(read.id);
    // Emergency before routine on the worklist.
    const priorities = county.body.items.map((r: { priority: string }) => r.priority);
    expect(priorities).toEqual(
      [...priorities].sort(
        (a, b) => ['emergency', 'urgent', 'routine'].indexOf(a) - ['emergency', 'urgent', 'routine'].indexOf(b),
      ),
    );

    expect((await getAs(t, 'township-b-doctor', `/api/reads/${read.id}`)).status).toBe(404);
    expect(
      (await getAs(t, 'township-b-doctor', '/api/reads')).body.items.map((r: { id: string }) => r.id),
    ).not.toContain(read.id);
    expect((await readAction(t, 'county-ecg', read.id, 'claim')).status).toBe(200);
    const released = await readAction(t, 'county-ecg', read.id, 'release', { reason: '非本专业' });
    expect(released.body).toMatchObject({ status: 'ready', claim: null });
    expect(ids.studyInstanceUid).toBeTruthy();
  });

  it('pages the worklist by the server with a total, and filters it by the requesting township', async () => {
    for (const login of ['township-a-doctor', 'township-a-doctor', 'township-b-doctor']) {
      const ordered = await orderRead(t, login, ecgOrder({ priority: 'routine' }));
      const { bytes } = cloneWithNewUids(ecg, {
        x00080050: ordered.body.accessionNumber,
        x00100020: ordered.body.patient.patientId,
      });
      expect((await stow(t, login, [bytes])).status).toBe(200);
    }
    const all = await getAs(t, 'county-ecg', '/api/reads?modality=ECG&limit=200');
    expect(all.body.total).toBe(all.body.items.length);
    const pages = [];
    for (let offset = 0; offset < all.body.total; offset += 2) {
      const page = await getAs(t, 'county-ecg', `/api/reads?modality=ECG&limit=2&offset=${offset}`);
      expect(page.body.total).toBe(all.body.total);
      pages.push(...page.body.items.map((r: { id: string }) => r.id));
    }
    // Page by page, the same reads in the same order as the whole list, none twice.
    expect(pages).toEqual(all.body.items.map((r: { id: string }) => r.id));

    const fromA = await getAs(t, 'county-ecg', '/api/reads?modality=ECG&requestedBy=township-a');
    const fromB = await getAs(t, 'county-ecg', '/api/reads?modality=ECG&requestedBy=township-b');
    expect(fromA.body.items.length).toBeGreaterThanOrEqual(2);
    expect(fromB.body.items.length).toBeGreaterThanOrEqual(1);
    expect(
      new Set(fromA.body.items.map((r: { requestedBy: { institutionId: string } }) => r.requestedBy.institutionId)),
    ).toEqual(new Set(['township-a']));
    expect(
      new Set(fromB.body.items.map((r: { requestedBy: { institutionId: string } }) => r.requestedBy.institutionId)),
    ).toEqual(new Set(['township-b']));
    expect(fromA.body.total + fromB.body.total).toBeLessThanOrEqual(all.body.total);
    // A township asking for another's reads through the filter still sees only its own (none).
    expect((await getAs(t, 'township-b-doctor', '/api/reads?requestedBy=township-a')).body).toEqual({
      items: [],
      total: 0,
    });
    expect((await getAs(t, 'county-ecg', '/api/reads?requestedBy=Township%20A')).status).toBe(400);
  });

  it('returns a lapsed claim to the worklist through the durable timer', async () => {
    const ordered = await orderRead(t, 'township-a-doctor', ecgOrder({ priority: 'urgent' }));
    const { bytes } = cloneWithNewUids(ecg, {
      x00080050: ordered.body.accessionNumber,
      x00100020: ordered.body.patient.patientId,
    });
    expect((await stow(t, 'township-a-doctor', [bytes])).status).toBe(200);
    const id = ordered.body.id;
    expect((await readAction(t, 'county-ecg', id, 'claim')).status).toBe(200);
    // Move the claim's expiry into the past instead of waiting READ_CLAIM_MINUTES.
    await t.dataSource.query(`UPDATE diagnosis.read SET claim_expires_at = now() - interval '1 second' WHERE id = $1`, [
      id,
    ]);
    await t.dataSource.query(
      `UPDATE diagnosis.scheduled_job SET due_at = now() - interval '1 second' WHERE aggregate_id = $1`,
      [id],
    );
    const after = await waitFor('the claim to lapse', async () => {
      const res = await getAs(t, 'county-ecg', `/api/reads/${id}`);
      return res.body.status === 'ready' ? res.body : undefined;
    });
    expect(after.claim).toBeNull();
    const released = (await events.waitForKey(id, 5)).find((e) => e.type === 'countylink.diagnosis.read-released.v1');
    expect(released?.payload).toMatchObject({
      actor: { subject: 'system' },
      reason: expect.stringContaining('expired'),
    });
  });

  it('amends a signed report with an addendum and keeps the original', async () => {
    const ordered = await orderRead(t, 'township-a-doctor', ecgOrder({ priority: 'routine' }));
    const { bytes } = cloneWithNewUids(ecg, {
      x00080050: ordered.body.accessionNumber,
      x00100020: ordered.body.patient.patientId,
    });
    await stow(t, 'township-a-doctor', [bytes]);
    const id = ordered.body.id;
    await readAction(t, 'county-ecg', id, 'claim');
    const { criticalValue: _none, ...plain } = STEMI_REPORT;
    expect((await readAction(t, 'county-ecg', id, 'report', plain)).status).toBe(200);
    const again = await readAction(t, 'county-ecg', id, 'report', plain);
    expect(again.status).toBe(409);
    expect((await readAction(t, 'county-cardiology-head', id, 'report', { ...plain, addendum: true })).status).toBe(
      403,
    );
    const addendum = await readAction(t, 'county-ecg', id, 'report', {
      ...plain,
      impression: '补充：建议复查心肌酶谱',
      addendum: true,
    });
    expect(addendum.status).toBe(200);
    const read = await getAs(t, 'township-a-doctor', `/api/reads/${id}`);
    expect(read.body.reports.map((r: { kind: string }) => r.kind)).toEqual(['original', 'addendum']);
    expect(read.body.reports[0].impression).toBe(plain.impression);
    expect(read.body.reports[1].amendsReportId).toBe(read.body.reports[0].id);
    const audit = await t.dataSource.query(
      `SELECT action, actor_subject FROM diagnosis.audit_entry WHERE resource_id = $1`,
      [id],
    );
    expect(audit).toContainEqual({ action: 'read.read', actor_subject: 'township-a-doctor' });
  });

  it('refuses bad orders with a clear 4xx and no side effect', async () => {
    const bad = await orderRead(t, 'township-a-doctor', { ...ecgOrder(), priority: 'asap' });
    expect(bad.status).toBe(400);
    const order = ecgOrder();
    expect((await orderRead(t, 'township-a-doctor', order)).status).toBe(201);
    const dup = await orderRead(t, 'township-a-doctor', { ...order, priority: 'routine' });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('READ_ACCESSION_IN_USE');
    expect((await orderRead(t, 'county-ecg', ecgOrder())).status).toBe(403);
    expect((await readAction(t, 'township-a-doctor', '00000000-0000-4000-8000-000000000000', 'claim')).status).toBe(
      403,
    );
    expect((await readAction(t, 'county-ecg', '00000000-0000-4000-8000-000000000000', 'claim')).status).toBe(404);
  });
});
