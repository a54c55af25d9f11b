import { hasAnyRole, Principal, Role } from '@countylink/auth';
import { DomainException } from '@countylink/platform';
import { DiagnosisErrorCode } from '../diagnosis.exception';
import type { Read } from './read.entity';

/** The requesting institution sees its reads; the reading institution sees what was sent to it. Others: 404. */
export function canSeeRead(principal: Principal, read: Pick<Read, 'requestingInstitutionId' | 'readingInstitutionId'>): boolean {
  return read.requestingInstitutionId === principal.institutionId || read.readingInstitutionId === principal.institutionId;
}

/**
 * Claiming, releasing and reporting are for the specialists of the reading institution, and of the
 * department the read is routed to (READ_DEPARTMENTS per modality, or the order's choice): the ECG
 * room reads ECGs, cardiology does not sign them.
 */
export function assertMayRead(principal: Principal, read: Pick<Read, 'readingInstitutionId' | 'readingDepartmentId'>): void {
  if (principal.institutionId !== read.readingInstitutionId || !hasAnyRole(principal, [Role.CountySpecialist])) {
    throw new DomainException(DiagnosisErrorCode.READ_NOT_ALLOWED, `Only a county specialist of ${read.readingInstitutionId} reads this`);
  }
  if (read.readingDepartmentId && principal.departmentId !== read.readingDepartmentId) {
    throw new DomainException(DiagnosisErrorCode.READ_NOT_ALLOWED, `This read is routed to the ${read.readingDepartmentId} department`,
      { readingDepartmentId: read.readingDepartmentId });
  }
}
