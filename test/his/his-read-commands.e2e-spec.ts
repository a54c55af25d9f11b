import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import request from 'supertest';
import { ReadPriority, ReadStatus, Sex, Topics } from '@countylink/contracts';
import { hisCommandMessage } from '@countylink/his-gateway';
import { DLQ_REASON_HEADER } from '@countylink/messaging';
import { waitFor } from '@countylink/testing';
import { DiagnosisTestApp, fixture, startDiagnosisApp, stow } from '../remote-diagnosis/support/diagnosis-fixtures';
import { cloneWithNewUids } from '../remote-diagnosis/support/dicom-writer';
import { HisHarness } from './his-harness';

/** A township HIS orders a county read on Kafka; the ECG cart uploads; the HIS learns everything from events. */
describe('HIS: ordering a remote read over Kafka', () => {
  let his: HisHarness;
  let t: DiagnosisTestApp;

  beforeAll(async () => {
    his = await HisHarness.start([Topics.diagnosis], async (kafka) => {
      t = await startDiagnosisApp({ kafka, env: { CONSUMER_MAX_ATTEMPTS: '3' } });
      return t;
    });
  });
  afterAll(() => his?.stop());

  const orderRead = (institutionId: string, extra: Record<string, unknown> = {}) =>
    hisCommandMessage('countylink.his-commands.order-read.v1', {
      context: his.context(institutionId),
      patient: { patientId: `TA-${randomUUID().slice(0, 6)}`, name: '王建国', sex: Sex.MALE, birthDate: '1956-03-14' },
      modality: 'ECG',
      priority: ReadPriority.EMERGENCY,
      clinicalQuestion: '胸痛2小时，请排除急性心肌梗死',
      practitionerId: 'township-a-doctor',
      departmentId: 'general-practice',
      ...extra,
    });

  it('orders the read, attaches the uploaded ECG by accession number and brings the report back, once per command', async () => {
    const order = orderRead('township-a');
    await his.send(order, order);
    const result = await his.resultOf(order.headers.ce_id);
    expect(result.type).toBe('countylink.his-results.command-accepted.v1');
    const { read_id: readId, accession_number: accession } = result.payload.resultingIds!;
    expect(accession).toMatch(/^[\x21-\x7e]{1,16}$/);

    const [requested] = await his.events.waitForKey(readId, 1);
    expect(requested.type).toBe('countylink.diagnosis.read-requested.v1');
    expect(requested.payload).toMatchObject({
      read: {
        status: ReadStatus.REQUESTED,
        priority: ReadPriority.EMERGENCY,
        modality: 'ECG',
        requestingInstitutionId: 'township-a',
        requestingPractitionerId: 'township-a-doctor',
        requestingDepartmentId: 'general-practice',
        clinicalQuestion: '胸痛2小时，请排除急性心肌梗死',
      },
    });

    // The ECG cart sends the tracing with the accession number from the HIS's worklist.
    const patientId = (requested.payload as { read: { patient: { patientId: string } } }).read.patient.patientId;
    const ecg = cloneWithNewUids(readFileSync(fixture('waveform_ecg.dcm')), {
      x00080050: accession,
      x00100020: patientId,
    });
    expect((await stow(t, 'township-a-doctor', [ecg.bytes])).status).toBe(200);
    // The events of this read (keyed by its id): instance-stored and read-ready, later the report.
    const ofRead = (type: string) =>
      waitFor(type, () => his.events.events.find((e) => e.key === readId && e.type === type));
    expect(await ofRead('countylink.diagnosis.instance-stored.v1')).toMatchObject({
      payload: { accessionNumber: accession, sopInstanceUid: ecg.ids.sopInstanceUid },
    });
    expect(await ofRead('countylink.diagnosis.read-ready.v1')).toMatchObject({
      payload: { read: { status: ReadStatus.READY, studyInstanceUids: [ecg.ids.studyInstanceUid] } },
    });

    const ecgDesk = `Bearer ${await t.token('county-ecg')}`;
    expect((await request(t.url).post(`/api/reads/${readId}/claim`).set('Authorization', ecgDesk)).status).toBe(200);
    const report = await request(t.url).post(`/api/reads/${readId}/report`).set('Authorization', ecgDesk).send({
      findings: '窦性心律，V1-V4 ST段抬高',
      impression: '急性前壁心肌梗死',
      treatmentPlan: '立即启动胸痛中心绿色通道转诊',
    });
    expect(report.status).toBe(200);
    expect(await ofRead('countylink.diagnosis.read-reported.v1')).toMatchObject({
      payload: { report: { treatmentPlan: '立即启动胸痛中心绿色通道转诊' } },
    });

    // Township A's HIS saw its read through on its own feed, the copies of the domain events (same ids), in order.
    const reported = (events: Array<{ type: string }>) =>
      events.some((e) => e.type === 'countylink.diagnosis.read-reported.v1');
    const [onFeed, domain] = await waitFor('the report on township A’s feed and on the domain topic', () => {
      const both = [his.feedOf('township-a', readId), his.events.events.filter((e) => e.key === readId)];
      return both.every(reported) ? both : undefined;
    });
    expect(onFeed.map((e) => e.headers.ce_id)).toEqual(domain.map((e) => e.headers.ce_id));
    expect(onFeed.map((e) => e.raw)).toEqual(domain.map((e) => e.raw));
    expect(his.feedOf('township-b', readId)).toEqual([]);

    // The duplicate acted once: one result, one read for the command.
    expect(his.resultsOf(order.headers.ce_id)).toHaveLength(1);
    expect(
      his.events.events.filter(
        (e) =>
          e.type === 'countylink.diagnosis.read-requested.v1' &&
          (e.payload as { read: { accessionNumber: string } }).read.accessionNumber === accession,
      ),
    ).toHaveLength(1);
  });

  it('rejects an accession number already in use with a result, not a dead letter', async () => {
    const accession = `HIS${Date.now().toString(36).toUpperCase()}`;
    const first = orderRead('township-a', { accessionNumber: accession });
    const clash = orderRead('township-a', { accessionNumber: accession });
    await his.send(first, clash);
    expect((await his.resultOf(first.headers.ce_id)).payload.resultingIds).toMatchObject({
      accession_number: accession,
    });
    expect((await his.resultOf(clash.headers.ce_id)).payload).toMatchObject({ code: 'READ_ACCESSION_IN_USE' });
    expect(his.deadLettersOf(clash.headers.ce_id)).toEqual([]);
  });

  it('refuses an order for another township and an invalid order: a result, a dead letter, no read, and goes on', async () => {
    const foreign = orderRead('township-b', { clinicalQuestion: 'foreign order' });
    const invalid = orderRead('township-a', { modality: 'ecg; drop table', clinicalQuestion: 'invalid order' });
    const noPriority = orderRead('township-a', { priority: ReadPriority.UNSPECIFIED, clinicalQuestion: 'no priority' });
    const noName = orderRead('township-a', {
      patient: { patientId: 'TA-NONAME', name: '', sex: Sex.MALE },
      clinicalQuestion: 'no name',
    });
    const after = orderRead('township-a');
    // Township A's HIS names township B on its own topic: refused.
    await his.sendAs('township-a', foreign, invalid, noPriority, noName, after);

    expect((await his.resultOf(foreign.headers.ce_id)).payload).toMatchObject({
      code: 'COMMAND_NOT_ALLOWED',
      message: expect.stringMatching(/names township-b, but came on the command topic of township-a/),
    });
    expect((await his.resultOf(invalid.headers.ce_id)).payload.code).toBe('VALIDATION_FAILED');
    expect((await his.resultOf(noPriority.headers.ce_id)).payload.code).toBe('VALIDATION_FAILED');
    // The HIS is told which field is wrong and why, nested fields by their path (as the HTTP API's details name them).
    expect((await his.resultOf(noName.headers.ce_id)).payload).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: 'The command is not valid: patient.name: name must be longer than or equal to 1 characters',
    });
    expect((await his.resultOf(invalid.headers.ce_id)).payload.message).toMatch(
      /^The command is not valid: modality: modality must be a DICOM modality code/,
    );
    expect((await his.resultOf(after.headers.ce_id)).type).toBe('countylink.his-results.command-accepted.v1');
    expect((await his.deadLetter(foreign.headers.ce_id)).headers[DLQ_REASON_HEADER]).toMatch(/not allowed/);
    expect((await his.deadLetter(invalid.headers.ce_id)).headers[DLQ_REASON_HEADER]).toMatch(
      /modality must be a DICOM modality code/,
    );
    expect((await his.deadLetter(noPriority.headers.ce_id)).headers[DLQ_REASON_HEADER]).toMatch(/priority/);

    const questions = his.events.events
      .filter((e) => e.type === 'countylink.diagnosis.read-requested.v1')
      .map((e) => (e.payload as { read: { clinicalQuestion: string } }).read.clinicalQuestion);
    expect(questions.filter((q) => ['foreign order', 'invalid order', 'no priority', 'no name'].includes(q))).toEqual(
      [],
    );
    const rows = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM diagnosis.read WHERE clinical_question IN ('foreign order', 'invalid order', 'no priority', 'no name')`,
    );
    expect(rows[0].n).toBe(0);
  });

  it('answers a command that does not decode or keeps failing with COMMAND_FAILED, dead-letters it once and goes on', async () => {
    // A fault the database raises for one order only: the handler fails every attempt.
    await t.dataSource.query(`
      CREATE FUNCTION diagnosis.fail_marked_order() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.clinical_question = 'storage fault' THEN RAISE EXCEPTION 'simulated storage fault'; END IF; RETURN NEW; END $$;
      CREATE TRIGGER fail_marked_order BEFORE INSERT ON diagnosis.read FOR EACH ROW EXECUTE FUNCTION diagnosis.fail_marked_order();`);
    const failing = orderRead('township-a', { clinicalQuestion: 'storage fault' });
    const undecodable = { ...orderRead('township-a'), value: Buffer.from([0x0a, 0xff, 0xff, 0xff]) };
    const after = orderRead('township-a');
    await his.send(failing, undecodable, after);

    for (const command of [failing, undecodable]) {
      expect((await his.resultOf(command.headers.ce_id)).payload).toMatchObject({
        code: 'COMMAND_FAILED',
        message: expect.stringMatching(/not applied/),
      });
    }
    expect((await his.deadLetter(failing.headers.ce_id)).headers[DLQ_REASON_HEADER]).toMatch(
      /handler failed 3 times: simulated storage fault/,
    );
    expect((await his.deadLetter(undecodable.headers.ce_id)).headers[DLQ_REASON_HEADER]).toMatch(/does not decode/);
    expect((await his.resultOf(after.headers.ce_id)).type).toBe('countylink.his-results.command-accepted.v1');
    expect([...his.resultsOf(failing.headers.ce_id), ...his.resultsOf(undecodable.headers.ce_id)]).toHaveLength(2);
    const rows = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM diagnosis.read WHERE clinical_question = 'storage fault'`,
    );
    expect(rows[0].n).toBe(0);
  });
});
