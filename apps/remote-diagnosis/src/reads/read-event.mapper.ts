import { MessageInitShape } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import {
  ReadPriority as PriorityProto,
  ReadSchema,
  ReadStatus as StatusProto,
  ReportKind,
  ReportSchema,
} from '@countylink/contracts';
import type { Principal } from '@countylink/auth';
import { actorMessage } from '@countylink/messaging';
import type { Read } from './read.entity';
import type { Report } from './report.entity';
import type { ReadPriority, ReadStatus } from './read-state-machine';

export const READ_STATUS_PROTO: Record<ReadStatus, StatusProto> = {
  requested: StatusProto.REQUESTED,
  ready: StatusProto.READY,
  claimed: StatusProto.CLAIMED,
  reported: StatusProto.REPORTED,
};

const PRIORITY_PROTO: Record<ReadPriority, PriorityProto> = {
  routine: PriorityProto.ROUTINE,
  urgent: PriorityProto.URGENT,
  emergency: PriorityProto.EMERGENCY,
};

const ts = (d: Date | null) => (d ? timestampFromDate(d) : undefined);

export function readMessage(r: Read, studyUids: string[]): MessageInitShape<typeof ReadSchema> {
  return {
    id: r.id,
    accessionNumber: r.accessionNumber,
    status: READ_STATUS_PROTO[r.status],
    priority: PRIORITY_PROTO[r.priority],
    modality: r.modality,
    patient: { patientId: r.patientId, name: r.patientName ?? '', birthDate: r.patientBirthDate ?? '' },
    requestingInstitutionId: r.requestingInstitutionId,
    requestingDepartmentId: r.requestingDepartmentId ?? '',
    requestingPractitionerId: r.requestingPractitionerId,
    readingInstitutionId: r.readingInstitutionId,
    readingDepartmentId: r.readingDepartmentId ?? '',
    clinicalQuestion: r.clinicalQuestion ?? '',
    dueAt: ts(r.dueAt),
    claimedBy: r.claimedBy ?? '',
    claimExpiresAt: ts(r.claimExpiresAt),
    studyInstanceUids: studyUids,
    createdAt: timestampFromDate(r.createdAt),
    updatedAt: timestampFromDate(r.updatedAt),
    version: r.version,
  };
}

export function reportMessage(rep: Report, signer: Principal): MessageInitShape<typeof ReportSchema> {
  return {
    id: rep.id,
    readId: rep.readId,
    kind: rep.kind === 'original' ? ReportKind.ORIGINAL : ReportKind.ADDENDUM,
    amendsReportId: rep.amendsReportId ?? '',
    findings: rep.findings,
    impression: rep.impression,
    treatmentPlan: rep.treatmentPlan,
    criticalValue: rep.criticalCategory
      ? { category: rep.criticalCategory, description: rep.criticalDescription ?? '' }
      : undefined,
    signedBy: actorMessage(signer),
    signedAt: timestampFromDate(rep.signedAt),
  };
}
