/**
 * Files built to hurt a DICOM server: each is small on the wire and claims, or inflates to, far
 * more than any real instance. The server must refuse each by arithmetic, before allocating.
 */
import { constants, deflateRawSync } from 'node:zlib';
import { elementHeader, encodeElements, fileMeta, newUid } from './dicom-writer';

const SECONDARY_CAPTURE = '1.2.840.10008.5.1.4.1.1.7';
const DEFLATED = '1.2.840.10008.1.2.1.99';
const RLE = '1.2.840.10008.1.2.5';

function imageElements(sopInstanceUid: string, rows: number, columns: number) {
  return encodeElements([
    { tag: 0x00080016, vr: 'UI', value: SECONDARY_CAPTURE },
    { tag: 0x00080018, vr: 'UI', value: sopInstanceUid },
    { tag: 0x00080060, vr: 'CS', value: 'DX' },
    { tag: 0x00100020, vr: 'LO', value: 'HOSTILE-1' },
    { tag: 0x0020000d, vr: 'UI', value: newUid() },
    { tag: 0x0020000e, vr: 'UI', value: newUid() },
    { tag: 0x00280002, vr: 'US', value: [1] },
    { tag: 0x00280004, vr: 'CS', value: 'MONOCHROME2' },
    { tag: 0x00280010, vr: 'US', value: [rows] },
    { tag: 0x00280011, vr: 'US', value: [columns] },
    { tag: 0x00280100, vr: 'US', value: [16] },
    { tag: 0x00280101, vr: 'US', value: [12] },
    { tag: 0x00280102, vr: 'US', value: [11] },
    { tag: 0x00280103, vr: 'US', value: [0] },
  ]);
}

/**
 * A deflated data set of `wireMegabytes` MB that inflates to about a thousand times as much: the
 * same fully flushed block of a megabyte of zeros, repeated (each block stands alone after a full
 * flush, so the stream stays valid), inside an OB element that claims almost 4 GB.
 */
export function deflateBomb(wireMegabytes = 3): Buffer {
  const sop = newUid();
  const start = Buffer.concat([imageElements(sop, 512, 512), elementHeader(0x7fe00010, 'OB', 0xfffffff0)]);
  const flush = { finishFlush: constants.Z_FULL_FLUSH };
  const first = deflateRawSync(start, flush);
  const zeros = deflateRawSync(Buffer.alloc(1024 * 1024), flush);
  const blocks = Math.ceil((wireMegabytes * 1024 * 1024) / zeros.length);
  return Buffer.concat([
    fileMeta(SECONDARY_CAPTURE, sop, DEFLATED),
    first,
    ...Array.from({ length: blocks }, () => zeros),
    deflateRawSync(Buffer.alloc(0)),
  ]);
}

/** Native pixel data of a few kilobytes under a header claiming `rows` × `columns`. */
export function oversizedNative(rows = 65535, columns = 65535): Buffer {
  const sop = newUid();
  const pixels = Buffer.alloc(8192, 0x11);
  return Buffer.concat([
    fileMeta(SECONDARY_CAPTURE, sop),
    imageElements(sop, rows, columns),
    elementHeader(0x7fe00010, 'OW', pixels.length),
    pixels,
  ]);
}

/** RLE Lossless with one tiny fragment under a header claiming `rows` × `columns`. */
export function oversizedRle(rows = 65535, columns = 65535): Buffer {
  const sop = newUid();
  const header = Buffer.alloc(64);
  header.writeUInt32LE(2, 0); // two byte planes of a 16-bit sample
  header.writeUInt32LE(64, 4);
  header.writeUInt32LE(64 + 512, 8);
  // Each segment: a replicate run of 128 zeros, repeated — about 64× expansion at most.
  const segment = Buffer.alloc(512);
  for (let i = 0; i < segment.length; i += 2) segment[i] = 0x81;
  const fragment = Buffer.concat([header, segment, segment]);
  const item = (tag: number, value: Buffer) => {
    const head = Buffer.alloc(8);
    head.writeUInt16LE(0xfffe, 0);
    head.writeUInt16LE(tag, 2);
    head.writeUInt32LE(value.length, 4);
    return Buffer.concat([head, value]);
  };
  const delimiter = Buffer.from([0xfe, 0xff, 0xdd, 0xe0, 0, 0, 0, 0]);
  return Buffer.concat([
    fileMeta(SECONDARY_CAPTURE, sop, RLE),
    imageElements(sop, rows, columns),
    elementHeader(0x7fe00010, 'OB', 0xffffffff),
    item(0xe000, Buffer.alloc(0)),
    item(0xe000, fragment),
    delimiter,
  ]);
}
