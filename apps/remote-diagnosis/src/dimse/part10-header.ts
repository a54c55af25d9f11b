/** CountyLink's implementation class UID (a UUID-derived 2.25 root: unique without a registered org root). */
export const IMPLEMENTATION_CLASS_UID = '2.25.319995666344212867927519638857467906944';
export const IMPLEMENTATION_VERSION = 'COUNTYLINK_1';

export interface Part10Meta {
  sopClassUid: string;
  sopInstanceUid: string;
  transferSyntaxUid: string;
  /** The modality that sent it, kept in (0002,0016) so the file itself says where it came from. */
  sourceAeTitle: string;
}

/**
 * Preamble, `DICM` and the file meta group (PS3.10 §7.1) to put before a data set received over
 * DIMSE, which arrives bare: with it the staged file is the same Part 10 file a STOW-RS part is,
 * and goes through the same parser and checks.
 */
export function part10Header(meta: Part10Meta): Buffer {
  const elements = Buffer.concat([
    element(0x0001, 'OB', Buffer.from([0, 1])),
    element(0x0002, 'UI', uid(meta.sopClassUid)),
    element(0x0003, 'UI', uid(meta.sopInstanceUid)),
    element(0x0010, 'UI', uid(meta.transferSyntaxUid)),
    element(0x0012, 'UI', uid(IMPLEMENTATION_CLASS_UID)),
    element(0x0013, 'SH', text(IMPLEMENTATION_VERSION)),
    element(0x0016, 'AE', text(meta.sourceAeTitle)),
  ]);
  const groupLength = Buffer.alloc(4);
  groupLength.writeUInt32LE(elements.length, 0);
  return Buffer.concat([
    Buffer.alloc(128),
    Buffer.from('DICM', 'latin1'),
    element(0x0000, 'UL', groupLength),
    elements,
  ]);
}

/** An explicit VR little endian element of group 0002. */
function element(tagElement: number, vr: string, value: Buffer): Buffer {
  const long = vr === 'OB';
  const head = Buffer.alloc(long ? 12 : 8);
  head.writeUInt16LE(0x0002, 0);
  head.writeUInt16LE(tagElement, 2);
  head.write(vr, 4, 'latin1');
  if (long) head.writeUInt32LE(value.length, 8);
  else head.writeUInt16LE(value.length, 6);
  return Buffer.concat([head, value]);
}

/** UIDs are padded to even length with NUL; anything but digits and dots is dropped (they came off the wire). */
function uid(value: string): Buffer {
  const clean = value.replace(/[^0-9.]/g, '').slice(0, 64);
  return Buffer.from(clean.length % 2 ? `${clean}\0` : clean, 'latin1');
}

function text(value: string): Buffer {
  const clean = value
    .replace(/[^\x20-\x7e]/g, '')
    .trim()
    .slice(0, 16);
  return Buffer.from(clean.length % 2 ? `${clean} ` : clean, 'latin1');
}
