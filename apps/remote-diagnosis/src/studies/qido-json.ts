import type { DicomJson, DicomJsonAttribute } from '../dicom/dicom-json';
import type { Instance } from './instance.entity';
import type { Series } from './series.entity';
import type { Study } from './study.entity';

const str = (vr: string, v: string | null | undefined): DicomJsonAttribute => (v ? { vr, Value: [v] } : { vr });
const num = (vr: string, v: number | null | undefined): DicomJsonAttribute =>
  v === null || v === undefined ? { vr } : { vr, Value: [v] };
const pn = (v: string | null): DicomJsonAttribute => (v ? { vr: 'PN', Value: [{ Alphabetic: v }] } : { vr: 'PN' });

/** QIDO-RS study result (PS3.18 Table 6.7.1-2 attributes the index keeps). */
export function studyJson(
  s: Study,
  extra: { modalities: string[]; series: number; instances: number },
  baseUrl: string,
): DicomJson {
  return {
    '00080005': { vr: 'CS', Value: ['ISO_IR 192'] },
    '00080020': str('DA', s.studyDate),
    '00080030': str('TM', s.studyTime),
    '00080050': str('SH', s.accessionNumber),
    '00080061': extra.modalities.length ? { vr: 'CS', Value: extra.modalities } : { vr: 'CS' },
    '00080090': pn(s.referringPhysicianName),
    '00081030': str('LO', s.studyDescription),
    '00081190': { vr: 'UR', Value: [`${baseUrl}/dicomweb/studies/${s.studyInstanceUid}`] },
    '00100010': pn(s.patientName),
    '00100020': str('LO', s.patientId),
    '00100030': str('DA', s.patientBirthDate),
    '00100040': str('CS', s.patientSex),
    '0020000D': str('UI', s.studyInstanceUid),
    '00201206': num('IS', extra.series),
    '00201208': num('IS', extra.instances),
  };
}

export function seriesJson(se: Series, instances: number, baseUrl: string): DicomJson {
  return {
    '00080005': { vr: 'CS', Value: ['ISO_IR 192'] },
    '00080060': str('CS', se.modality),
    '0008103E': str('LO', se.seriesDescription),
    '00081190': {
      vr: 'UR',
      Value: [`${baseUrl}/dicomweb/studies/${se.studyInstanceUid}/series/${se.seriesInstanceUid}`],
    },
    '00180015': str('CS', se.bodyPartExamined),
    '0020000D': str('UI', se.studyInstanceUid),
    '0020000E': str('UI', se.seriesInstanceUid),
    '00200011': num('IS', se.seriesNumber),
    '00201209': num('IS', instances),
  };
}

export function instanceJson(i: Instance, modality: string | undefined, baseUrl: string): DicomJson {
  return {
    '00080016': str('UI', i.sopClassUid),
    '00080018': str('UI', i.sopInstanceUid),
    '00080060': str('CS', modality),
    '00081190': {
      vr: 'UR',
      Value: [
        `${baseUrl}/dicomweb/studies/${i.studyInstanceUid}/series/${i.seriesInstanceUid}/instances/${i.sopInstanceUid}`,
      ],
    },
    '00083002': str('UI', i.transferSyntaxUid),
    '0020000D': str('UI', i.studyInstanceUid),
    '0020000E': str('UI', i.seriesInstanceUid),
    '00200013': num('IS', i.instanceNumber),
    '00280008': num('IS', i.numberOfFrames),
    '00280010': num('US', i.rows),
    '00280011': num('US', i.columns),
    '00280100': num('US', i.bitsAllocated),
  };
}
