import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiagnosisTestApp, fixture, startDiagnosisApp, stow } from './support/diagnosis-fixtures';
import { findWorklist, storescu } from './support/dcmtk';
import { cloneWithNewUids } from './support/dicom-writer';
import { ecgOrder, getAs, orderRead } from './support/read-helpers';

const AE_MAP =
  'TOWNSHIP_A_ECG@127.0.0.1=township-a,TOWNSHIP_A_DR@127.0.0.1=township-a,TOWNSHIP_B_ECG@127.0.0.1=township-b';
const ECG_STEPS = 'ScheduledProcedureStepSequence[0].Modality=ECG';
/** What a township ECG cart asks for: who, which accession number, and the step, by modality and day. */
const CART_KEYS = [
  'PatientName',
  'PatientID',
  'PatientBirthDate',
  'PatientSex',
  'AccessionNumber',
  'StudyInstanceUID',
  'RequestedProcedureID',
  'RequestedProcedureDescription',
  'ScheduledProcedureStepSequence[0].ScheduledStationAETitle',
  'ScheduledProcedureStepSequence[0].ScheduledProcedureStepStartTime',
  'ScheduledProcedureStepSequence[0].ScheduledProcedureStepID',
];

/** Today in the modalities' clock (UTC+8): a DICOM DA. */
const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10).replace(/-/g, '');

describe('DICOM DIMSE: Modality Worklist C-FIND (dcmtk findscu -W)', () => {
  let t: DiagnosisTestApp;
  const orders: Record<string, { id: string; accessionNumber: string; patientId: string }> = {};
  const accessions = (items: Array<Record<string, string>>) => items.map((i) => i.AccessionNumber).sort();

  beforeAll(async () => {
    t = await startDiagnosisApp({ env: { DICOM_DIMSE_AE_MAP: AE_MAP } });
    const order = async (name: string, login: string, body: object) => {
      const res = await orderRead(t, login, body);
      expect(res.status).toBe(201);
      orders[name] = {
        id: res.body.id,
        accessionNumber: res.body.accessionNumber,
        patientId: res.body.patient.patientId,
      };
    };
    await order(
      'aEcg1',
      'township-a-doctor',
      ecgOrder({ patient: { patientId: 'TA-000123', name: '王建国', sex: 'M', birthDate: '1956-03-14' } }),
    );
    await order('aEcg2', 'family-doctor-a', ecgOrder({ priority: 'routine' }));
    await order(
      'aDx',
      'township-a-doctor',
      ecgOrder({ modality: 'DX', priority: 'urgent', clinicalQuestion: '咳嗽一周' }),
    );
    await order('aDone', 'township-a-doctor', ecgOrder());
    await order('bEcg', 'township-b-doctor', ecgOrder());
    // Township A's fourth order already has its ECG: it no longer waits for the cart.
    const { bytes } = cloneWithNewUids(readFileSync(fixture('waveform_ecg.dcm')), {
      x00080050: orders.aDone.accessionNumber,
      x00100020: orders.aDone.patientId,
    });
    expect((await stow(t, 'township-a-doctor', [bytes])).status).toBe(200);
  });
  afterAll(async () => {
    await t?.close();
  });

  it("gives township A's ECG cart township A's ECG orders still waiting for images, and none of township B's", async () => {
    const { run, items } = await findWorklist(t, 'TOWNSHIP_A_ECG', [
      ECG_STEPS,
      `ScheduledProcedureStepSequence[0].ScheduledProcedureStepStartDate=${today()}`,
      ...CART_KEYS,
    ]);
    expect(run.code).toBe(0);
    expect(accessions(items)).toEqual([orders.aEcg1.accessionNumber, orders.aEcg2.accessionNumber].sort());
    const first = items.find((i) => i.AccessionNumber === orders.aEcg1.accessionNumber)!;
    expect(first).toMatchObject({
      SpecificCharacterSet: 'ISO_IR 192',
      PatientName: '王建国',
      PatientID: 'TA-000123',
      PatientBirthDate: '19560314',
      PatientSex: 'M',
      Modality: 'ECG',
      ScheduledStationAETitle: 'TOWNSHIP_A_ECG',
      ScheduledProcedureStepStartDate: today(),
      RequestedProcedureDescription: expect.stringContaining('胸痛2小时'),
    });
    expect(first.StudyInstanceUID).toMatch(/^2\.25\.\d+$/);
    expect(first.ScheduledProcedureStepID).toMatch(/^[0-9A-F]{16}$/);
    expect(first.ScheduledProcedureStepStartTime).toMatch(/^\d{6}$/);
  });

  it('matches on modality, patient id (with wildcards), accession number and date range; only ever within the calling institution', async () => {
    const accessionsFor = async (aet: string, keys: string[]) =>
      accessions((await findWorklist(t, aet, ['AccessionNumber', ...keys])).items);
    const a = orders;
    expect(await accessionsFor('TOWNSHIP_A_DR', [])).toEqual(
      [a.aEcg1, a.aEcg2, a.aDx].map((o) => o.accessionNumber).sort(),
    );
    expect(await accessionsFor('TOWNSHIP_A_DR', ['ScheduledProcedureStepSequence[0].Modality=DX'])).toEqual([
      a.aDx.accessionNumber,
    ]);
    expect(await accessionsFor('TOWNSHIP_A_ECG', ['PatientID=TA-000123'])).toEqual([a.aEcg1.accessionNumber]);
    expect(await accessionsFor('TOWNSHIP_A_ECG', ['PatientID=TA-0001*'])).toEqual([a.aEcg1.accessionNumber]);
    expect(await accessionsFor('TOWNSHIP_A_ECG', [`AccessionNumber=${a.aEcg2.accessionNumber}`])).toEqual([
      a.aEcg2.accessionNumber,
    ]);
    expect(
      await accessionsFor('TOWNSHIP_A_ECG', [
        'ScheduledProcedureStepSequence[0].ScheduledProcedureStepStartDate=20200101-20201231',
      ]),
    ).toEqual([]);
    expect(
      await accessionsFor('TOWNSHIP_A_ECG', [
        `ScheduledProcedureStepSequence[0].ScheduledProcedureStepStartDate=-${today()}`,
        ECG_STEPS,
      ]),
    ).toHaveLength(2);
    // Another township's order is not there, even asked for by its own accession number or patient.
    expect(await accessionsFor('TOWNSHIP_A_ECG', [`AccessionNumber=${a.bEcg.accessionNumber}`])).toEqual([]);
    expect(await accessionsFor('TOWNSHIP_A_ECG', [`PatientID=${a.bEcg.patientId}`])).toEqual([]);
    expect(await accessionsFor('TOWNSHIP_B_ECG', [])).toEqual([a.bEcg.accessionNumber]);
  });

  it('links order and images: the ECG the cart records with the worklist accession number reaches the county, and leaves the worklist', async () => {
    const { items } = await findWorklist(t, 'TOWNSHIP_A_ECG', [
      ECG_STEPS,
      'AccessionNumber',
      'PatientID',
      `PatientID=${orders.aEcg2.patientId}`,
    ]);
    expect(items).toHaveLength(1);
    const { bytes } = cloneWithNewUids(readFileSync(fixture('waveform_ecg.dcm')), {
      x00080050: items[0].AccessionNumber,
      x00100020: items[0].PatientID,
    });
    const file = join(mkdtempSync(join(tmpdir(), 'countylink-mwl-ecg-')), 'ecg.dcm');
    writeFileSync(file, bytes);
    const store = await storescu(t, 'TOWNSHIP_A_ECG', [file]);
    expect(store.code).toBe(0);
    const read = await getAs(t, 'county-ecg', `/api/reads/${orders.aEcg2.id}`);
    // The whole answer on failure (an error's code and message, or the read's other status).
    expect({ http: read.status, body: read.body }).toMatchObject({ http: 200, body: { status: 'ready' } });
    const after = await findWorklist(t, 'TOWNSHIP_A_ECG', [ECG_STEPS, 'AccessionNumber']);
    expect(accessions(after.items)).toEqual([orders.aEcg1.accessionNumber]);
  });
});
