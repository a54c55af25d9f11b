import { DataSet } from 'dicom-parser';
import { wholeDataSet } from './bulk-locator';
import { DicomHeader, parseDicomHeader } from './dicom-header';
import { DicomLimits } from './dicom-limits';
import { NATIVE_TRANSFER_SYNTAXES, Tag, TransferSyntax } from './dicom-tags';
import { NotDecodableError } from './not-decodable';
import { decodeRleFrame } from './rle-decoder';

/** The first frame of an image as samples, with what is needed to display it. */
export interface PixelFrame {
  rows: number;
  columns: number;
  samplesPerPixel: number;
  /** Stored values after sign extension, pixel-interleaved when samplesPerPixel > 1. */
  samples: Int32Array;
  photometric: string;
  dataSet: DataSet;
}

const NAMES: Record<string, string> = {
  '1.2.840.10008.1.2.4.50': 'JPEG baseline',
  '1.2.840.10008.1.2.4.51': 'JPEG extended',
  '1.2.840.10008.1.2.4.57': 'JPEG lossless',
  '1.2.840.10008.1.2.4.70': 'JPEG lossless (SV1)',
  '1.2.840.10008.1.2.4.80': 'JPEG-LS lossless',
  '1.2.840.10008.1.2.4.81': 'JPEG-LS near-lossless',
  '1.2.840.10008.1.2.4.90': 'JPEG 2000 lossless',
  '1.2.840.10008.1.2.4.91': 'JPEG 2000',
};

/**
 * Decodes frame 1 of a stored file: native pixel data in any of the native transfer syntaxes
 * (little/big endian, implicit, deflated) and RLE Lossless. Other compressions are refused with
 * `NotDecodableError` rather than drawn wrong.
 */
export function decodeFirstFrame(file: Buffer, limits: DicomLimits): PixelFrame {
  const header = parsedWhole(file, limits);
  const ts = header.transferSyntaxUid;
  const rle = ts === TransferSyntax.RleLossless;
  if (!NATIVE_TRANSFER_SYNTAXES.includes(ts) && !rle) {
    throw new NotDecodableError(
      `pixel data compressed as ${NAMES[ts] ?? ts} cannot be decoded by this server; retrieve the instance and view it in a DICOM viewer`,
    );
  }
  const ds = header.dataSet;
  const rows = ds.uint16(Tag.Rows) ?? 0;
  const columns = ds.uint16(Tag.Columns) ?? 0;
  const samplesPerPixel = ds.uint16(Tag.SamplesPerPixel) ?? 1;
  const bitsAllocated = ds.uint16(Tag.BitsAllocated) ?? 0;
  const bitsStored = ds.uint16(Tag.BitsStored) ?? bitsAllocated;
  const signed = (ds.uint16(Tag.PixelRepresentation) ?? 0) === 1;
  const planar = (ds.uint16(Tag.PlanarConfiguration) ?? 0) === 1;
  const photometric = (ds.string(Tag.PhotometricInterpretation) ?? 'MONOCHROME2').trim();
  const pixel = ds.elements[Tag.PixelData];
  if (!pixel || rows === 0 || columns === 0) throw new NotDecodableError('the object has no pixel data to render');
  if (![8, 16].includes(bitsAllocated) || ![1, 3].includes(samplesPerPixel)) {
    throw new NotDecodableError(`${bitsAllocated}-bit pixels with ${samplesPerPixel} samples cannot be rendered`);
  }
  if (samplesPerPixel === 3 && !/^(RGB|YBR_FULL)$/.test(photometric))
    throw new NotDecodableError(`photometric interpretation ${photometric} cannot be rendered`);
  const count = rows * columns * samplesPerPixel;
  if (count > limits.maxFramePixels)
    throw new NotDecodableError(`a ${rows} × ${columns} frame is larger than this server renders`);
  const bytesPerSample = bitsAllocated / 8;
  let raw: Buffer;
  if (rle) raw = decodeRleFrame(ds, pixel, rows, columns, samplesPerPixel, bytesPerSample);
  else {
    const needed = count * bytesPerSample;
    if (pixel.dataOffset + needed > ds.byteArray.length || pixel.length < needed)
      throw new NotDecodableError('the pixel data is shorter than its rows and columns say');
    const bytes = ds.byteArray;
    raw = Buffer.from(bytes.buffer, bytes.byteOffset + pixel.dataOffset, needed);
  }
  const bigEndian = ts === TransferSyntax.ExplicitBig && !rle;
  const samples = new Int32Array(count);
  const mask = bitsStored >= 32 ? 0xffffffff : (1 << bitsStored) - 1;
  const signBit = 1 << (bitsStored - 1);
  for (let i = 0; i < count; i++) {
    // Planar RGB (RRR…GGG…BBB) is read into pixel-interleaved order.
    const source = planar && samplesPerPixel === 3 ? (i % 3) * rows * columns + Math.floor(i / 3) : i;
    let v =
      bytesPerSample === 1 ? raw[source] : bigEndian ? raw.readUInt16BE(source * 2) : raw.readUInt16LE(source * 2);
    v &= mask;
    if (signed && v & signBit) v -= 1 << bitsStored;
    samples[i] = v;
  }
  return { rows, columns, samplesPerPixel, samples, photometric, dataSet: ds };
}

/** The whole data set, pixel data included (the header parse stopped before it), with the upload's caps. */
function parsedWhole(file: Buffer, limits: DicomLimits): DicomHeader {
  const parsed = parseDicomHeader(file, file.length, limits.maxHeaderBytes);
  if (parsed.kind !== 'header') throw new NotDecodableError('the stored object cannot be parsed');
  const header = parsed.header;
  return header.deflated ? header : { ...header, dataSet: wholeDataSet(file, header, limits.maxHeaderBytes) };
}

/** Every n-th sample in both directions, so the frame fits `maxSide` (a thumbnail needs no more). */
export function shrinkFrame(frame: PixelFrame, maxSide: number): PixelFrame {
  const step = Math.ceil(Math.max(frame.rows, frame.columns) / maxSide);
  if (step <= 1) return frame;
  const rows = Math.ceil(frame.rows / step);
  const columns = Math.ceil(frame.columns / step);
  const spp = frame.samplesPerPixel;
  const samples = new Int32Array(rows * columns * spp);
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < columns; x++) {
      for (let c = 0; c < spp; c++)
        samples[(y * columns + x) * spp + c] = frame.samples[(y * step * frame.columns + x * step) * spp + c];
    }
  }
  return { ...frame, rows, columns, samples };
}
