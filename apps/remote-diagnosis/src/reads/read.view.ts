import type { Read } from './read.entity';
import type { Report } from './report.entity';

/** The JSON a clinician or HIS sees for a read. */
export function readView(r: Read) {
  return {
    id: r.id,
    accessionNumber: r.accessionNumber,
    status: r.status,
    priority: r.priority,
    modality: r.modality,
    patient: { patientId: r.patientId, name: r.patientName, sex: r.patientSex, birthDate: r.patientBirthDate },
    requestedBy: {
      institutionId: r.requestingInstitutionId,
      departmentId: r.requestingDepartmentId,
      practitionerId: r.requestingPractitionerId,
    },
    readBy: { institutionId: r.readingInstitutionId, departmentId: r.readingDepartmentId },
    clinicalQuestion: r.clinicalQuestion,
    dueAt: r.dueAt?.toISOString() ?? null,
    claim: r.claimedBy ? { by: r.claimedBy, expiresAt: r.claimExpiresAt?.toISOString() ?? null } : null,
    readyAt: r.readyAt?.toISOString() ?? null,
    reportedAt: r.reportedAt?.toISOString() ?? null,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
    version: r.version,
  };
}

export function reportView(rep: Report) {
  return {
    id: rep.id,
    kind: rep.kind,
    amendsReportId: rep.amendsReportId,
    findings: rep.findings,
    impression: rep.impression,
    treatmentPlan: rep.treatmentPlan,
    criticalValue: rep.criticalCategory
      ? { category: rep.criticalCategory, description: rep.criticalDescription }
      : null,
    signedBy: {
      subject: rep.signedBy,
      institutionId: rep.signedByInstitutionId,
      departmentId: rep.signedByDepartmentId,
    },
    signedAt: rep.signedAt.toISOString(),
  };
}

export type ReadView = ReturnType<typeof readView>;
