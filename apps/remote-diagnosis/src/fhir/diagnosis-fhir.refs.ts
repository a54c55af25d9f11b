import type * as fhir4 from 'fhir/r4';
import { COUNTYLINK_SYSTEM } from '@countylink/platform';

/**
 * The group's modalities run on China Standard Time (UTC+8, no daylight saving); DICOM times
 * carry no zone of their own, so this is the one FHIR gives them.
 */
export const MODALITY_UTC_OFFSET = '+08:00';

/** A patient named the way every CountyLink FHIR view names them: the institution's own patient id. */
export function patientRef(institutionId: string, patientId: string, name: string | null): fhir4.Reference {
  return {
    type: 'Patient',
    identifier: { system: `${COUNTYLINK_SYSTEM}:patient:${institutionId}`, value: patientId },
    display: personName(name),
  };
}

/**
 * The read (the order for a county reading) as a logical reference: it has no FHIR endpoint of its
 * own, and `/fhir/ServiceRequest` serves referrals, so a literal reference would point elsewhere.
 */
/** A DICOM PN (`Wang^Jianguo`) or a plain name, for a display. */
export function personName(name: string | null): string | undefined {
  return name?.replace(/\^+/g, ' ').trim() || undefined;
}

export function readOrderRef(readId: string, accessionNumber: string | null): fhir4.Reference {
  return {
    type: 'ServiceRequest',
    identifier: { system: `${COUNTYLINK_SYSTEM}:read`, value: readId },
    display: accessionNumber ? `Read ${accessionNumber}` : 'Read',
  };
}

export function accessionIdentifier(institutionId: string, accessionNumber: string): fhir4.Identifier {
  return {
    type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'ACSN' }] },
    system: `${COUNTYLINK_SYSTEM}:accession:${institutionId}`,
    value: accessionNumber,
  };
}
