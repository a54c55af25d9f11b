import { open } from 'node:fs/promises';
import { DicomHeader } from './dicom-header';
import { DicomLimits, RLE_MAX_EXPANSION } from './dicom-limits';
import { Tag, TransferSyntax } from './dicom-tags';
import { FailureReason, InstanceRefused } from './stow-failure';

const MAX_FRAGMENTS = 1_000_000;

/**
 * The header parse stops at the pixel data, so its completeness is checked here against the file:
 * a native value must fit in the file; encapsulated fragments must chain up to the sequence delimiter.
 */
export async function checkPixelData(header: DicomHeader, path: string, size: number): Promise<void> {
  const pixel = header.pixelData;
  if (!pixel) return;
  const truncated = (what: string) => new InstanceRefused(FailureReason.CannotUnderstand, `truncated: ${what}`);
  if (!pixel.undefinedLength) {
    if (pixel.valueOffset + pixel.length > size)
      throw truncated(
        `Pixel Data declares ${pixel.length} bytes but only ${Math.max(0, size - pixel.valueOffset)} follow`,
      );
    return;
  }
  const fh = await open(path, 'r');
  try {
    const item = Buffer.alloc(8);
    let position = pixel.valueOffset;
    for (let n = 0; n < MAX_FRAGMENTS; n++) {
      const { bytesRead } = await fh.read(item, 0, 8, position);
      if (bytesRead < 8) throw truncated('the encapsulated Pixel Data ends before its sequence delimiter');
      const group = item.readUInt16LE(0);
      const element = item.readUInt16LE(2);
      const length = item.readUInt32LE(4);
      if (group === 0xfffe && element === 0xe0dd) return;
      if (group !== 0xfffe || element !== 0xe000 || length === 0xffffffff) {
        throw new InstanceRefused(
          FailureReason.CannotUnderstand,
          `encapsulated Pixel Data holds an invalid item at byte ${position}`,
        );
      }
      position += 8 + length;
      if (position > size) throw truncated('a Pixel Data fragment runs past the end of the object');
    }
    throw new InstanceRefused(FailureReason.CannotUnderstand, 'encapsulated Pixel Data has too many fragments');
  } finally {
    await fh.close();
  }
}

/**
 * What the header says the frames are must fit the limits and the bytes present, so that nothing
 * later (rendering, frames) allocates for a size the file only claims: a 65535 × 65535 header over a
 * few kilobytes of pixels is refused here, at upload.
 */
export function checkFrameGeometry(header: DicomHeader, limits: DicomLimits, size: number): void {
  const ds = header.dataSet;
  const pixel = ds.elements[Tag.PixelData];
  if (!pixel) return;
  const rows = ds.uint16(Tag.Rows) ?? 0;
  const columns = ds.uint16(Tag.Columns) ?? 0;
  const samples = ds.uint16(Tag.SamplesPerPixel) ?? 1;
  const bits = ds.uint16(Tag.BitsAllocated) ?? 0;
  const frames = Math.max(1, ds.intString(Tag.NumberOfFrames) ?? 1);
  const pixels = rows * columns * samples;
  const refuse = (reason: FailureReason, message: string) => new InstanceRefused(reason, message);
  if (pixels > limits.maxFramePixels) {
    throw refuse(
      FailureReason.OutOfResources,
      `a frame of ${rows} × ${columns} × ${samples} samples is more than the ${limits.maxFramePixels} allowed`,
    );
  }
  const frameBytes = Math.ceil((pixels * bits) / 8);
  const present = pixel.hadUndefinedLength ? size - (header.pixelData?.valueOffset ?? 0) : pixel.length;
  if (!pixel.hadUndefinedLength && frameBytes * frames > present) {
    throw refuse(
      FailureReason.CannotUnderstand,
      `Pixel Data holds ${present} bytes, fewer than ${frames} frame(s) of ${rows} × ${columns} × ${samples} at ${bits} bits need`,
    );
  }
  if (header.transferSyntaxUid === TransferSyntax.RleLossless && frameBytes > present * RLE_MAX_EXPANSION) {
    throw refuse(
      FailureReason.CannotUnderstand,
      `RLE Pixel Data of ${present} bytes cannot decode to a ${rows} × ${columns} frame`,
    );
  }
}
