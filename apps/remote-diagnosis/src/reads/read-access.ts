import { hasAnyRole, Principal, Role } from '@countylink/auth';
import { DomainException } from '@countylink/platform';
import { DiagnosisErrorCode } from '../diagnosis.exception';
import type { Read } from './read.entity';

/** The requesting institution sees its reads; the reading institution sees what was sent to it. Others: 404. */
export function canSeeRead(principal: Principal, read: Pick<Read, 'requestingInstitutionId' | 'readingInstitutionId'>): boolean {
  return read.requestingInstitutionId === principal.institutionId || read.readingInstitutionId === principal.institutionId;
}

/** Claiming, releasing and reporting are for the specialists of the reading institution. */
export function assertMayRead(principal: Principal, read: Read): void {
  if (principal.institutionId !== read.readingInstitutionId || !hasAnyRole(principal, [Role.CountySpecialist])) {
    throw new DomainException(DiagnosisErrorCode.READ_NOT_ALLOWED, `Only a county specialist of ${read.readingInstitutionId} reads this`);
  }
}
