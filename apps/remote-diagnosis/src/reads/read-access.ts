import { hasAnyRole, Principal, Role } from '@countylink/auth';
import { DomainException } from '@countylink/platform';
import { DiagnosisErrorCode } from '../diagnosis.exception';
import type { Read } from './read.entity';

/** The requesting institution sees its reads; the reading institution sees what was sent to it. Others: 404. */
export function canSeeRead(
  principal: Principal,
  read: Pick<Read, 'requestingInstitutionId' | 'readingInstitutionId'>,
): boolean {
  return (
    read.requestingInstitutionId === principal.institutionId || read.readingInstitutionId === principal.institutionId
  );
}

/**
 * Claiming, releasing and reporting are for the specialists of the reading institution, and of the
 * department the read is routed to (READ_DEPARTMENTS per modality, or the order's choice): the ECG
 * room reads ECGs, cardiology does not sign them.
 */
export function assertMayRead(
  principal: Principal,
  read: Pick<Read, 'readingInstitutionId' | 'readingDepartmentId'>,
): void {
  if (principal.institutionId !== read.readingInstitutionId || !hasAnyRole(principal, [Role.CountySpecialist])) {
    throw new DomainException(
      DiagnosisErrorCode.READ_NOT_ALLOWED,
      `Only a county specialist of ${read.readingInstitutionId} reads this`,
    );
  }
  if (read.readingDepartmentId && principal.departmentId !== read.readingDepartmentId) {
    throw new DomainException(
      DiagnosisErrorCode.READ_NOT_ALLOWED,
      `This read is routed to the ${read.readingDepartmentId} department`,
      { readingDepartmentId: read.readingDepartmentId },
    );
  }
}

/** A member of the directory as the replica knows them (libs/messaging's KnownMember). */
interface Member {
  institutionId: string;
  departmentId: string | null;
  roles: string[];
  duty: string | null;
}

/**
 * Who may give a read to a specialist (指派): the group admin, or the head of the department the
 * read is routed to (a directory duty) in the reading institution. The one it is given to must be a
 * county specialist of that department there. Refusals: 403 for the assigner, 422 for the assignee.
 */
export function assertMayAssign(
  principal: Principal,
  assigner: Member | null,
  read: Pick<Read, 'readingInstitutionId' | 'readingDepartmentId'>,
  assignee: Member | null,
): void {
  const isHead =
    assigner !== null &&
    assigner.duty === 'department-head' &&
    assigner.institutionId === read.readingInstitutionId &&
    principal.institutionId === read.readingInstitutionId &&
    (!read.readingDepartmentId || assigner.departmentId === read.readingDepartmentId);
  if (!isHead && !hasAnyRole(principal, [Role.GroupAdmin])) {
    throw new DomainException(
      DiagnosisErrorCode.READ_NOT_ALLOWED,
      `Only the head of ${read.readingDepartmentId ?? 'the reading department'} or the group admin assigns this read`,
    );
  }
  const fits =
    assignee !== null &&
    assignee.institutionId === read.readingInstitutionId &&
    assignee.roles.includes(Role.CountySpecialist) &&
    (!read.readingDepartmentId || assignee.departmentId === read.readingDepartmentId);
  if (!fits) {
    throw new DomainException(
      DiagnosisErrorCode.READ_ASSIGNEE_INVALID,
      `readerId must name a county specialist of ${read.readingDepartmentId ?? read.readingInstitutionId}`,
      { readingDepartmentId: read.readingDepartmentId },
    );
  }
}
