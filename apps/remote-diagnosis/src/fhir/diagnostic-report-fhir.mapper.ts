import type * as fhir4 from 'fhir/r4';
import { COUNTYLINK_SYSTEM } from '@countylink/platform';
import type { ReadService } from '../reads/read.service';
import type { reportView } from '../reads/read.view';
import { fhirDateTime } from './dicom-date-time';
import { accessionIdentifier, MODALITY_UTC_OFFSET, patientRef, readOrderRef } from './diagnosis-fhir.refs';

type ReadWithReports = Awaited<ReturnType<ReadService['get']>>;
type SignedReport = ReturnType<typeof reportView>;

const LOINC = 'http://loinc.org';
const SERVICE_SECTION = 'http://terminology.hl7.org/CodeSystem/v2-0074';
const INTERPRETATION = 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation';

/** An ECG is read by cardiology (EC); everything else the group uploads is imaging (RAD). */
const SECTIONS = {
  ecg: {
    category: { system: SERVICE_SECTION, code: 'EC', display: 'Electrocardiac (e.g., EKG, EEC, Holter)' },
    code: { coding: [{ system: LOINC, code: '11524-6', display: 'EKG study' }], text: '心电图诊断报告 (ECG report)' },
  },
  imaging: {
    category: { system: SERVICE_SECTION, code: 'RAD', display: 'Radiology' },
    code: {
      coding: [{ system: LOINC, code: '18748-4', display: 'Diagnostic imaging study' }],
      text: '影像诊断报告 (imaging report)',
    },
  },
} as const;

const practitioner = (subject: string): fhir4.Reference => ({
  type: 'Practitioner',
  identifier: { system: `${COUNTYLINK_SYSTEM}:practitioner`, value: subject },
  display: subject,
});

/** 危急值: "critical abnormal" for any system that knows HL7 interpretations, our category beside it. */
function criticalValueCode(cv: NonNullable<SignedReport['criticalValue']>): fhir4.CodeableConcept {
  return {
    coding: [
      { system: INTERPRETATION, code: 'AA', display: 'Critical abnormal' },
      { system: `${COUNTYLINK_SYSTEM}:critical-value`, code: cv.category },
    ],
    text: `危急值: ${cv.description ?? cv.category}`,
  };
}

function impressionAndPlan(r: SignedReport): string {
  return `${r.impression}\n治疗方案: ${r.treatmentPlan}`;
}

/** The whole signed text of one report (or addendum), findings included, as its own attachment. */
function presentedForm(r: SignedReport): fhir4.Attachment {
  const lines = [
    `所见 (findings): ${r.findings}`,
    `诊断意见 (impression): ${r.impression}`,
    `治疗方案 (treatment plan): ${r.treatmentPlan}`,
  ];
  if (r.criticalValue)
    lines.push(`危急值 (critical value): ${r.criticalValue.category} — ${r.criticalValue.description ?? ''}`);
  lines.push(`签名 (signed): ${r.signedBy.subject}, ${r.signedAt}`);
  return {
    contentType: 'text/plain; charset=utf-8',
    language: 'zh-CN',
    title: r.kind === 'original' ? '诊断报告 (signed report)' : `补充报告 (addendum of ${r.signedAt})`,
    creation: r.signedAt,
    data: Buffer.from(lines.join('\n'), 'utf8').toString('base64'),
  };
}

/**
 * A reported read as a FHIR R4 DiagnosticReport, or undefined while it has no signed report.
 * An addendum never changes the original (it is a new signed text), so a read with addenda is
 * `appended`: the conclusion keeps the original first and adds each addendum after it, and each
 * signed text is its own `presentedForm`. A critical value (危急值) is a `conclusionCode`
 * "critical abnormal" with its category and description.
 */
export function toDiagnosticReport(read: ReadWithReports): fhir4.DiagnosticReport | undefined {
  const original = read.reports.find((r) => r.kind === 'original');
  if (read.status !== 'reported' || !original) return undefined;
  const addenda = read.reports.filter((r) => r.kind === 'addendum');
  const section = read.modality.toUpperCase() === 'ECG' ? SECTIONS.ecg : SECTIONS.imaging;
  const last = read.reports[read.reports.length - 1];
  const conclusion = [
    impressionAndPlan(original),
    ...addenda.map((a) => `补充报告 (addendum, ${a.signedAt}, ${a.signedBy.subject}):\n${impressionAndPlan(a)}`),
  ];
  const critical = read.reports.flatMap((r) => (r.criticalValue ? [criticalValueCode(r.criticalValue)] : []));
  const interpreters = [...new Set(read.reports.map((r) => r.signedBy.subject))];
  const studyDate = read.studies
    .map((s) => fhirDateTime(s.studyDate, null, MODALITY_UTC_OFFSET))
    .find((d) => d !== undefined);
  return {
    resourceType: 'DiagnosticReport',
    id: read.id,
    meta: { versionId: String(read.version), lastUpdated: last.signedAt },
    identifier: [
      { system: `${COUNTYLINK_SYSTEM}:report`, value: original.id },
      accessionIdentifier(read.requestedBy.institutionId, read.accessionNumber),
    ],
    basedOn: [readOrderRef(read.id, read.accessionNumber)],
    status: addenda.length > 0 ? 'appended' : 'final',
    category: [{ coding: [section.category] }],
    code: { coding: [...section.code.coding], text: section.code.text },
    subject: patientRef(read.requestedBy.institutionId, read.patient.patientId, read.patient.name),
    effectiveDateTime: studyDate ?? read.readyAt ?? read.createdAt,
    issued: last.signedAt,
    performer: [
      {
        type: 'Organization',
        identifier: { system: `${COUNTYLINK_SYSTEM}:institution`, value: read.readBy.institutionId },
        display: read.readBy.departmentId
          ? `${read.readBy.institutionId}/${read.readBy.departmentId}`
          : read.readBy.institutionId,
      },
    ],
    resultsInterpreter: interpreters.map(practitioner),
    imagingStudy: read.studies.map((s) => ({ reference: `ImagingStudy/${s.studyInstanceUid}` })),
    conclusion: conclusion.join('\n\n'),
    conclusionCode: critical.length > 0 ? critical : undefined,
    presentedForm: read.reports.map(presentedForm),
  };
}
