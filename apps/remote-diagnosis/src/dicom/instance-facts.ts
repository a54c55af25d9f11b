import { DataSet, Element } from 'dicom-parser';
import { DicomHeader } from './dicom-header';
import { readText } from './dicom-text';
import { Tag } from './dicom-tags';
import { SopCategory, sopCategory } from './sop-classes';
import { FailureReason, InstanceRefused } from './stow-failure';

/** What the index keeps of an instance, read from its header. */
export interface InstanceFacts {
  sopClassUid: string;
  sopInstanceUid: string;
  studyInstanceUid: string;
  seriesInstanceUid: string;
  category: SopCategory;
  transferSyntaxUid: string;
  modality: string;
  patientId: string;
  patientName: string | null;
  patientBirthDate: string | null;
  patientSex: string | null;
  accessionNumber: string | null;
  studyDate: string | null;
  studyTime: string | null;
  studyDescription: string | null;
  referringPhysicianName: string | null;
  seriesNumber: number | null;
  seriesDescription: string | null;
  bodyPartExamined: string | null;
  instanceNumber: number | null;
  rows: number | null;
  columns: number | null;
  bitsAllocated: number | null;
  numberOfFrames: number | null;
  photometricInterpretation: string | null;
}

const UID = /^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*$/;
const IS = /^ *[+-]?[0-9]{1,12} *$/;
const DS = /^ *[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)? *$/;
const VALUE_CHECKS: Record<string, RegExp> = { IS, DS };

/**
 * Checks an instance the way the index needs it: values conform to their VR, the identifying
 * attributes are there (Type 1 non-empty; Patient ID Type 2, present), the SOP class is one the
 * group takes, and the file meta agrees with the data set. Throws `InstanceRefused` with the reason.
 */
export function instanceFacts(header: DicomHeader): InstanceFacts {
  const ds = header.dataSet;
  checkValues(ds);
  const uid = (tag: string, name: string): string => {
    const value = ds.string(tag)?.replace(/\0/g, '').trim();
    if (!value)
      throw new InstanceRefused(
        FailureReason.DataSetDoesNotMatchSopClass,
        `${name} (${label(tag)}) is missing or empty`,
      );
    if (value.length > 64 || !UID.test(value))
      throw new InstanceRefused(
        FailureReason.DataSetDoesNotMatchSopClass,
        `${name} (${label(tag)}) is not a valid UID: ${value.slice(0, 80)}`,
      );
    return value;
  };
  const sopClassUid = uid(Tag.SOPClassUID, 'SOP Class UID');
  const sopInstanceUid = uid(Tag.SOPInstanceUID, 'SOP Instance UID');
  const refused = (reason: FailureReason, message: string) =>
    new InstanceRefused(reason, message, sopClassUid, sopInstanceUid);
  const studyInstanceUid = uid(Tag.StudyInstanceUID, 'Study Instance UID');
  const seriesInstanceUid = uid(Tag.SeriesInstanceUID, 'Series Instance UID');
  const modality = ds.string(Tag.Modality)?.trim();
  if (!modality)
    throw refused(FailureReason.DataSetDoesNotMatchSopClass, `Modality (${label(Tag.Modality)}) is missing or empty`);
  if (!ds.elements[Tag.PatientID])
    throw refused(FailureReason.DataSetDoesNotMatchSopClass, `Patient ID (${label(Tag.PatientID)}) is missing`);
  const category = sopCategory(sopClassUid);
  if (!category)
    throw refused(FailureReason.SopClassNotSupported, `SOP class ${sopClassUid} is not one the group stores or reads`);
  const metaInstance = ds.string(Tag.MediaStorageSOPInstanceUID)?.replace(/\0/g, '').trim();
  if (metaInstance && metaInstance !== sopInstanceUid) {
    throw refused(
      FailureReason.DataSetDoesNotMatchSopClass,
      `the file meta names instance ${metaInstance} but the data set is ${sopInstanceUid}`,
    );
  }
  const rows = ds.uint16(Tag.Rows) ?? null;
  const columns = ds.uint16(Tag.Columns) ?? null;
  const bitsAllocated = ds.uint16(Tag.BitsAllocated) ?? null;
  if (category === 'image') {
    if (!rows || !columns || !bitsAllocated)
      throw refused(FailureReason.DataSetDoesNotMatchSopClass, 'an image needs Rows, Columns and Bits Allocated');
    if (!ds.elements[Tag.PixelData])
      throw refused(FailureReason.DataSetDoesNotMatchSopClass, 'an image has no Pixel Data (7FE0,0010)');
  }
  if (category === 'waveform' && !ds.elements[Tag.WaveformSequence]) {
    throw refused(FailureReason.DataSetDoesNotMatchSopClass, 'an ECG has no Waveform Sequence (5400,0100)');
  }
  const text = (tag: string, max = 256) => readText(ds, tag)?.slice(0, max) ?? null;
  return {
    sopClassUid,
    sopInstanceUid,
    studyInstanceUid,
    seriesInstanceUid,
    category,
    transferSyntaxUid: header.transferSyntaxUid,
    modality: modality.toUpperCase().slice(0, 16),
    patientId: text(Tag.PatientID, 64) ?? '',
    patientName: text(Tag.PatientName, 324),
    patientBirthDate: text(Tag.PatientBirthDate, 8),
    patientSex: text(Tag.PatientSex, 16),
    accessionNumber: text(Tag.AccessionNumber, 64),
    studyDate: text(Tag.StudyDate, 8),
    studyTime: text(Tag.StudyTime, 16),
    studyDescription: text(Tag.StudyDescription),
    referringPhysicianName: text(Tag.ReferringPhysicianName),
    seriesNumber: ds.intString(Tag.SeriesNumber) ?? null,
    seriesDescription: text(Tag.SeriesDescription),
    bodyPartExamined: text(Tag.BodyPartExamined, 16),
    instanceNumber: ds.intString(Tag.InstanceNumber) ?? null,
    rows,
    columns,
    bitsAllocated,
    numberOfFrames: ds.intString(Tag.NumberOfFrames) ?? null,
    photometricInterpretation: ds.string(Tag.PhotometricInterpretation)?.trim() || null,
  };
}

/** Numbers written as text (IS, DS) must be numbers: `1A` frames is a forged or broken header. */
function checkValues(ds: DataSet): void {
  for (const element of Object.values(ds.elements) as Element[]) {
    const re = element.vr ? VALUE_CHECKS[element.vr] : undefined;
    if (!re || element.length === 0 || element.length > 1024) continue;
    const bytes = ds.byteArray;
    const raw = Buffer.from(bytes.buffer, bytes.byteOffset + element.dataOffset, element.length)
      .toString('latin1')
      .replace(/\0+$/, '');
    for (const value of raw.split('\\')) {
      if (value.trim() !== '' && !re.test(value)) {
        throw new InstanceRefused(
          FailureReason.CannotUnderstand,
          `${label(element.tag)} is ${element.vr} but holds ${JSON.stringify(value.slice(0, 40))}`,
        );
      }
    }
  }
}

export function label(tag: string): string {
  return `${tag.slice(1, 5).toUpperCase()},${tag.slice(5).toUpperCase()}`;
}
