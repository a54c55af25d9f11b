import { DataSet, Element } from 'dicom-parser';
import { readText } from './dicom-text';
import { jsonKey } from './dicom-tags';

export type DicomJsonAttribute = { vr: string; Value?: unknown[]; InlineBinary?: string; BulkDataURI?: string };
export type DicomJson = Record<string, DicomJsonAttribute>;

/** VRs of attributes we may meet in implicit VR files, where the file does not say. */
const IMPLICIT_VR: Record<string, string> = {
  x00080005: 'CS',
  x00080008: 'CS',
  x00080012: 'DA',
  x00080013: 'TM',
  x00080016: 'UI',
  x00080018: 'UI',
  x00080020: 'DA',
  x00080021: 'DA',
  x00080022: 'DA',
  x00080023: 'DA',
  x00080030: 'TM',
  x00080031: 'TM',
  x00080032: 'TM',
  x00080033: 'TM',
  x00080050: 'SH',
  x00080060: 'CS',
  x00080064: 'CS',
  x00080070: 'LO',
  x00080080: 'LO',
  x00080090: 'PN',
  x00081010: 'SH',
  x00081030: 'LO',
  x0008103e: 'LO',
  x00081040: 'LO',
  x00081090: 'LO',
  x00100010: 'PN',
  x00100020: 'LO',
  x00100030: 'DA',
  x00100040: 'CS',
  x00101010: 'AS',
  x00101020: 'DS',
  x00101030: 'DS',
  x00180015: 'CS',
  x00180050: 'DS',
  x00180060: 'DS',
  x00181020: 'LO',
  x00185100: 'CS',
  x0020000d: 'UI',
  x0020000e: 'UI',
  x00200010: 'SH',
  x00200011: 'IS',
  x00200012: 'IS',
  x00200013: 'IS',
  x00200020: 'CS',
  x00200032: 'DS',
  x00200037: 'DS',
  x00200052: 'UI',
  x00201040: 'LO',
  x00201041: 'DS',
  x00280002: 'US',
  x00280004: 'CS',
  x00280006: 'US',
  x00280008: 'IS',
  x00280010: 'US',
  x00280011: 'US',
  x00280030: 'DS',
  x00280100: 'US',
  x00280101: 'US',
  x00280102: 'US',
  x00280103: 'US',
  x00281050: 'DS',
  x00281051: 'DS',
  x00281052: 'DS',
  x00281053: 'DS',
  x00281054: 'LO',
  x300a0002: 'SH',
  x300a0003: 'LO',
  x300a0006: 'DA',
  x300a0007: 'TM',
  x300a000c: 'CS',
};

const STRING_VRS = new Set(['AE', 'AS', 'CS', 'DA', 'DT', 'LO', 'LT', 'SH', 'ST', 'TM', 'UC', 'UI', 'UR', 'UT']);
const TEXT_VRS = new Set(['LO', 'LT', 'SH', 'ST', 'UC', 'UT', 'PN']);
const INLINE_LIMIT = 1024;

/** Names the resource that serves a bulk value, from its path (tag, item index, tag, …). */
export type BulkUri = (path: string[]) => string;

/**
 * The data set as DICOM JSON (PS3.18 §F.2). Group 0002 (file meta) is left out; bulk data (pixel
 * data, waveform data, other binary values over 1 KB) is not inlined but named by a BulkDataURI
 * when `bulkUri` is given (left out otherwise): this is the metadata resource.
 */
export function toDicomJson(dataSet: DataSet, bulkUri?: BulkUri, depth = 0, path: string[] = []): DicomJson {
  const out: DicomJson = {};
  const tags = Object.keys(dataSet.elements)
    .filter((t) => !t.startsWith('x0002') && !t.startsWith('xfffe'))
    .sort();
  for (const tag of tags) {
    const attribute = attributeOf(dataSet, dataSet.elements[tag], bulkUri, depth, [...path, jsonKey(tag)]);
    if (attribute) out[jsonKey(tag)] = attribute;
  }
  return out;
}

function attributeOf(
  ds: DataSet,
  element: Element,
  bulkUri: BulkUri | undefined,
  depth: number,
  path: string[],
): DicomJsonAttribute | undefined {
  const vr = element.vr ?? IMPLICIT_VR[element.tag] ?? (element.items ? 'SQ' : 'UN');
  if (vr === 'SQ') {
    if (depth > 8) return { vr };
    const items = (element.items ?? []).map((item, i) =>
      item.dataSet ? toDicomJson(item.dataSet, bulkUri, depth + 1, [...path, String(i)]) : {},
    );
    return items.length > 0 ? { vr, Value: items } : { vr };
  }
  const bulk = (): DicomJsonAttribute | undefined => (bulkUri ? { vr, BulkDataURI: bulkUri(path) } : undefined);
  if (element.length === 0) return { vr };
  // Encapsulated pixel data has no single length; a viewer takes it frame by frame.
  if (element.length === 0xffffffff) return element.tag === 'x7fe00010' ? bulk() : undefined;
  if (element.dataOffset + element.length > ds.byteArray.length)
    return element.tag === 'x7fe00010' ? bulk() : undefined;
  if (vr === 'PN') {
    const text = readText(ds, element.tag);
    return text ? { vr, Value: text.split('\\').map((name) => ({ Alphabetic: name })) } : { vr };
  }
  if (STRING_VRS.has(vr)) {
    const text = TEXT_VRS.has(vr) ? readText(ds, element.tag) : ds.string(element.tag);
    if (text === undefined) return { vr };
    const values = vr === 'LT' || vr === 'ST' || vr === 'UT' ? [text] : text.split('\\').map((v) => v.trim());
    return { vr, Value: values };
  }
  if (vr === 'IS' || vr === 'DS') {
    const raw = ds.string(element.tag) ?? '';
    const values = raw
      .split('\\')
      .map((v) => v.trim())
      .filter((v) => v !== '')
      .map(Number)
      .filter((n) => Number.isFinite(n));
    return values.length > 0 ? { vr, Value: values } : { vr };
  }
  const numeric = numericReader(ds, vr);
  if (numeric) {
    const count = Math.floor(element.length / numeric.size);
    if (count > 256) return bulk();
    return { vr, Value: Array.from({ length: count }, (_, i) => numeric.read(element.tag, i)) };
  }
  if (vr === 'AT') return { vr, Value: [jsonKey(ds.attributeTag(element.tag) ?? 'x00000000')] };
  if (element.length > INLINE_LIMIT) return bulk();
  const bytes = ds.byteArray;
  return {
    vr,
    InlineBinary: Buffer.from(bytes.buffer, bytes.byteOffset + element.dataOffset, element.length).toString('base64'),
  };
}

function numericReader(
  ds: DataSet,
  vr: string,
): { size: number; read: (tag: string, i: number) => number | undefined } | undefined {
  switch (vr) {
    case 'US':
      return { size: 2, read: (t, i) => ds.uint16(t, i) };
    case 'SS':
      return { size: 2, read: (t, i) => ds.int16(t, i) };
    case 'UL':
      return { size: 4, read: (t, i) => ds.uint32(t, i) };
    case 'SL':
      return { size: 4, read: (t, i) => ds.int32(t, i) };
    case 'FL':
      return { size: 4, read: (t, i) => ds.float(t, i) };
    case 'FD':
      return { size: 8, read: (t, i) => ds.double(t, i) };
    default:
      return undefined;
  }
}
