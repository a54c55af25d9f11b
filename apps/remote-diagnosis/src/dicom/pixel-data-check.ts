import { open } from 'node:fs/promises';
import { DicomHeader } from './dicom-header';
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
    if (pixel.valueOffset + pixel.length > size) throw truncated(`Pixel Data declares ${pixel.length} bytes but only ${Math.max(0, size - pixel.valueOffset)} follow`);
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
        throw new InstanceRefused(FailureReason.CannotUnderstand, `encapsulated Pixel Data holds an invalid item at byte ${position}`);
      }
      position += 8 + length;
      if (position > size) throw truncated('a Pixel Data fragment runs past the end of the object');
    }
    throw new InstanceRefused(FailureReason.CannotUnderstand, 'encapsulated Pixel Data has too many fragments');
  } finally {
    await fh.close();
  }
}
