/**
 * A small DICOM writer for tests and benchmarks: Part 10 files in explicit VR little endian,
 * generated DX X-rays written to disk row by row, and clones of real files with new UIDs.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { deflateRawSync } from 'node:zlib';
import { parseDicom } from 'dicom-parser';

export interface DicomElement {
  /** (group << 16) | element */
  tag: number;
  vr: string;
  value: Buffer | string | number[];
}

const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OW', 'SQ', 'UC', 'UN', 'UR', 'UT']);
const EXPLICIT_LE = '1.2.840.10008.1.2.1';

/** A UID under 2.25 (a UUID as a number), unique without a registered root. */
export function newUid(): string {
  return `2.25.${BigInt(`0x${randomBytes(16).toString('hex')}`).toString()}`;
}

function valueBytes(e: DicomElement): Buffer {
  let bytes: Buffer;
  if (Buffer.isBuffer(e.value)) bytes = e.value;
  else if (typeof e.value === 'string')
    bytes = Buffer.from(e.value, e.vr === 'PN' || e.vr === 'LO' || e.vr === 'SH' ? 'utf8' : 'latin1');
  else if (e.vr === 'US') {
    bytes = Buffer.alloc(e.value.length * 2);
    e.value.forEach((v, i) => bytes.writeUInt16LE(v, i * 2));
  } else if (e.vr === 'UL') {
    bytes = Buffer.alloc(e.value.length * 4);
    e.value.forEach((v, i) => bytes.writeUInt32LE(v, i * 4));
  } else throw new Error(`no numeric encoding for ${e.vr}`);
  if (bytes.length % 2 === 1) bytes = Buffer.concat([bytes, Buffer.from([e.vr === 'UI' || e.vr === 'OB' ? 0 : 0x20])]);
  return bytes;
}

/** Header of one element (explicit VR little endian) for a value of `length` bytes. */
export function elementHeader(tag: number, vr: string, length: number): Buffer {
  const long = LONG_VRS.has(vr);
  const head = Buffer.alloc(long ? 12 : 8);
  head.writeUInt16LE(tag >>> 16, 0);
  head.writeUInt16LE(tag & 0xffff, 2);
  head.write(vr, 4, 'latin1');
  if (long) head.writeUInt32LE(length, 8);
  else head.writeUInt16LE(length, 6);
  return head;
}

export function encodeElements(elements: DicomElement[]): Buffer {
  const sorted = [...elements].sort((a, b) => (a.tag >>> 0) - (b.tag >>> 0));
  return Buffer.concat(
    sorted.flatMap((e) => {
      const value = valueBytes(e);
      return [elementHeader(e.tag, e.vr, value.length), value];
    }),
  );
}

/** Preamble, DICM and the file meta group for an instance. */
export function fileMeta(sopClassUid: string, sopInstanceUid: string, transferSyntax = EXPLICIT_LE): Buffer {
  const meta = encodeElements([
    { tag: 0x00020001, vr: 'OB', value: Buffer.from([0, 1]) },
    { tag: 0x00020002, vr: 'UI', value: sopClassUid },
    { tag: 0x00020003, vr: 'UI', value: sopInstanceUid },
    { tag: 0x00020010, vr: 'UI', value: transferSyntax },
    { tag: 0x00020012, vr: 'UI', value: '1.2.826.0.1.3680043.10.1' },
  ]);
  const groupLength = encodeElements([{ tag: 0x00020000, vr: 'UL', value: [meta.length] }]);
  return Buffer.concat([Buffer.alloc(128), Buffer.from('DICM', 'latin1'), groupLength, meta]);
}

export interface DxOptions {
  rows: number;
  columns: number;
  patientId?: string;
  patientName?: string;
  accessionNumber?: string;
  studyInstanceUid?: string;
  seriesInstanceUid?: string;
  sopInstanceUid?: string;
  photometric?: 'MONOCHROME1' | 'MONOCHROME2';
  bitsStored?: number;
  window?: { center: number; width: number };
}

export interface GeneratedDx {
  path: string;
  size: number;
  sopInstanceUid: string;
  studyInstanceUid: string;
  seriesInstanceUid: string;
}

const DX_FOR_PRESENTATION = '1.2.840.10008.5.1.4.1.1.1.1';

/** The header of a 16-bit DX for presentation, up to and including the Pixel Data element header. */
export function dxHeader(
  o: DxOptions & { sopInstanceUid: string; studyInstanceUid: string; seriesInstanceUid: string },
): Buffer {
  const bitsStored = o.bitsStored ?? 12;
  const elements: DicomElement[] = [
    { tag: 0x00080005, vr: 'CS', value: 'ISO_IR 192' },
    { tag: 0x00080016, vr: 'UI', value: DX_FOR_PRESENTATION },
    { tag: 0x00080018, vr: 'UI', value: o.sopInstanceUid },
    { tag: 0x00080020, vr: 'DA', value: '20261122' },
    { tag: 0x00080030, vr: 'TM', value: '083000' },
    { tag: 0x00080050, vr: 'SH', value: o.accessionNumber ?? '' },
    { tag: 0x00080060, vr: 'CS', value: 'DX' },
    { tag: 0x00081030, vr: 'LO', value: '胸部正位' },
    { tag: 0x00100010, vr: 'PN', value: o.patientName ?? '王^建国' },
    { tag: 0x00100020, vr: 'LO', value: o.patientId ?? 'TA-DX-0001' },
    { tag: 0x00100030, vr: 'DA', value: '19560314' },
    { tag: 0x00100040, vr: 'CS', value: 'M' },
    { tag: 0x00180015, vr: 'CS', value: 'CHEST' },
    { tag: 0x0020000d, vr: 'UI', value: o.studyInstanceUid },
    { tag: 0x0020000e, vr: 'UI', value: o.seriesInstanceUid },
    { tag: 0x00200011, vr: 'IS', value: '1' },
    { tag: 0x00200013, vr: 'IS', value: '1' },
    { tag: 0x00280002, vr: 'US', value: [1] },
    { tag: 0x00280004, vr: 'CS', value: o.photometric ?? 'MONOCHROME2' },
    { tag: 0x00280010, vr: 'US', value: [o.rows] },
    { tag: 0x00280011, vr: 'US', value: [o.columns] },
    { tag: 0x00280100, vr: 'US', value: [16] },
    { tag: 0x00280101, vr: 'US', value: [bitsStored] },
    { tag: 0x00280102, vr: 'US', value: [bitsStored - 1] },
    { tag: 0x00280103, vr: 'US', value: [0] },
  ];
  if (o.window) {
    elements.push(
      { tag: 0x00281050, vr: 'DS', value: String(o.window.center) },
      { tag: 0x00281051, vr: 'DS', value: String(o.window.width) },
    );
  }
  return Buffer.concat([
    fileMeta(DX_FOR_PRESENTATION, o.sopInstanceUid),
    encodeElements(elements),
    elementHeader(0x7fe00010, 'OW', o.rows * o.columns * 2),
  ]);
}

/** One row of a synthetic chest-like X-ray: a bright body ellipse with ribs and noise (12-bit by default). */
export function dxRow(y: number, rows: number, columns: number, bitsStored = 12): Buffer {
  const row = Buffer.alloc(columns * 2);
  const pixels = new Uint16Array(row.buffer, row.byteOffset, columns);
  const max = (1 << bitsStored) - 1;
  const dy = (y - rows / 2) / (rows * 0.46);
  const ribs = 0.12 * Math.max(0, Math.sin(y / (rows / 40)));
  const half = columns / 2;
  const rx = columns * 0.42;
  let seed = (y * 104729) % 997;
  for (let x = 0; x < columns; x++) {
    const dx = (x - half) / rx;
    const inside = dx * dx + dy * dy < 1;
    seed = (seed + 7919) % 997;
    const value = (inside ? 0.55 + ribs : 0.08) + (seed / 997 - 0.5) * 0.04;
    const v = (value * max + 0.5) | 0;
    pixels[x] = v < 0 ? 0 : v > max ? max : v;
  }
  return row;
}

/** Writes a DX to `path` row by row, never holding the pixel data in memory. */
export async function writeDx(path: string, options: DxOptions): Promise<GeneratedDx> {
  const ids = {
    sopInstanceUid: options.sopInstanceUid ?? newUid(),
    studyInstanceUid: options.studyInstanceUid ?? newUid(),
    seriesInstanceUid: options.seriesInstanceUid ?? newUid(),
  };
  const header = dxHeader({ ...options, ...ids });
  const out = createWriteStream(path);
  const write = (b: Buffer) =>
    out.write(b) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r()));
  await write(header);
  for (let y = 0; y < options.rows; y++) await write(dxRow(y, options.rows, options.columns, options.bitsStored));
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  return { path, size: header.length + options.rows * options.columns * 2, ...ids };
}

/** A whole DX in memory (small sizes: unit tests, fuzzing). */
export function dxBuffer(options: DxOptions): Buffer {
  const ids = {
    sopInstanceUid: options.sopInstanceUid ?? newUid(),
    studyInstanceUid: options.studyInstanceUid ?? newUid(),
    seriesInstanceUid: options.seriesInstanceUid ?? newUid(),
  };
  const rows: Buffer[] = [];
  for (let y = 0; y < options.rows; y++) rows.push(dxRow(y, options.rows, options.columns, options.bitsStored));
  return Buffer.concat([dxHeader({ ...options, ...ids }), ...rows]);
}

/**
 * A copy of an explicit-VR-little-endian Part 10 file with some top-level short-length values
 * replaced (UIDs, accession, patient id), lengths and the meta group length fixed up.
 */
export function rewriteElements(file: Buffer, replacements: Record<string, string>): Buffer {
  const dataSet = parseDicom(file, { untilTag: 'x7fe00010' });
  const edits = Object.entries(replacements)
    .map(([tag, value]) => {
      const element = dataSet.elements[tag];
      if (!element || LONG_VRS.has(element.vr ?? '')) throw new Error(`cannot rewrite ${tag}`);
      let bytes = Buffer.from(value, 'latin1');
      if (bytes.length % 2 === 1) bytes = Buffer.concat([bytes, Buffer.from([element.vr === 'UI' ? 0 : 0x20])]);
      return { start: element.dataOffset - 2, end: element.dataOffset + element.length, bytes, tag };
    })
    .sort((a, b) => a.start - b.start);
  const out: Buffer[] = [];
  let at = 0;
  let metaDelta = 0;
  for (const edit of edits) {
    out.push(file.subarray(at, edit.start));
    const length = Buffer.alloc(2);
    length.writeUInt16LE(edit.bytes.length);
    out.push(length, edit.bytes);
    if (edit.tag.startsWith('x0002')) metaDelta += edit.bytes.length - (edit.end - edit.start - 2);
    at = edit.end;
  }
  out.push(file.subarray(at));
  const result = Buffer.concat(out);
  const groupLength = dataSet.elements.x00020000;
  if (groupLength && metaDelta !== 0)
    result.writeUInt32LE(file.readUInt32LE(groupLength.dataOffset) + metaDelta, groupLength.dataOffset);
  return result;
}

export interface CloneIds {
  studyInstanceUid: string;
  seriesInstanceUid: string;
  sopInstanceUid: string;
}

/** The file as another instance: new study, series and instance UIDs (and optionally accession / patient). */
export function cloneWithNewUids(file: Buffer, extra: Record<string, string> = {}): { bytes: Buffer; ids: CloneIds } {
  const ids = { studyInstanceUid: newUid(), seriesInstanceUid: newUid(), sopInstanceUid: newUid() };
  const bytes = rewriteElements(file, {
    x00020003: ids.sopInstanceUid,
    x00080018: ids.sopInstanceUid,
    x0020000d: ids.studyInstanceUid,
    x0020000e: ids.seriesInstanceUid,
    ...extra,
  });
  return { bytes, ids };
}

/** The same instance under another SOP class (file meta and data set), e.g. a 12-lead ECG stored as a general ECG. */
export function withSopClass(file: Buffer, sopClassUid: string): Buffer {
  return rewriteElements(file, { x00020002: sopClassUid, x00080016: sopClassUid });
}

/** An explicit-VR-little-endian Part 10 file re-encoded in the Deflated Explicit VR Little Endian transfer syntax. */
export function deflatedCopy(file: Buffer): Buffer {
  const meta = parseDicom(file, { untilTag: 'x00080000' });
  const sopClass = (meta.string('x00020002') ?? '').replace(/\0/g, '').trim();
  const sopInstance = (meta.string('x00020003') ?? '').replace(/\0/g, '').trim();
  const groupLength = meta.elements.x00020000;
  const dataSetStart = groupLength.dataOffset + 4 + file.readUInt32LE(groupLength.dataOffset);
  return Buffer.concat([
    fileMeta(sopClass, sopInstance, '1.2.840.10008.1.2.1.99'),
    deflateRawSync(file.subarray(dataSetStart)),
  ]);
}
