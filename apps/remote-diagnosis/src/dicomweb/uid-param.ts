import { PipeTransform } from '@nestjs/common';
import { DomainException } from '@countylink/platform';
import { DiagnosisErrorCode } from '../diagnosis.exception';

const UID = /^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*$/;

/** A UID in a DICOMweb path; anything else cannot name a stored object, so it is a 404. */
export const uidParam: PipeTransform<string, string> = {
  transform(value: string): string {
    if (typeof value !== 'string' || value.length > 64 || !UID.test(value)) {
      throw new DomainException(DiagnosisErrorCode.DICOM_NOT_FOUND, 'No such DICOM object');
    }
    return value;
  },
};
