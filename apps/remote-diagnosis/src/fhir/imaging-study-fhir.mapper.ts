import type * as fhir4 from 'fhir/r4';
import type { StudyTree } from '../studies/qido.service';
import { fhirDateTime } from './dicom-date-time';
import { accessionIdentifier, MODALITY_UTC_OFFSET, patientRef, personName, readOrderRef } from './diagnosis-fhir.refs';

const DCM = 'http://dicom.nema.org/resources/ontology/DCM';
const modality = (code: string): fhir4.Coding => ({ system: DCM, code });
/** DICOM IS numbers may be negative; FHIR's unsignedInt may not. */
const unsigned = (n: number | null): number | undefined => (n !== null && n >= 0 ? n : undefined);

/**
 * A stored study as a FHIR R4 ImagingStudy: its identity (the Study Instance UID, also the id),
 * its series and instances as indexed, `basedOn` the read it came in for, and a contained
 * Endpoint naming our DICOMweb base (WADO-RS retrieves `{address}/studies/{uid}`).
 */
export function toImagingStudy(tree: StudyTree, baseUrl: string): fhir4.ImagingStudy {
  const { study } = tree;
  const identifier: fhir4.Identifier[] = [{ system: 'urn:dicom:uid', value: `urn:oid:${study.studyInstanceUid}` }];
  if (study.accessionNumber) identifier.push(accessionIdentifier(study.institutionId, study.accessionNumber));
  const modalities = [...new Set(tree.series.map((s) => s.series.modality))];
  const started = fhirDateTime(study.studyDate, study.studyTime, MODALITY_UTC_OFFSET);
  const referrer = personName(study.referringPhysicianName);
  const endpoint: fhir4.Endpoint = {
    resourceType: 'Endpoint',
    id: 'dicomweb',
    status: 'active',
    connectionType: { system: 'http://terminology.hl7.org/CodeSystem/endpoint-connection-type', code: 'dicom-wado-rs' },
    payloadType: [{ text: 'DICOM WADO-RS' }],
    payloadMimeType: ['application/dicom'],
    address: `${baseUrl}/dicomweb`,
  };
  return {
    resourceType: 'ImagingStudy',
    id: study.studyInstanceUid,
    meta: { lastUpdated: study.updatedAt.toISOString() },
    contained: [endpoint],
    identifier,
    status: 'available',
    modality: modalities.map(modality),
    subject: patientRef(study.institutionId, study.patientId, study.patientName),
    started,
    basedOn: study.readId ? [readOrderRef(study.readId, study.accessionNumber)] : undefined,
    referrer: referrer ? { display: referrer } : undefined,
    endpoint: [{ reference: '#dicomweb' }],
    numberOfSeries: tree.series.length,
    numberOfInstances: tree.series.reduce((n, s) => n + s.instances.length, 0),
    description: study.studyDescription ?? undefined,
    series: tree.series.map(({ series, instances }) => ({
      uid: series.seriesInstanceUid,
      number: unsigned(series.seriesNumber),
      modality: modality(series.modality),
      description: series.seriesDescription ?? undefined,
      numberOfInstances: instances.length,
      instance: instances.map((i) => ({
        uid: i.sopInstanceUid,
        sopClass: { system: 'urn:ietf:rfc:3986', code: `urn:oid:${i.sopClassUid}` },
        number: unsigned(i.instanceNumber),
      })),
    })),
  };
}
