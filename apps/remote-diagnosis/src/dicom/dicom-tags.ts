/** The DICOM attributes this app reads or writes, as dicom-parser names them (xGGGGEEEE). */
export const Tag = {
  TransferSyntaxUID: 'x00020010',
  MediaStorageSOPInstanceUID: 'x00020003',
  SOPClassUID: 'x00080016',
  SOPInstanceUID: 'x00080018',
  StudyDate: 'x00080020',
  StudyTime: 'x00080030',
  AccessionNumber: 'x00080050',
  Modality: 'x00080060',
  ReferringPhysicianName: 'x00080090',
  StudyDescription: 'x00081030',
  SeriesDescription: 'x0008103e',
  CodeMeaning: 'x00080104',
  CodeValue: 'x00080100',
  PatientName: 'x00100010',
  PatientID: 'x00100020',
  PatientBirthDate: 'x00100030',
  PatientSex: 'x00100040',
  BodyPartExamined: 'x00180015',
  StudyInstanceUID: 'x0020000d',
  SeriesInstanceUID: 'x0020000e',
  StudyID: 'x00200010',
  SeriesNumber: 'x00200011',
  InstanceNumber: 'x00200013',
  SamplesPerPixel: 'x00280002',
  PhotometricInterpretation: 'x00280004',
  PlanarConfiguration: 'x00280006',
  NumberOfFrames: 'x00280008',
  Rows: 'x00280010',
  Columns: 'x00280011',
  BitsAllocated: 'x00280100',
  BitsStored: 'x00280101',
  HighBit: 'x00280102',
  PixelRepresentation: 'x00280103',
  WindowCenter: 'x00281050',
  WindowWidth: 'x00281051',
  RescaleIntercept: 'x00281052',
  RescaleSlope: 'x00281053',
  ChannelSourceSequence: 'x003a0208',
  NumberOfWaveformChannels: 'x003a0005',
  NumberOfWaveformSamples: 'x003a0010',
  SamplingFrequency: 'x003a001a',
  MultiplexGroupLabel: 'x003a0020',
  ChannelDefinitionSequence: 'x003a0200',
  ChannelLabel: 'x003a0203',
  ChannelSensitivity: 'x003a0210',
  ChannelSensitivityUnitsSequence: 'x003a0211',
  ChannelSensitivityCorrectionFactor: 'x003a0212',
  ChannelBaseline: 'x003a0213',
  WaveformSequence: 'x54000100',
  WaveformBitsAllocated: 'x54001004',
  WaveformSampleInterpretation: 'x54001006',
  WaveformData: 'x54001010',
  PixelData: 'x7fe00010',
} as const;

export const TransferSyntax = {
  ImplicitLittle: '1.2.840.10008.1.2',
  ExplicitLittle: '1.2.840.10008.1.2.1',
  DeflatedExplicitLittle: '1.2.840.10008.1.2.1.99',
  ExplicitBig: '1.2.840.10008.1.2.2',
  RleLossless: '1.2.840.10008.1.2.5',
} as const;

/** Transfer syntaxes whose pixel data is stored as plain samples (after inflating, for deflate). */
export const NATIVE_TRANSFER_SYNTAXES: readonly string[] = [
  TransferSyntax.ImplicitLittle,
  TransferSyntax.ExplicitLittle,
  TransferSyntax.DeflatedExplicitLittle,
  TransferSyntax.ExplicitBig,
];

/** `x0020000d` → `0020000D`, the DICOM JSON key. */
export function jsonKey(tag: string): string {
  return tag.slice(1).toUpperCase();
}
