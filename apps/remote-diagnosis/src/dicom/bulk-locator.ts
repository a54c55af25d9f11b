import { DataSet, Element, parseDicom } from 'dicom-parser';
import { cappedInflater, DicomHeader } from './dicom-header';
import { Tag } from './dicom-tags';
import { NotDecodableError } from './not-decodable';

/** Where bulk data lies in the stored file, so it can be streamed from disk rather than copied through memory. */
export type ByteRange = { offset: number; length: number };
export type Located = { kind: 'ranges'; ranges: ByteRange[] } | { kind: 'bytes'; bytes: Uint8Array };

/**
 * A bulk element by its path in the data set (`['7FE00010']`, or `['54000100', '0', '54001010']`
 * for a sequence item's element), as the BulkDataURIs of the metadata name it.
 */
export function locateBulk(header: DicomHeader, path: string[]): Located {
  let ds: DataSet = header.dataSet;
  let element: Element | undefined;
  for (let i = 0; i < path.length; i += 2) {
    element = ds.elements[`x${path[i].toLowerCase()}`];
    if (!element) throw new NotDecodableError(`no element ${path.slice(0, i + 1).join('/')}`);
    if (i + 1 < path.length) {
      const item = element.items?.[Number(path[i + 1])]?.dataSet;
      if (!item) throw new NotDecodableError(`no item ${path.slice(0, i + 2).join('/')}`);
      ds = item;
    }
  }
  if (!element) throw new NotDecodableError('no element named');
  if (element.hadUndefinedLength) throw new NotDecodableError('that element has no single value to send');
  if (element.tag === Tag.PixelData && header.pixelData)
    return { kind: 'ranges', ranges: [{ offset: header.pixelData.valueOffset, length: header.pixelData.length }] };
  return fromDataSet(header, ds, element.dataOffset, element.length);
}

/**
 * Frame `n` (from 1) of the pixel data: a slice of native pixels, or the fragments that hold an
 * encapsulated frame (by the Basic Offset Table, one fragment per frame, or all for a single frame).
 * `whole` parses the whole file when the fragments are needed (the header parse stops before them).
 */
export function locateFrame(header: DicomHeader, n: number, whole: () => DataSet): Located {
  const ds = header.dataSet;
  const frames = Math.max(1, ds.intString(Tag.NumberOfFrames) ?? 1);
  if (!Number.isInteger(n) || n < 1 || n > frames)
    throw new NotDecodableError(`the instance has ${frames} frame(s), not a frame ${n}`);
  const pixel = ds.elements[Tag.PixelData];
  if (!pixel) throw new NotDecodableError('the instance has no pixel data');
  if (!pixel.hadUndefinedLength) {
    const frameBytes = Math.ceil(
      ((ds.uint16(Tag.Rows) ?? 0) *
        (ds.uint16(Tag.Columns) ?? 0) *
        (ds.uint16(Tag.SamplesPerPixel) ?? 1) *
        (ds.uint16(Tag.BitsAllocated) ?? 0)) /
        8,
    );
    if (frameBytes === 0 || frameBytes * n > pixel.length)
      throw new NotDecodableError('the pixel data is shorter than its frames');
    return fromDataSet(header, ds, pixel.dataOffset + frameBytes * (n - 1), frameBytes);
  }
  const full = header.deflated ? ds : whole();
  const encapsulated = full.elements[Tag.PixelData];
  const fragments = encapsulated?.fragments ?? [];
  const table = encapsulated?.basicOffsetTable ?? [];
  let chosen = fragments;
  if (table.length === frames) {
    const end = n < frames ? table[n] : Infinity;
    chosen = fragments.filter((f) => f.offset >= table[n - 1] && f.offset < end);
  } else if (fragments.length === frames) chosen = [fragments[n - 1]];
  else if (frames !== 1)
    throw new NotDecodableError('the fragments of this pixel data cannot be told apart into frames');
  if (chosen.length === 0) throw new NotDecodableError(`frame ${n} has no data`);
  if (header.deflated)
    return {
      kind: 'bytes',
      bytes: Buffer.concat(chosen.map((f) => Buffer.from(full.byteArray.subarray(f.position, f.position + f.length)))),
    };
  return { kind: 'ranges', ranges: chosen.map((f) => ({ offset: f.position - header.shift, length: f.length })) };
}

/** The whole data set of a stored file (fragments included), with the upload's inflate cap. */
export function wholeDataSet(file: Buffer, header: DicomHeader, maxHeaderBytes: number): DataSet {
  const bytes = header.shift > 0 ? Buffer.concat([Buffer.alloc(128), Buffer.from('DICM'), file]) : file;
  return parseDicom(bytes, {
    ...(header.framing === 'bare' ? { TransferSyntaxUID: header.transferSyntaxUid } : {}),
    inflater: cappedInflater(maxHeaderBytes),
  });
}

function fromDataSet(header: DicomHeader, ds: DataSet, position: number, length: number): Located {
  // A deflated file's bytes exist only inflated: they are sent from memory (they fit the header cap).
  if (header.deflated) return { kind: 'bytes', bytes: Buffer.from(ds.byteArray.subarray(position, position + length)) };
  return { kind: 'ranges', ranges: [{ offset: position - header.shift, length }] };
}
