import { MessageInitShape } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import {
  EventCatalog,
  EventType,
  ReadPriority,
  ReadSchema,
  ReadStatus,
  ReportKind,
  ReportSchema,
} from '@countylink/contracts';
import { InvalidEventError } from '@countylink/messaging';
import { consumedEvent, Init } from '@countylink/testing/consumed-event';
import type { NotificationSpec } from '../notifications/notification-log.repository';
import type { ReadNotice } from '../notifications/notification-types';
import { MappingContext, MappingResult } from './event-mapping';
import { criticalValueRaised, readReported, readStatusChanged } from './diagnosis-mappings';

const TIME = new Date('2026-11-05T08:30:00.000Z');
const OCCURRED = new Date('2026-11-05T08:29:30.000Z');
const DUE = new Date('2026-11-05T08:45:00.000Z');
const context = {} as MappingContext;

const consumed = <T extends EventType>(
  type: T,
  init: MessageInitShape<(typeof EventCatalog)[T]['schema']>,
  time = TIME,
) => consumedEvent(type, init, { source: '/countylink/remote-diagnosis', key: 'read-1', time });

/** A township A ECG for the county's ECG room, as remote-diagnosis publishes it. */
const ecgRead = (overrides: Init<typeof ReadSchema> = {}): Init<typeof ReadSchema> => ({
  id: 'read-1',
  accessionNumber: 'ACC0001',
  status: ReadStatus.READY,
  priority: ReadPriority.EMERGENCY,
  modality: 'ECG',
  patient: { patientId: 'P-0001', name: '王建国', identityNumberHash: 'hmac-of-identity' },
  requestingInstitutionId: 'township-a',
  requestingDepartmentId: 'general-practice',
  requestingPractitionerId: 'township-a-doctor',
  readingInstitutionId: 'county-hospital',
  readingDepartmentId: 'ecg-room',
  clinicalQuestion: '胸痛2小时',
  dueAt: timestampFromDate(DUE),
  version: 2,
  ...overrides,
});

const report = (overrides: Init<typeof ReportSchema> = {}): Init<typeof ReportSchema> => ({
  id: 'rep-1',
  readId: 'read-1',
  kind: ReportKind.ORIGINAL,
  findings: '窦性心律；V1–V4导联ST段抬高',
  impression: '急性前壁ST段抬高型心肌梗死',
  treatmentPlan: '立即转县医院行急诊PCI',
  signedBy: { subject: 'county-ecg', institutionId: 'county-hospital' },
  signedAt: timestampFromDate(OCCURRED),
  ...overrides,
});

const baseNotice: ReadNotice = {
  readId: 'read-1',
  accessionNumber: 'ACC0001',
  status: 'ready',
  priority: 'emergency',
  modality: 'ECG',
  patientName: '王建国',
  requestingInstitutionId: 'township-a',
  requestingPractitionerId: 'township-a-doctor',
  readingInstitutionId: 'county-hospital',
  readingDepartmentId: 'ecg-room',
  dueAt: DUE.toISOString(),
  claimedBy: null,
  impression: null,
  treatmentPlan: null,
};

const only = async (result: MappingResult | Promise<MappingResult>): Promise<NotificationSpec> => {
  const r = await result;
  expect(r.alerts).toEqual([]);
  expect(r.notifications).toHaveLength(1);
  return r.notifications[0];
};

function institutionsReached(spec: NotificationSpec): string[] {
  return spec.scopes.map((scope) => {
    const [kind, id] = scope.split(':');
    if (kind !== 'user') return id;
    const actsFor = spec.people?.[id];
    if (!actsFor) throw new Error(`${scope} has no institution in people`);
    return actsFor;
  });
}

describe('diagnosis mappings', () => {
  describe('worklist changes (ready, claimed, released)', () => {
    const cases = [
      ['countylink.diagnosis.read-ready.v1', 'read.ready', ReadStatus.READY, 'ready'],
      ['countylink.diagnosis.read-claimed.v1', 'read.claimed', ReadStatus.CLAIMED, 'claimed'],
      ['countylink.diagnosis.read-released.v1', 'read.released', ReadStatus.READY, 'ready'],
    ] as const;

    it.each(cases)(
      '%s becomes %s for the reading desk, its department and the requesting doctor',
      async (eventType, type, status, statusName) => {
        const spec = await only(
          readStatusChanged(type)(
            consumed(eventType, { read: ecgRead({ status }), occurredAt: timestampFromDate(OCCURRED) }),
            context,
          ),
        );
        expect(spec).toEqual({
          type,
          subject: { type: 'read', id: 'read-1' },
          data: { ...baseNotice, status: statusName },
          scopes: [
            'worklist:county-hospital:reads:ecg',
            'department:county-hospital:ecg-room',
            'user:township-a-doctor',
          ],
          people: { 'township-a-doctor': 'township-a' },
          at: OCCURRED,
        });
      },
    );

    it('does not tell the requesting department of worklist changes, only the doctor who asked', async () => {
      const spec = await only(
        readStatusChanged('read.ready')(consumed('countylink.diagnosis.read-ready.v1', { read: ecgRead() }), context),
      );
      expect(spec.scopes).not.toContain('department:township-a:general-practice');
    });

    it('names who claimed it', async () => {
      const spec = await only(
        readStatusChanged('read.claimed')(
          consumed('countylink.diagnosis.read-claimed.v1', {
            read: ecgRead({ status: ReadStatus.CLAIMED, claimedBy: 'county-ecg' }),
          }),
          context,
        ),
      );
      expect(spec.data).toMatchObject({ status: 'claimed', claimedBy: 'county-ecg' });
    });

    it('puts every modality but ECG on the X-ray desk, and leaves out the department room when none is routed', async () => {
      const dx = await only(
        readStatusChanged('read.ready')(
          consumed('countylink.diagnosis.read-ready.v1', {
            read: ecgRead({ modality: 'DX', readingDepartmentId: 'radiology' }),
          }),
          context,
        ),
      );
      expect(dx.scopes).toEqual([
        'worklist:county-hospital:reads:xray',
        'department:county-hospital:radiology',
        'user:township-a-doctor',
      ]);
      const ct = await only(
        readStatusChanged('read.ready')(
          consumed('countylink.diagnosis.read-ready.v1', {
            read: ecgRead({ modality: 'CT', readingDepartmentId: '' }),
          }),
          context,
        ),
      );
      expect(ct.scopes).toEqual(['worklist:county-hospital:reads:xray', 'user:township-a-doctor']);
      // The modality is compared as DICOM writes it (upper case): a lower-case ecg goes to the X-ray desk.
      const lower = await only(
        readStatusChanged('read.ready')(
          consumed('countylink.diagnosis.read-ready.v1', { read: ecgRead({ modality: 'ecg' }) }),
          context,
        ),
      );
      expect(lower.scopes[0]).toBe('worklist:county-hospital:reads:xray');
    });

    it('takes the envelope time without occurredAt, and a null due date without dueAt', async () => {
      const spec = await only(
        readStatusChanged('read.released')(
          consumed('countylink.diagnosis.read-released.v1', {
            read: ecgRead({ dueAt: undefined, priority: ReadPriority.ROUTINE }),
          }),
          context,
        ),
      );
      expect(spec.at).toBe(TIME);
      expect(spec.data).toMatchObject({ dueAt: null, priority: 'routine' });
    });

    it('carries no patient id nor identity hash', async () => {
      const { data } = await only(
        readStatusChanged('read.ready')(consumed('countylink.diagnosis.read-ready.v1', { read: ecgRead() }), context),
      );
      expect(JSON.stringify(data)).not.toMatch(/P-0001|hmac-of-identity|胸痛/);
      expect(Object.keys(data).sort()).toEqual(Object.keys(baseNotice).sort());
    });

    it('refuses a read without its id or either end', () => {
      const map = (read?: Init<typeof ReadSchema>) => () =>
        readStatusChanged('read.ready')(consumed('countylink.diagnosis.read-ready.v1', { read }), context);
      expect(map(undefined)).toThrow(new InvalidEventError('event carries no read with its two ends'));
      expect(map(ecgRead({ id: '' }))).toThrow(InvalidEventError);
      expect(map(ecgRead({ readingInstitutionId: '' }))).toThrow(InvalidEventError);
      expect(map(ecgRead({ requestingInstitutionId: '' }))).toThrow(InvalidEventError);
    });
  });

  describe('read reported and report amended', () => {
    it.each([
      ['countylink.diagnosis.read-reported.v1', 'read.reported'],
      ['countylink.diagnosis.report-amended.v1', 'read.amended'],
    ] as const)(
      '%s becomes %s for the requesting doctor and department first, then the reading desk',
      async (eventType, type) => {
        const spec = await only(
          readReported(type)(
            consumed(eventType, { read: ecgRead({ status: ReadStatus.REPORTED }), report: report() }),
            context,
          ),
        );
        expect(spec).toEqual({
          type,
          subject: { type: 'read', id: 'read-1' },
          data: {
            ...baseNotice,
            status: 'reported',
            impression: '急性前壁ST段抬高型心肌梗死',
            treatmentPlan: '立即转县医院行急诊PCI',
          },
          scopes: [
            'user:township-a-doctor',
            'department:township-a:general-practice',
            'worklist:county-hospital:reads:ecg',
            'department:county-hospital:ecg-room',
          ],
          people: { 'township-a-doctor': 'township-a' },
          at: OCCURRED,
        });
      },
    );

    it('leaves out the requesting department when the order named none, and the findings always', async () => {
      const spec = await only(
        readReported('read.reported')(
          consumed('countylink.diagnosis.read-reported.v1', {
            read: ecgRead({ requestingDepartmentId: '' }),
            report: report(),
          }),
          context,
        ),
      );
      expect(spec.scopes).toEqual([
        'user:township-a-doctor',
        'worklist:county-hospital:reads:ecg',
        'department:county-hospital:ecg-room',
      ]);
      expect(JSON.stringify(spec.data)).not.toContain('窦性心律');
    });

    it('takes the envelope time without a signing time, and nulls for an empty impression and plan', async () => {
      const spec = await only(
        readReported('read.amended')(
          consumed('countylink.diagnosis.report-amended.v1', {
            read: ecgRead(),
            report: report({ signedAt: undefined, impression: '', treatmentPlan: '' }),
          }),
          context,
        ),
      );
      expect(spec.at).toBe(TIME);
      expect(spec.data).toMatchObject({ impression: null, treatmentPlan: null });
      const noReport = await only(
        readReported('read.reported')(consumed('countylink.diagnosis.read-reported.v1', { read: ecgRead() }), context),
      );
      expect(noReport.data).toMatchObject({ impression: null, treatmentPlan: null });
      expect(noReport.at).toBe(TIME);
    });

    it('refuses a report without its read', () => {
      expect(() =>
        readReported('read.reported')(consumed('countylink.diagnosis.read-reported.v1', { report: report() }), context),
      ).toThrow(InvalidEventError);
    });
  });

  describe('critical value raised (危急值)', () => {
    const raised = (
      overrides: Init<(typeof EventCatalog)['countylink.diagnosis.critical-value-raised.v1']['schema']> = {},
    ) =>
      consumed('countylink.diagnosis.critical-value-raised.v1', {
        read: ecgRead({ status: ReadStatus.REPORTED }),
        reportId: 'rep-1',
        criticalValue: { category: 'acute-stemi', description: 'V1–V4 ST段抬高' },
        notifyPractitionerId: 'township-a-doctor',
        notifyInstitutionId: 'township-a',
        raisedAt: timestampFromDate(OCCURRED),
        ...overrides,
      });

    it('raises a critical-value alert for the requesting institution and department, and no notification', async () => {
      expect(await criticalValueRaised(raised(), context)).toEqual({
        notifications: [],
        alerts: [
          {
            kind: 'critical-value',
            subject: { type: 'read', id: 'read-1' },
            institutionId: 'township-a',
            departmentId: 'general-practice',
            summary: '危急值 acute-stemi: 王建国 V1–V4 ST段抬高 (ECG ACC0001)',
            at: OCCURRED,
          },
        ],
      });
    });

    it('falls back to the requesting institution, no department and the envelope time', async () => {
      const { alerts } = await criticalValueRaised(
        raised({ notifyInstitutionId: '', raisedAt: undefined, read: ecgRead({ requestingDepartmentId: '' }) }),
        context,
      );
      expect(alerts[0]).toMatchObject({ institutionId: 'township-a', departmentId: null, at: TIME });
    });

    it('sends the alert to the institution the event names to notify (current behaviour: not checked against the read’s ends)', async () => {
      const { alerts } = await criticalValueRaised(raised({ notifyInstitutionId: 'township-b' }), context);
      expect(alerts[0].institutionId).toBe('township-b');
      // The department is still the requesting one of township A.
      expect(alerts[0].departmentId).toBe('general-practice');
    });

    it('keeps the summary’s shape, trimmed at its ends only, when category, description or patient is missing', async () => {
      const { alerts } = await criticalValueRaised(
        raised({ criticalValue: undefined, read: ecgRead({ patient: undefined }) }),
        context,
      );
      expect(alerts[0].summary).toBe('危急值 :   (ECG ACC0001)');
    });

    it('refuses an event without its read', () => {
      expect(() => criticalValueRaised(raised({ read: undefined }), context)).toThrow(InvalidEventError);
    });
  });

  describe('who is told', () => {
    it('never sends a read’s patient to a room outside the requesting and the reading institution', async () => {
      const results = [
        readStatusChanged('read.ready')(consumed('countylink.diagnosis.read-ready.v1', { read: ecgRead() }), context),
        readStatusChanged('read.claimed')(
          consumed('countylink.diagnosis.read-claimed.v1', {
            read: ecgRead({ modality: 'DX', readingDepartmentId: '' }),
          }),
          context,
        ),
        readReported('read.reported')(
          consumed('countylink.diagnosis.read-reported.v1', { read: ecgRead(), report: report() }),
          context,
        ),
        readReported('read.amended')(
          consumed('countylink.diagnosis.report-amended.v1', {
            read: ecgRead({ requestingInstitutionId: 'township-b', requestingPractitionerId: 'township-b-doctor' }),
            report: report(),
          }),
          context,
        ),
      ];
      for (const result of results) {
        const spec = await only(result);
        const notice = spec.data as ReadNotice;
        for (const institution of institutionsReached(spec))
          expect([notice.requestingInstitutionId, notice.readingInstitutionId]).toContain(institution);
      }
      const fromB = await only(results[3]);
      expect(institutionsReached(fromB)).not.toContain('township-a');
      expect(fromB.people).toEqual({ 'township-b-doctor': 'township-b' });
    });
  });
});
