import { DomainException } from '@countylink/platform';
import { SchedulingErrorCode } from '../scheduling.exception';
import type { ReservedRefusal } from './booking-rules';

const REFUSALS: Record<ReservedRefusal, [SchedulingErrorCode, string]> = {
  'needs-family-doctor': [
    SchedulingErrorCode.RESERVED_NEEDS_FAMILY_DOCTOR,
    'Reserved places are booked by family doctors (家庭医生) only',
  ],
  'referral-required': [
    SchedulingErrorCode.REFERRAL_REQUIRED,
    'A reserved place is booked for a referral: give referralId',
  ],
  'no-open-referral': [
    SchedulingErrorCode.NO_OPEN_REFERRAL,
    'No open up-referral with this id was sent by your institution',
  ],
  'referral-closed': [
    SchedulingErrorCode.REFERRAL_CLOSED,
    'This referral is closed (rejected, completed or cancelled)',
  ],
  'other-department': [
    SchedulingErrorCode.REFERRAL_OTHER_DEPARTMENT,
    'The referral is to another institution or department than this schedule',
  ],
};

export function refusalException(refusal: ReservedRefusal): DomainException {
  const [code, message] = REFUSALS[refusal];
  return new DomainException(code, message);
}
