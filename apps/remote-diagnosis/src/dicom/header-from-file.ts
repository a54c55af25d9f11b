import { open } from 'node:fs/promises';
import { DicomHeader, parseDicomHeader } from './dicom-header';
import { FailureReason, InstanceRefused } from './stow-failure';

/**
 * The header of a file on disk, parsed from `head` (the bytes already in memory) and, when the
 * header runs past them, from up to `maxHeaderBytes` read back from the file.
 */
export async function headerFromFile(
  path: string,
  size: number,
  maxHeaderBytes: number,
  head?: Buffer,
): Promise<DicomHeader> {
  let bytes = head ?? (await readPrefix(path, Math.min(size, 1024 * 1024)));
  for (;;) {
    const parsed = parseDicomHeader(bytes, size, maxHeaderBytes);
    if (parsed.kind === 'header') return parsed.header;
    if (parsed.kind === 'refused') throw parsed.refused;
    const want = Math.min(size, maxHeaderBytes);
    if (bytes.length >= want)
      throw new InstanceRefused(
        FailureReason.OutOfResources,
        `the header is larger than the ${maxHeaderBytes} bytes allowed`,
      );
    bytes = await readPrefix(path, want);
  }
}

export async function readPrefix(path: string, length: number): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(length);
    const { bytesRead } = await fh.read(buf, 0, length, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}
