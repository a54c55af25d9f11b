import { randomBytes, randomUUID } from 'node:crypto';
import { FactoryDb, factoryManager, shortId } from '@countylink/testing';
import { Read } from '../../apps/remote-diagnosis/src/reads/read.entity';
import {
  lookupByModality,
  parseDeadlineTable,
  parseDepartmentTable,
  readDueAt,
} from '../../apps/remote-diagnosis/src/reads/read-rules';
import type { ReadStatus } from '../../apps/remote-diagnosis/src/reads/read-state-machine';
import { Report } from '../../apps/remote-diagnosis/src/reads/report.entity';
import { Instance } from '../../apps/remote-diagnosis/src/studies/instance.entity';
import { Series } from '../../apps/remote-diagnosis/src/studies/series.entity';
import { Study } from '../../apps/remote-diagnosis/src/studies/study.entity';

/** The apps' defaults for READ_DEADLINE_MINUTES and READ_DEPARTMENTS, for dueAt and the routed department. */
export const DEFAULT_READ_DEADLINES = parseDeadlineTable('ECG=15/20/30,DX=30/60/120,CR=30/60/120,*=60/240/1440');
export const DEFAULT_READ_DEPARTMENTS = parseDepartmentTable('ECG=ecg-room,DX=radiology,CR=radiology,*=radiology');
/** READ_CLAIM_MINUTES by default. */
const CLAIM_MINUTES = 30;
const MINUTE = 60_000;

/** The version a read has in each status, counting the steps that led there (order, images in, claim, report). */
const VERSION: Record<ReadStatus, number> = { requested: 1, ready: 2, claimed: 3, reported: 4 };
/** The demo specialist of each reading department, who holds a claim or signs by default. */
const READER: Record<string, string> = {
  'ecg-room': 'county-ecg',
  radiology: 'county-radiology',
  cardiology: 'county-cardiology',
};

/** A DICOM UID under the UUID arc (2.25), 44 characters at most. */
export function newDicomUid(): string {
  return `2.25.${BigInt(`0x${randomUUID().replace(/-/g, '')}`).toString()}`;
}

/**
 * A read as remote-diagnosis holds it, by default the suites' emergency ECG (ecgOrder in
 * test/remote-diagnosis/support/read-helpers.ts): township A's doctor asks whether 王建国 has an
 * acute infarction, the images are in, and it waits on the county ECG room's worklist with its
 * deadline. The reading department follows the modality, and the times, the claim and the version
 * follow the status; every field can be overridden.
 */
export function buildRead(overrides: Partial<Read> = {}): Read {
  const status = overrides.status ?? 'ready';
  const modality = overrides.modality ?? 'ECG';
  const priority = overrides.priority ?? 'emergency';
  const createdAt = overrides.createdAt ?? new Date();
  const readingDepartmentId =
    overrides.readingDepartmentId === undefined
      ? (lookupByModality(DEFAULT_READ_DEPARTMENTS, modality) ?? null)
      : overrides.readingDepartmentId;
  const readyAt = status === 'requested' ? null : new Date(createdAt.getTime() + MINUTE);
  const claimedAt = status === 'claimed' || status === 'reported' ? new Date(createdAt.getTime() + 2 * MINUTE) : null;
  const reportedAt = status === 'reported' ? new Date(createdAt.getTime() + 3 * MINUTE) : null;
  const claimedBy = status === 'claimed' ? (READER[readingDepartmentId ?? ''] ?? 'county-ecg') : null;
  return Object.assign(new Read(), {
    id: randomUUID(),
    accessionNumber: `A${randomUUID().replace(/-/g, '').slice(0, 12).toUpperCase()}`,
    status,
    priority,
    modality,
    patientId: `P-${shortId()}`,
    patientName: '王建国',
    patientSex: 'M',
    patientBirthDate: '19560314',
    requestingInstitutionId: 'township-a',
    requestingDepartmentId: 'general-practice',
    requestingPractitionerId: 'township-a-doctor',
    readingInstitutionId: 'county-hospital',
    readingDepartmentId,
    clinicalQuestion: modality === 'ECG' ? '胸痛2小时，请排除急性心肌梗死' : '咳嗽发热1周，请排除肺炎',
    dueAt: readyAt ? readDueAt(readyAt, modality, priority, DEFAULT_READ_DEADLINES) : null,
    claimedBy,
    claimExpiresAt: claimedBy && claimedAt ? new Date(claimedAt.getTime() + CLAIM_MINUTES * MINUTE) : null,
    readyAt,
    reportedAt,
    createdAt,
    updatedAt: reportedAt ?? claimedAt ?? readyAt ?? createdAt,
    version: VERSION[status],
    ...overrides,
  } satisfies Read);
}

/**
 * Inserts the read into remote-diagnosis' `read` table and returns it; a `reported` read gets its
 * signed original report too (insertReport, with `report` as its overrides), in the same transaction. Rows only: no read events and no claim-expiry job (a
 * factory claim does not lapse by itself).
 */
export async function insertRead(
  db: FactoryDb,
  overrides: Partial<Read> = {},
  report: Partial<Report> = {},
): Promise<Read> {
  const read = buildRead(overrides);
  await factoryManager(db, Read, 'remote-diagnosis').transaction(async (tx) => {
    await tx.insert(Read, read);
    if (read.status === 'reported') await insertReport(tx, read, report);
  });
  return read;
}

/** A signed report of `read`: by default the ECG room's acute anterior STEMI, signed when the read was reported. */
export function buildReport(read: Read, overrides: Partial<Report> = {}): Report {
  const ecg = read.modality === 'ECG';
  return Object.assign(new Report(), {
    id: randomUUID(),
    readId: read.id,
    kind: 'original',
    amendsReportId: null,
    findings: ecg ? '窦性心律，心率88次/分；V1–V4导联ST段弓背向上抬高0.3–0.5mV' : '右下肺野见斑片状模糊影，心影不大',
    impression: ecg ? '急性前壁ST段抬高型心肌梗死' : '右下肺炎',
    treatmentPlan: ecg
      ? '立即嚼服阿司匹林300mg、替格瑞洛180mg；启动胸痛中心绿色通道，转县医院行急诊PCI'
      : '抗感染治疗，1周后复查胸片',
    criticalCategory: null,
    criticalDescription: null,
    signedBy: READER[read.readingDepartmentId ?? ''] ?? 'county-ecg',
    signedByInstitutionId: read.readingInstitutionId,
    signedByDepartmentId: read.readingDepartmentId,
    signedAt: read.reportedAt ?? new Date(),
    ...overrides,
  } satisfies Report);
}

export async function insertReport(db: FactoryDb, read: Read, overrides: Partial<Report> = {}): Promise<Report> {
  const manager = factoryManager(db, Report, 'remote-diagnosis');
  const report = buildReport(read, overrides);
  await manager.insert(Report, report);
  return report;
}

/** SOP classes and what rendering needs, per modality: a 12-lead ECG waveform or a digital X-ray. */
const INSTANCE_KIND: Record<
  string,
  Pick<
    Instance,
    'sopClassUid' | 'category' | 'rows' | 'columns' | 'bitsAllocated' | 'numberOfFrames' | 'photometricInterpretation'
  > & { sizeBytes: string; description: string }
> = {
  ECG: {
    sopClassUid: '1.2.840.10008.5.1.4.1.1.9.1.1',
    category: 'waveform',
    rows: null,
    columns: null,
    bitsAllocated: null,
    numberOfFrames: null,
    photometricInterpretation: null,
    sizeBytes: '241664',
    description: '12导联心电图',
  },
  DX: {
    sopClassUid: '1.2.840.10008.5.1.4.1.1.1.1',
    category: 'image',
    rows: 2048,
    columns: 2048,
    bitsAllocated: 16,
    numberOfFrames: 1,
    photometricInterpretation: 'MONOCHROME2',
    sizeBytes: '8389120',
    description: '胸部正位',
  },
};

export interface StudyFactoryOverrides {
  study?: Partial<Study>;
  series?: Partial<Series>;
  instance?: Partial<Instance>;
  /** How many instances the series holds (default 1). */
  instances?: number;
}

export interface FactoryStudy {
  study: Study;
  series: Series;
  instances: Instance[];
}

/**
 * A study as the index writer records a STOW-RS or C-STORE upload: the study, one series and its
 * instances. Given a read, it is that read's study (uploader, patient, accession number, modality);
 * else a township A ECG of its own. Index rows only: no bytes are in the content store, so QIDO-RS,
 * the read's study list and the study scope work on it, WADO-RS retrieval and rendering do not.
 */
export function buildStudy(read?: Read, overrides: StudyFactoryOverrides = {}): FactoryStudy {
  const now = new Date();
  const modality = overrides.series?.modality ?? read?.modality ?? 'ECG';
  const kind = INSTANCE_KIND[modality] ?? INSTANCE_KIND.DX;
  const date = now.toISOString().slice(0, 10).replace(/-/g, '');
  const time = now.toISOString().slice(11, 19).replace(/:/g, '');
  const study = Object.assign(new Study(), {
    studyInstanceUid: newDicomUid(),
    institutionId: read?.requestingInstitutionId ?? 'township-a',
    readId: read?.id ?? null,
    patientId: read?.patientId ?? `P-${shortId()}`,
    patientName: read?.patientName ?? '王建国',
    patientBirthDate: read?.patientBirthDate ?? '19560314',
    patientSex: read?.patientSex ?? 'M',
    studyDate: date,
    studyTime: time,
    accessionNumber: read?.accessionNumber ?? null,
    studyDescription: kind.description,
    referringPhysicianName: '张伟',
    createdAt: now,
    updatedAt: now,
    ...overrides.study,
  } satisfies Study);
  const series = Object.assign(new Series(), {
    seriesInstanceUid: newDicomUid(),
    studyInstanceUid: study.studyInstanceUid,
    modality,
    seriesNumber: 1,
    seriesDescription: kind.description,
    bodyPartExamined: modality === 'ECG' ? null : 'CHEST',
    createdAt: now,
    ...overrides.series,
  } satisfies Series);
  const { sizeBytes, description: _description, ...rendering } = kind;
  const instances = Array.from({ length: overrides.instances ?? 1 }, (_, i) =>
    Object.assign(new Instance(), {
      sopInstanceUid: newDicomUid(),
      seriesInstanceUid: series.seriesInstanceUid,
      studyInstanceUid: study.studyInstanceUid,
      ...rendering,
      transferSyntaxUid: '1.2.840.10008.1.2.1',
      instanceNumber: i + 1,
      sha256: randomBytes(32).toString('hex'),
      sizeBytes,
      storedBy: read?.requestingPractitionerId ?? 'township-a-doctor',
      storedAt: now,
      ...overrides.instance,
    } satisfies Instance),
  );
  return { study, series, instances };
}

/** Inserts the study, its series and its instances into remote-diagnosis' index, in one transaction. */
export async function insertStudy(
  db: FactoryDb,
  read?: Read,
  overrides: StudyFactoryOverrides = {},
): Promise<FactoryStudy> {
  const manager = factoryManager(db, Study, 'remote-diagnosis');
  const built = buildStudy(read, overrides);
  await manager.transaction(async (tx) => {
    await tx.insert(Study, built.study);
    await tx.insert(Series, built.series);
    await tx.insert(Instance, built.instances);
  });
  return built;
}

/** A read with its study: what an order followed by the modality's upload leaves behind. */
export async function insertReadWithStudy(
  db: FactoryDb,
  overrides: Partial<Read> = {},
  study: StudyFactoryOverrides = {},
): Promise<{ read: Read } & FactoryStudy> {
  const read = await insertRead(db, overrides);
  return { read, ...(await insertStudy(db, read, study)) };
}
