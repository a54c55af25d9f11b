import { readFileSync } from 'node:fs';
import request from 'supertest';
import { DiagnosisTestApp, fixture, startDiagnosisApp, stow } from './support/diagnosis-fixtures';
import { cloneWithNewUids, dxBuffer } from './support/dicom-writer';
import { ecgOrder, getAs, orderRead, readAction } from './support/read-helpers';

const MINUTE = 60_000;
const PLAIN_REPORT = {
  findings: '窦性心律，未见明显ST-T改变',
  impression: '正常心电图',
  treatmentPlan: '继续基层随访',
};
const beijingDay = (iso: string) => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10);

/**
 * GET /api/kpis/read-turnaround: reads made ready and reported through the API, their ready, due and
 * report times then set to known Beijing moments, so every count and percentile is known exactly.
 */
describe('read turnaround KPI', () => {
  let t: DiagnosisTestApp;
  const ecg = readFileSync(fixture('waveform_ecg.dcm'));
  const patients: string[] = [];

  beforeAll(async () => {
    t = await startDiagnosisApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  /** An order from `login`'s institution and its images: the read is on the county worklist. */
  const readyRead = async (login: string, modality: 'ECG' | 'DX', priority: string): Promise<string> => {
    const order = ecgOrder({ modality, priority });
    patients.push(order.patient.patientId, order.patient.name);
    const ordered = await orderRead(t, login, order);
    expect(ordered.status).toBe(201);
    const bytes =
      modality === 'ECG'
        ? cloneWithNewUids(ecg, { x00080050: order.accessionNumber, x00100020: order.patient.patientId }).bytes
        : dxBuffer({
            rows: 64,
            columns: 64,
            patientId: order.patient.patientId,
            accessionNumber: order.accessionNumber,
          });
    expect((await stow(t, login, [bytes])).status).toBe(200);
    const read = await getAs(t, login, `/api/reads/${ordered.body.id}`);
    expect(read.body.status).toBe('ready');
    return ordered.body.id as string;
  };
  const reportAs = async (login: string, id: string) => {
    expect((await readAction(t, login, id, 'claim')).status).toBe(200);
    expect((await readAction(t, login, id, 'report', PLAIN_REPORT)).status).toBe(200);
  };
  /** Ready at `readyAt`, due `dueMinutes` later, first reported `reportMinutes` after ready (null: still open). */
  const setTimes = (id: string, readyAt: string, dueMinutes: number, reportMinutes: number | null) => {
    const ready = Date.parse(readyAt);
    return t.dataSource.query('UPDATE diagnosis.read SET ready_at = $2, due_at = $3, reported_at = $4 WHERE id = $1', [
      id,
      new Date(ready),
      new Date(ready + dueMinutes * MINUTE),
      reportMinutes === null ? null : new Date(ready + reportMinutes * MINUTE),
    ]);
  };
  const kpi = async (login: string, query: string) =>
    request(t.url)
      .get(`/api/kpis/read-turnaround${query}`)
      .set('Authorization', `Bearer ${await t.token(login)}`);

  it('counts June (Beijing) reads per modality and township against their deadlines, with p50 / p90 minutes to report', async () => {
    // 东关镇 ECGs, due 15 minutes after ready: on the minute of the deadline, 20 and 40 minutes, and one still open past it.
    const a = [
      await readyRead('township-a-doctor', 'ECG', 'emergency'),
      await readyRead('township-a-doctor', 'ECG', 'emergency'),
      await readyRead('township-a-doctor', 'ECG', 'emergency'),
      await readyRead('township-a-doctor', 'ECG', 'emergency'),
    ];
    for (const id of a.slice(0, 3)) await reportAs('county-ecg', id);
    await setTimes(a[0], '2024-06-10T09:00:00+08:00', 15, 15);
    await setTimes(a[1], '2024-06-11T09:00:00+08:00', 15, 20);
    await setTimes(a[2], '2024-06-12T09:00:00+08:00', 15, 40);
    await setTimes(a[3], '2024-06-13T09:00:00+08:00', 15, null);
    // 西河乡: ready 00:30 on 1 June Beijing (31 May UTC) counts in June; ready 00:30 on 1 July does not.
    const b = [
      await readyRead('township-b-doctor', 'ECG', 'urgent'),
      await readyRead('township-b-doctor', 'ECG', 'urgent'),
    ];
    for (const id of b) await reportAs('county-ecg', id);
    await setTimes(b[0], '2024-05-31T16:30:00Z', 20, 5);
    await setTimes(b[1], '2024-06-30T16:30:00Z', 20, 5);
    // 东关镇 DX, urgent (60 minutes): reported in 30.
    const dx = await readyRead('township-a-doctor', 'DX', 'urgent');
    await reportAs('county-radiology', dx);
    await setTimes(dx, '2024-06-20T14:00:00+08:00', 60, 30);
    // Ordered, no images: never ready, in no figure.
    expect((await orderRead(t, 'township-a-doctor', ecgOrder())).status).toBe(201);

    const res = await kpi('group-admin', '?from=2024-06-01&to=2024-06-30');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ from: '2024-06-01', to: '2024-06-30', timeZone: 'Asia/Shanghai', priority: null });
    expect(res.body.deadlines.ECG).toEqual({ emergency: 15, urgent: 20, routine: 30 });
    expect(res.body.rows).toEqual([
      {
        modality: 'DX',
        requestingInstitutionId: 'township-a',
        ready: 1,
        reported: 1,
        reportedWithinDeadline: 1,
        reportedLate: 0,
        overdueOpen: 0,
        openWithinDeadline: 0,
        withinDeadlineShare: 1,
        p50Minutes: 30,
        p90Minutes: 30,
      },
      {
        modality: 'ECG',
        requestingInstitutionId: 'township-a',
        ready: 4,
        reported: 3,
        reportedWithinDeadline: 1,
        reportedLate: 2,
        overdueOpen: 1,
        openWithinDeadline: 0,
        withinDeadlineShare: 0.25,
        p50Minutes: 20,
        p90Minutes: 36,
      },
      {
        modality: 'ECG',
        requestingInstitutionId: 'township-b',
        ready: 1,
        reported: 1,
        reportedWithinDeadline: 1,
        reportedLate: 0,
        overdueOpen: 0,
        openWithinDeadline: 0,
        withinDeadlineShare: 1,
        p50Minutes: 5,
        p90Minutes: 5,
      },
    ]);
    // A modality's and the group's percentiles are taken over their own reads ([5, 15, 20, 40]; [5, 15, 20, 30, 40]), not averaged.
    expect(res.body.byModality).toEqual([
      {
        modality: 'DX',
        ready: 1,
        reported: 1,
        reportedWithinDeadline: 1,
        reportedLate: 0,
        overdueOpen: 0,
        openWithinDeadline: 0,
        withinDeadlineShare: 1,
        p50Minutes: 30,
        p90Minutes: 30,
      },
      {
        modality: 'ECG',
        ready: 5,
        reported: 4,
        reportedWithinDeadline: 2,
        reportedLate: 2,
        overdueOpen: 1,
        openWithinDeadline: 0,
        withinDeadlineShare: 0.4,
        p50Minutes: 17.5,
        p90Minutes: 34,
      },
    ]);
    expect(res.body.total).toEqual({
      ready: 6,
      reported: 5,
      reportedWithinDeadline: 3,
      reportedLate: 2,
      overdueOpen: 1,
      openWithinDeadline: 0,
      withinDeadlineShare: 0.5,
      p50Minutes: 20,
      p90Minutes: 36,
    });
    // Aggregates only: no patient id or name of any read.
    const text = JSON.stringify(res.body);
    for (const p of patients) expect(text).not.toContain(p);

    const urgent = await kpi('group-admin', '?from=2024-06-01&to=2024-06-30&priority=urgent');
    expect(
      urgent.body.rows.map(
        (r: { modality: string; requestingInstitutionId: string }) => `${r.modality}/${r.requestingInstitutionId}`,
      ),
    ).toEqual(['DX/township-a', 'ECG/township-b']);
    const july = await kpi('group-admin', '?from=2024-07-01&to=2024-07-01');
    expect(july.body.rows).toMatchObject([
      { modality: 'ECG', requestingInstitutionId: 'township-b', ready: 1, reported: 1 },
    ]);
    const none = await kpi('group-admin', '?from=2023-01-01&to=2023-12-31');
    expect(none.body).toMatchObject({
      rows: [],
      byModality: [],
      total: { ready: 0, withinDeadlineShare: null, p50Minutes: null, p90Minutes: null },
    });
  });

  it('counts a read ready now and not yet due as open within its deadline', async () => {
    const id = await readyRead('township-c-doctor', 'ECG', 'routine');
    const { readyAt } = (await getAs(t, 'township-c-doctor', `/api/reads/${id}`)).body as { readyAt: string };
    const day = beijingDay(readyAt);
    const res = await kpi('group-admin', `?from=${day}&to=${day}`);
    expect(res.status).toBe(200);
    expect(res.body.rows).toContainEqual(
      expect.objectContaining({
        modality: 'ECG',
        requestingInstitutionId: 'township-c',
        ready: 1,
        reported: 0,
        overdueOpen: 0,
        openWithinDeadline: 1,
        withinDeadlineShare: null,
        p50Minutes: null,
      }),
    );
  });

  it("is the group admin's alone, and refuses dates it cannot read", async () => {
    const june = '?from=2024-06-01&to=2024-06-30';
    expect((await kpi('township-a-doctor', june)).status).toBe(403);
    expect((await kpi('county-ecg', june)).status).toBe(403);
    expect((await request(t.url).get(`/api/kpis/read-turnaround${june}`)).status).toBe(401);
    for (const query of [
      '',
      '?from=2024-06-01',
      '?from=2024-6-1&to=2024-06-30',
      '?from=2024-02-30&to=2024-03-01',
      '?from=yesterday&to=2024-06-30',
      '?from=2024-06-01T00:00:00Z&to=2024-06-30',
      '?from=2024-06-30&to=2024-06-01',
      '?from=2023-01-01&to=2024-01-02',
      `${june}&priority=whenever`,
      `${june}&township=a`,
    ]) {
      const res = await kpi('group-admin', query);
      expect({ query, status: res.status, code: res.body.error?.code }).toEqual({
        query,
        status: 400,
        code: 'VALIDATION_FAILED',
      });
    }
    const reversed = await kpi('group-admin', '?from=2024-06-30&to=2024-06-01');
    expect(reversed.body.error.details).toEqual([{ field: 'to', problems: ['to must not be before from'] }]);
    // 366 days (a leap year) is the longest range.
    expect((await kpi('group-admin', '?from=2024-01-01&to=2024-12-31')).status).toBe(200);
  });
});
