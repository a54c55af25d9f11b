import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { startTestDataSource } from '@countylink/testing';
import type { InstanceFacts } from '../../apps/remote-diagnosis/src/dicom/instance-facts';
import { DIAGNOSIS_MIGRATIONS } from '../../apps/remote-diagnosis/src/migrations';
import { Read } from '../../apps/remote-diagnosis/src/reads/read.entity';
import { DIAGNOSIS_DATA_SOURCE, DIAGNOSIS_SCHEMA } from '../../apps/remote-diagnosis/src/remote-diagnosis.constants';
import { DIAGNOSIS_ENTITIES } from '../../apps/remote-diagnosis/src/remote-diagnosis.entities';
import { StudyIndexRepository } from '../../apps/remote-diagnosis/src/studies/study-index.repository';

/**
 * The middle tier: the study index's upload SQL against the real PostgreSQL (the app's entities and
 * migrations, a database of its own), without HTTP, DICOM parsing or the content store.
 */
describe('study index repository on PostgreSQL', () => {
  let dataSource: DataSource;
  let index: StudyIndexRepository;
  let n = 0;

  beforeAll(async () => {
    dataSource = await startTestDataSource({
      name: DIAGNOSIS_DATA_SOURCE,
      schema: DIAGNOSIS_SCHEMA,
      entities: DIAGNOSIS_ENTITIES,
      migrations: DIAGNOSIS_MIGRATIONS,
    });
    index = new StudyIndexRepository(dataSource);
  });
  afterAll(async () => {
    await dataSource?.destroy();
  });

  const uid = () => `1.2.826.0.1.3680043.10.${process.pid}.${Date.now()}.${++n}`;

  function facts(overrides: Partial<InstanceFacts> = {}): InstanceFacts {
    return {
      sopClassUid: '1.2.840.10008.5.1.4.1.1.9.1.1',
      sopInstanceUid: uid(),
      studyInstanceUid: uid(),
      seriesInstanceUid: uid(),
      category: 'waveform',
      transferSyntaxUid: '1.2.840.10008.1.2.1',
      modality: 'ECG',
      patientId: `TA-${n}`,
      patientName: 'Wang^Jianguo',
      patientBirthDate: '19560314',
      patientSex: 'M',
      accessionNumber: null,
      studyDate: '20250101',
      studyTime: '101500',
      studyDescription: 'ECG',
      referringPhysicianName: null,
      seriesNumber: 1,
      seriesDescription: null,
      bodyPartExamined: null,
      instanceNumber: 1,
      rows: null,
      columns: null,
      bitsAllocated: null,
      numberOfFrames: null,
      photometricInterpretation: null,
      ...overrides,
    };
  }

  const part = (sha256 = randomUUID().replace(/-/g, '')) => ({
    path: '/dev/null',
    size: 1234,
    sha256,
    contentType: 'application/dicom',
  });

  async function read(overrides: Partial<Read> = {}): Promise<Read> {
    const now = new Date();
    const row = {
      id: randomUUID(),
      accessionNumber: `ACC-${++n}`,
      status: 'requested' as const,
      priority: 'routine' as const,
      modality: 'ECG',
      patientId: 'TA-READ',
      patientName: '王建国',
      patientSex: 'male',
      patientBirthDate: '1956-03-14',
      requestingInstitutionId: 'township-a',
      requestingDepartmentId: null,
      requestingPractitionerId: 'township-a-doctor',
      readingInstitutionId: 'county-hospital',
      readingDepartmentId: null,
      clinicalQuestion: null,
      dueAt: null,
      claimedBy: null,
      claimExpiresAt: null,
      readyAt: null,
      reportedAt: null,
      createdAt: now,
      updatedAt: now,
      version: 1,
      ...overrides,
    };
    await dataSource.manager.insert(Read, row);
    return dataSource.manager.findOneByOrFail(Read, { id: row.id });
  }

  it('looks up nothing for unknown UIDs, then finds the stored instance, its series and its study by UID', async () => {
    const f = facts();
    const empty = await dataSource.transaction((m) => index.lookup(m, f, 'township-a'));
    expect(empty).toEqual({
      existingSha256: null,
      existingInstitutionId: null,
      studyInstitutionId: null,
      seriesStudyUid: null,
      studyRead: null,
      accessionRead: null,
    });

    const p = part();
    await dataSource.transaction((m) =>
      index.insertInstance(m, f, p, 'township-a', null, 'township-a-doctor', new Date()),
    );
    const found = await dataSource.transaction((m) => index.lookup(m, f, 'township-b'));
    expect(found).toMatchObject({
      existingSha256: p.sha256,
      existingInstitutionId: 'township-a',
      studyInstitutionId: 'township-a',
      seriesStudyUid: f.studyInstanceUid,
      studyRead: null,
    });

    // A second instance of the same series: the study and series rows are reused, not duplicated.
    const second = facts({
      studyInstanceUid: f.studyInstanceUid,
      seriesInstanceUid: f.seriesInstanceUid,
      instanceNumber: 2,
    });
    await dataSource.transaction((m) =>
      index.insertInstance(m, second, part(), 'township-a', null, 'township-a-doctor', new Date()),
    );
    const [counts] = await dataSource.query(
      `SELECT (SELECT count(*)::int FROM diagnosis.study WHERE study_instance_uid = $1) AS studies,
              (SELECT count(*)::int FROM diagnosis.series WHERE study_instance_uid = $1) AS series,
              (SELECT count(*)::int FROM diagnosis.instance WHERE study_instance_uid = $1) AS instances`,
      [f.studyInstanceUid],
    );
    expect(counts).toEqual({ studies: 1, series: 1, instances: 2 });
  });

  it('finds the order by accession number, else the oldest waiting order of the patient and modality, as entities', async () => {
    const older = await read({ patientId: 'TA-77', createdAt: new Date(Date.now() - 60_000) });
    await read({ patientId: 'TA-77' });
    const byAccession = await read({ patientId: 'TA-88' });

    const a = await dataSource.transaction((m) =>
      index.lookup(m, facts({ accessionNumber: byAccession.accessionNumber, patientId: 'TA-77' }), 'township-a'),
    );
    expect(a.accessionRead).toBeInstanceOf(Read);
    expect(a.accessionRead).toMatchObject({
      id: byAccession.id,
      accessionNumber: byAccession.accessionNumber,
      version: 1,
    });
    expect(a.accessionRead!.createdAt).toBeInstanceOf(Date);
    expect(a.accessionRead!.createdAt.getTime()).toBe(byAccession.createdAt.getTime());

    const b = await dataSource.transaction((m) =>
      index.lookup(m, facts({ accessionNumber: 'NO-SUCH', patientId: 'TA-77' }), 'township-a'),
    );
    expect(b.accessionRead).toMatchObject({ id: older.id });
    // Another institution's orders are never found.
    const c = await dataSource.transaction((m) =>
      index.lookup(m, facts({ accessionNumber: byAccession.accessionNumber, patientId: 'TA-77' }), 'township-b'),
    );
    expect(c.accessionRead).toBeNull();

    // A study joined to a read answers that read by the study's UID.
    const f = facts({ patientId: 'TA-88' });
    await dataSource.transaction((m) =>
      index.insertInstance(m, f, part(), 'township-a', byAccession.id, 'township-a-doctor', new Date()),
    );
    const d = await dataSource.transaction((m) =>
      index.lookup(m, facts({ studyInstanceUid: f.studyInstanceUid }), 'township-a'),
    );
    expect(d.studyRead).toMatchObject({ id: byAccession.id });
  });

  it('the fallback order is locked: a concurrent lookup waits until the first transaction ends', async () => {
    const waiting = await read({ patientId: 'TA-LOCK' });
    const events: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const first = dataSource.transaction(async (m) => {
      const r = await index.lookup(m, facts({ patientId: 'TA-LOCK' }), 'township-a');
      events.push(`first:${r.accessionRead?.id}`);
      await held;
      events.push('first:commit');
    });
    await new Promise((r) => setTimeout(r, 100));
    const second = dataSource.transaction(async (m) => {
      const r = await index.lookup(m, facts({ patientId: 'TA-LOCK' }), 'township-a');
      events.push(`second:${r.accessionRead?.id}`);
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(events).toEqual([`first:${waiting.id}`]);
    release();
    await Promise.all([first, second]);
    expect(events).toEqual([`first:${waiting.id}`, 'first:commit', `second:${waiting.id}`]);
  });

  it('advisory locks on names serialise two transactions on the same UID, not on different ones', async () => {
    const name = uid();
    const order: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const first = dataSource.transaction(async (m) => {
      await index.lock(m, [name, 'ACC-X']);
      order.push('first');
      await held;
    });
    await new Promise((r) => setTimeout(r, 100));
    const other = dataSource.transaction(async (m) => {
      await index.lock(m, [uid()]);
      order.push('other');
    });
    const second = dataSource.transaction(async (m) => {
      await index.lock(m, [name]);
      order.push('second');
    });
    await other;
    await new Promise((r) => setTimeout(r, 200));
    expect(order).toEqual(['first', 'other']);
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(['first', 'other', 'second']);
  });
});
