import { readFileSync } from 'node:fs';
import { REFERRAL_DATA_SOURCE } from '../../apps/referral-registry/src/referral-registry.constants';
import { ReferralRegistryModule } from '../../apps/referral-registry/src/referral-registry.module';
import { DIAGNOSIS_DATA_SOURCE } from '../../apps/remote-diagnosis/src/remote-diagnosis.constants';
import { RemoteDiagnosisModule } from '../../apps/remote-diagnosis/src/remote-diagnosis.module';
import { waitFor } from '@countylink/testing';
import { DiagnosisTestApp, fixture, startDiagnosisApp, stow } from './support/diagnosis-fixtures';
import { cloneWithNewUids } from './support/dicom-writer';
import { ecgOrder, getAs, orderRead, readAction, STEMI_REPORT } from './support/read-helpers';

/**
 * 指派: the head of the department a read is routed to (a directory duty) or the group admin gives
 * it to one of that department's specialists; nobody else may, and nobody outside the department
 * may be given it. The directory reaches remote-diagnosis as events (its known_member replica).
 */
describe('assigning a read (指派)', () => {
  let t: DiagnosisTestApp;
  const ecg = readFileSync(fixture('waveform_ecg.dcm'));

  beforeAll(async () => {
    t = await startDiagnosisApp({
      features: [ReferralRegistryModule, RemoteDiagnosisModule],
      dataSources: [REFERRAL_DATA_SOURCE, DIAGNOSIS_DATA_SOURCE],
    });
    await waitFor(
      'the directory replica',
      async () => (await t.dataSource.query('SELECT count(*)::int AS n FROM diagnosis.known_member'))[0].n >= 14,
    );
  });
  afterAll(() => t?.close());

  /** A township A ECG routed to cardiology (the order's choice), images in: on cardiology's worklist. */
  async function readyCardiologyRead(): Promise<string> {
    const order = ecgOrder({ readingDepartmentId: 'cardiology' });
    const ordered = await orderRead(t, 'township-a-doctor', order);
    expect(ordered.status).toBe(201);
    const { bytes } = cloneWithNewUids(ecg, { x00080050: order.accessionNumber, x00100020: order.patient.patientId });
    expect((await stow(t, 'township-a-doctor', [bytes])).status).toBe(200);
    return ordered.body.id;
  }
  const assign = (login: string, id: string, readerId: string) =>
    readAction(t, login, id, 'assign', { readerId, reason: '急诊优先' });
  const refusal = (res: { status: number; body: { error?: { code: string } } }) => ({
    status: res.status,
    code: res.body.error?.code,
  });

  it('lets the department head give a ready read to a specialist of the department, who then reports it', async () => {
    const id = await readyCardiologyRead();
    // A specialist who is not the head, a township doctor: refused.
    expect(refusal(await assign('county-cardiology', id, 'county-cardiology'))).toEqual({
      status: 403,
      code: 'READ_NOT_ALLOWED',
    });
    expect(refusal(await assign('township-a-doctor', id, 'county-cardiology'))).toEqual({
      status: 403,
      code: 'FORBIDDEN',
    });
    // The head, to someone outside cardiology or unknown: refused, and the read stays ready.
    expect(refusal(await assign('county-cardiology-head', id, 'county-ecg'))).toEqual({
      status: 422,
      code: 'READ_ASSIGNEE_INVALID',
    });
    expect(refusal(await assign('county-cardiology-head', id, 'no-such-doctor'))).toEqual({
      status: 422,
      code: 'READ_ASSIGNEE_INVALID',
    });
    expect((await getAs(t, 'county-cardiology', `/api/reads/${id}`)).body).toMatchObject({
      status: 'ready',
      claim: null,
    });

    const given = await assign('county-cardiology-head', id, 'county-cardiology');
    expect(given.status).toBe(200);
    expect(given.body).toMatchObject({ status: 'claimed', claim: { by: 'county-cardiology' } });
    // The claim is the assignee's: the head cannot sign in their place, the assignee can.
    expect(refusal(await readAction(t, 'county-cardiology-head', id, 'report', STEMI_REPORT))).toEqual({
      status: 409,
      code: 'READ_CLAIMED_BY_ANOTHER',
    });
    expect((await readAction(t, 'county-cardiology', id, 'report', STEMI_REPORT)).status).toBe(200);
    // A reported read is not assigned any more.
    expect(refusal(await assign('county-cardiology-head', id, 'county-cardiology-head'))).toEqual({
      status: 409,
      code: 'READ_INVALID_TRANSITION',
    });
  });

  it('lets the group admin take a claimed read from one specialist and give it to another', async () => {
    const id = await readyCardiologyRead();
    expect((await readAction(t, 'county-cardiology', id, 'claim')).status).toBe(200);
    const moved = await assign('group-admin', id, 'county-cardiology-head');
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ status: 'claimed', claim: { by: 'county-cardiology-head' } });
    expect(refusal(await readAction(t, 'county-cardiology', id, 'release'))).toEqual({
      status: 409,
      code: 'READ_CLAIMED_BY_ANOTHER',
    });
  });
});
