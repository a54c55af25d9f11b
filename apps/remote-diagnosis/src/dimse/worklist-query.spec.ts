import { answerFor } from './worklist-item.mapper';
import { BadIdentifierError, likePattern, worklistCriteria } from './worklist-query';

const UTC8 = 8 * 60;

describe('worklist C-FIND identifiers', () => {
  it('reads the matching keys; empty ones are universal', () => {
    expect(
      worklistCriteria(
        {
          PatientID: 'TA-1 ',
          PatientName: [],
          AccessionNumber: '',
          ScheduledProcedureStepSequence: [{ Modality: 'ECG', ScheduledStationAETitle: '' }],
        },
        UTC8,
      ),
    ).toEqual({
      patientId: 'TA-1',
      patientName: undefined,
      accessionNumber: undefined,
      stationAeTitle: undefined,
      modalities: ['ECG'],
    });
    expect(worklistCriteria({ PatientName: [{ Alphabetic: 'WANG*' }] }, UTC8).patientName).toBe('WANG*');
  });

  it("takes a date or a range as the modalities' local days", () => {
    const day = (v: string) =>
      worklistCriteria({ ScheduledProcedureStepSequence: [{ ScheduledProcedureStepStartDate: v }] }, UTC8);
    expect(day('20261122')).toMatchObject({
      scheduledFrom: new Date('2026-11-21T16:00:00Z'),
      scheduledBefore: new Date('2026-11-22T16:00:00Z'),
    });
    expect(day('20261101-20261130 ')).toMatchObject({
      scheduledFrom: new Date('2026-10-31T16:00:00Z'),
      scheduledBefore: new Date('2026-11-30T16:00:00Z'),
    });
    expect(day('-20261122').scheduledFrom).toBeUndefined();
    expect(day('20261122-').scheduledBefore).toBeUndefined();
    for (const bad of ['2026112', '20261131', 'today', '-']) expect(() => day(bad)).toThrow(BadIdentifierError);
  });

  it('escapes LIKE and turns DICOM wildcards into it', () => {
    expect(likePattern('TA_10%*?')).toBe('TA\\_10\\%%_');
  });

  it('answers the keys asked for, empty where it has nothing, the whole step for an empty step item', () => {
    const item = {
      AccessionNumber: 'A1',
      PatientID: 'P1',
      ScheduledProcedureStepSequence: [{ Modality: 'ECG', ScheduledStationAETitle: 'S' }],
    };
    expect(
      answerFor(
        {
          AccessionNumber: '',
          ReferringPhysicianName: [],
          ScheduledProcedureStepSequence: [{ Modality: '' }],
          _vrMap: {},
        },
        item,
      ),
    ).toEqual({
      SpecificCharacterSet: 'ISO_IR 192',
      AccessionNumber: 'A1',
      ReferringPhysicianName: [],
      ScheduledProcedureStepSequence: [{ Modality: 'ECG' }],
    });
    expect(answerFor({ ScheduledProcedureStepSequence: [] }, item).ScheduledProcedureStepSequence).toEqual(
      item.ScheduledProcedureStepSequence,
    );
  });
});
