import { DataSet, Element, readEncapsulatedPixelDataFromFragments } from 'dicom-parser';
import { RLE_MAX_EXPANSION } from './dicom-limits';
import { NotDecodableError } from './not-decodable';

/**
 * RLE Lossless (PS3.5 Annex G): the first frame's fragment holds a 64-byte header of segment
 * offsets, one PackBits segment per byte plane (most significant first), each rows × columns long.
 * Returns the frame little-endian and pixel-interleaved, as native pixel data is laid out.
 */
export function decodeRleFrame(
  ds: DataSet,
  pixel: Element,
  rows: number,
  columns: number,
  samples: number,
  bytesPerSample: number,
): Buffer {
  let frame: Buffer;
  try {
    const data = readEncapsulatedPixelDataFromFragments(ds, pixel, 0, 1);
    frame = Buffer.from(data.buffer, data.byteOffset, data.length);
  } catch {
    throw new NotDecodableError('the RLE pixel data has no readable first fragment');
  }
  if (frame.length < 64) throw new NotDecodableError('the RLE header is cut short');
  const segments = frame.readUInt32LE(0);
  if (segments !== samples * bytesPerSample)
    throw new NotDecodableError(`RLE data has ${segments} segments, expected ${samples * bytesPerSample}`);
  const offsets = Array.from({ length: segments }, (_, i) => frame.readUInt32LE(4 + i * 4));
  const pixels = rows * columns;
  // Checked before anything is allocated: a segment too short to unpack into a whole plane is a forged size.
  for (let s = 0; s < segments; s++) {
    const end = s + 1 < segments ? offsets[s + 1] : frame.length;
    if (offsets[s] < 64 || end > frame.length || end < offsets[s] || (end - offsets[s]) * RLE_MAX_EXPANSION < pixels) {
      throw new NotDecodableError(`RLE segment ${s + 1} cannot hold a ${rows} × ${columns} plane`);
    }
  }
  const out = Buffer.alloc(pixels * samples * bytesPerSample);
  for (let s = 0; s < segments; s++) {
    const plane = unpackBits(frame, offsets[s], s + 1 < segments ? offsets[s + 1] : frame.length, pixels);
    const sample = Math.floor(s / bytesPerSample);
    // Segment order is most significant byte first; native layout is little-endian.
    const byteInSample = bytesPerSample - 1 - (s % bytesPerSample);
    for (let p = 0; p < pixels; p++) out[(p * samples + sample) * bytesPerSample + byteInSample] = plane[p];
  }
  return out;
}

function unpackBits(src: Buffer, start: number, end: number, length: number): Buffer {
  const out = Buffer.alloc(length);
  let i = start;
  let o = 0;
  while (i < end && o < length) {
    const n = src.readInt8(i++);
    if (n >= 0) {
      const count = Math.min(n + 1, length - o, end - i);
      src.copy(out, o, i, i + count);
      i += n + 1;
      o += count;
    } else if (n !== -128) {
      const count = Math.min(1 - n, length - o);
      out.fill(src[i++], o, o + count);
      o += count;
    }
  }
  if (o < length) throw new NotDecodableError('an RLE segment is shorter than the frame');
  return out;
}
