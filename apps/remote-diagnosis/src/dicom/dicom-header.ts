import { inflateRawSync } from 'node:zlib';
import { DataSet, Element, parseDicom } from 'dicom-parser';
import { Tag, TransferSyntax } from './dicom-tags';
import { FailureReason, InstanceRefused } from './stow-failure';

/** How the object was framed: a Part 10 file, file meta without the 128-byte preamble, or a bare data set. */
export type DicomFraming = 'part10' | 'meta-without-preamble' | 'bare';

export interface DicomHeader {
  dataSet: DataSet;
  transferSyntaxUid: string;
  framing: DicomFraming;
  /** Pixel data found in the parsed bytes; offsets are in file coordinates (absent for deflated files). */
  pixelData?: { valueOffset: number; length: number; undefinedLength: boolean };
  /** The data set was deflated: `dataSet.byteArray` holds the inflated bytes. */
  deflated: boolean;
  /** Bytes put before the file to parse it (a preamble for meta without one): byteArray position − shift = file offset. */
  shift: number;
}

/** A deflated data set that inflates past the header limit: a deflate bomb, or a file too large to read. */
class InflateLimitError extends Error {}

export type HeaderParse =
  { kind: 'header'; header: DicomHeader } | { kind: 'need-more' } | { kind: 'refused'; refused: InstanceRefused };

const VRS = new Set(
  'AE AS AT CS DA DS DT FD FL IS LO LT OB OD OF OL OV OW PN SH SL SQ SS ST SV TM UC UI UL UN UR US UT UV'.split(' '),
);
const PREAMBLE = Buffer.concat([Buffer.alloc(128), Buffer.from('DICM', 'latin1')]);

const refuse = (message: string, reason = FailureReason.CannotUnderstand): HeaderParse => ({
  kind: 'refused',
  refused: new InstanceRefused(reason, message),
});

/**
 * Parses an instance's header from its first bytes (`buf`, of a `totalSize`-byte object) with
 * dicom-parser, stopping at the pixel data. Answers `need-more` when the header runs past `buf`
 * (the caller reads more of the file), and a refusal naming what is wrong otherwise. A deflated
 * data set is inflated to at most `maxHeaderBytes`, so a deflate bomb costs that much and no more.
 */
export function parseDicomHeader(
  buf: Buffer,
  totalSize: number,
  maxHeaderBytes: number,
  knownDeflated = false,
): HeaderParse {
  const partial = buf.length < totalSize;
  if (buf.length < 8) return partial ? { kind: 'need-more' } : refuse('too short to be a DICOM object');
  const framing = detectFraming(buf);
  if (framing.kind === 'unknown')
    return partial && buf.length < 256
      ? { kind: 'need-more' }
      : refuse('not a DICOM object: no DICM prefix and no recognisable first element');
  const bytes = framing.shift > 0 ? Buffer.concat([PREAMBLE, buf]) : buf;
  const deflated = knownDeflated || readTransferSyntaxQuick(bytes) === TransferSyntax.DeflatedExplicitLittle;
  // A deflated data set can only be checked whole: inflate needs the complete stream.
  if (deflated && partial) return { kind: 'need-more' };
  let dataSet: DataSet;
  try {
    dataSet = parseDicom(bytes, {
      ...(framing.kind === 'bare' ? { TransferSyntaxUID: framing.transferSyntaxUid } : {}),
      // The capped inflater goes in every time: without one dicom-parser inflates on its own, uncapped.
      inflater: cappedInflater(maxHeaderBytes),
      ...(deflated ? {} : { untilTag: Tag.PixelData }),
    });
  } catch (err) {
    if (unwrap(err) instanceof InflateLimitError)
      return refuse(
        `the deflated data set inflates to more than the ${maxHeaderBytes} bytes allowed`,
        FailureReason.OutOfResources,
      );
    if (partial) return { kind: 'need-more' };
    return refuse(`the DICOM header cannot be read: ${describeParseError(err)}`);
  }
  const transferSyntaxUid =
    framing.kind === 'bare'
      ? framing.transferSyntaxUid
      : (dataSet.string(Tag.TransferSyntaxUID) ?? '').replace(/\0/g, '').trim();
  // The quick look can miss a deflated file whose meta is unusual; dicom-parser then inflated it through ours.
  if (transferSyntaxUid === TransferSyntax.DeflatedExplicitLittle && !deflated)
    return partial ? { kind: 'need-more' } : parseDicomHeader(buf, totalSize, maxHeaderBytes, true);
  const pixel = dataSet.elements[Tag.PixelData];
  // Without pixel data the whole object is header (an ECG's waveform, a report): it must all be parsed.
  if (partial && (!pixel || deflated)) return { kind: 'need-more' };
  const overrun = findOverrun(dataSet, deflated ? undefined : Tag.PixelData);
  if (overrun)
    return partial ? { kind: 'need-more' } : refuse(`truncated: element ${overrun} runs past the end of the object`);
  const eof = dataSet.warnings.find((w) => /eof|end of (buffer|file)|past end/i.test(w));
  if (eof) return partial ? { kind: 'need-more' } : refuse(`truncated: ${eof}`);
  const header: DicomHeader = { dataSet, transferSyntaxUid, framing: framing.kind, deflated, shift: framing.shift };
  if (pixel && !deflated) {
    header.pixelData = {
      valueOffset: pixel.dataOffset - framing.shift,
      length: pixel.length,
      undefinedLength: pixel.hadUndefinedLength === true,
    };
  }
  return { kind: 'header', header };
}

type Framing =
  | { kind: 'part10' | 'meta-without-preamble'; shift: number }
  | { kind: 'bare'; shift: 0; transferSyntaxUid: string }
  | { kind: 'unknown' };

function detectFraming(buf: Buffer): Framing {
  if (buf.length >= 132 && buf.toString('latin1', 128, 132) === 'DICM') return { kind: 'part10', shift: 0 };
  const vr = buf.toString('latin1', 4, 6);
  const explicit = VRS.has(vr);
  const groupLE = buf.readUInt16LE(0);
  const groupBE = buf.readUInt16BE(0);
  if (groupLE === 0x0002 && explicit) return { kind: 'meta-without-preamble', shift: PREAMBLE.length };
  // A bare data set (old modalities): the first element's group and VR tell the encoding.
  const plausible = (group: number) => group >= 0x0008 && group <= 0x00ff && group % 2 === 0;
  if (explicit && plausible(groupLE))
    return { kind: 'bare', shift: 0, transferSyntaxUid: TransferSyntax.ExplicitLittle };
  if (explicit && plausible(groupBE)) return { kind: 'bare', shift: 0, transferSyntaxUid: TransferSyntax.ExplicitBig };
  if (!explicit && plausible(groupLE))
    return { kind: 'bare', shift: 0, transferSyntaxUid: TransferSyntax.ImplicitLittle };
  return { kind: 'unknown' };
}

/** The transfer syntax of the file meta, if it can be seen without a full parse (only deflate matters here). */
function readTransferSyntaxQuick(bytes: Buffer): string | undefined {
  const end = Math.min(bytes.length, 4096);
  const at = bytes.subarray(0, end).indexOf(Buffer.from([0x02, 0x00, 0x10, 0x00, 0x55, 0x49]));
  if (at === -1 || at + 8 > end) return undefined;
  const length = bytes.readUInt16LE(at + 6);
  return bytes
    .toString('latin1', at + 8, Math.min(at + 8 + length, end))
    .replace(/\0/g, '')
    .trim();
}

/** dicom-parser's inflater callback, stopping at `maxBytes` of data set instead of allocating what the stream claims. */
export const cappedInflater = (maxBytes: number) => (byteArray: Uint8Array, position: number) =>
  inflate(byteArray, position, maxBytes);

function inflate(byteArray: Uint8Array, position: number, maxBytes: number): Uint8Array {
  const buf = Buffer.from(byteArray.buffer, byteArray.byteOffset, byteArray.length);
  let inflated: Buffer;
  try {
    // zlib stops at the cap instead of allocating whatever the stream claims.
    inflated = inflateRawSync(buf.subarray(position), { maxOutputLength: Math.max(1, maxBytes - position) });
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw new InflateLimitError('inflate limit');
    throw err;
  }
  return Buffer.concat([buf.subarray(0, position), inflated]);
}

/** dicom-parser wraps what its callbacks throw as `{ exception }`. */
function unwrap(err: unknown): unknown {
  return err && typeof err === 'object' && 'exception' in err ? unwrap((err as { exception: unknown }).exception) : err;
}

/** The first element (at any depth) whose value runs past the bytes parsed; the pixel data is checked by the caller. */
function findOverrun(dataSet: DataSet, skip: string | undefined, depth = 0): string | undefined {
  if (depth > 16) return undefined;
  const size = dataSet.byteArray.length;
  for (const element of Object.values(dataSet.elements) as Element[]) {
    if (element.tag === skip) continue;
    if (!element.hadUndefinedLength && element.dataOffset + element.length > size) return element.tag;
    for (const item of element.items ?? []) {
      if (item.dataSet) {
        const inner = findOverrun(item.dataSet, undefined, depth + 1);
        if (inner) return inner;
      }
    }
  }
  return undefined;
}

export function describeParseError(err: unknown): string {
  if (typeof err === 'string') return err.replace(/^dicomParser[.:]\w*:?\s*/, '');
  if (err instanceof Error) return err.message.replace(/^dicomParser[.:]\w*:?\s*/, '');
  if (err && typeof err === 'object' && 'exception' in err)
    return describeParseError((err as { exception: unknown }).exception);
  return 'unreadable';
}
