import type { Response } from 'express';
import { pipeline } from 'node:stream/promises';
import { DomainException } from '@countylink/platform';
import { DiagnosisErrorCode } from '../diagnosis.exception';
import { InstanceStore } from '../storage/instance-store.service';
import type { Located } from '../dicom/bulk-locator';
import { Instance } from './instance.entity';

const newBoundary = () => `countylink-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;

/** The transfer syntax an Accept header asks for (`transfer-syntax=…`), if any. */
export function wantedTransferSyntax(accept: string | undefined): string | undefined {
  return /transfer-syntax\s*=\s*"?([0-9.*]+)"?/i.exec(accept ?? '')?.[1];
}

/** Stored bytes are never transcoded: a request for another transfer syntax is a 406 that names the stored one. */
export function assertTransferSyntax(accept: string | undefined, instances: Instance[]): void {
  const wanted = wantedTransferSyntax(accept);
  if (!wanted || wanted === '*') return;
  const other = instances.find((i) => i.transferSyntaxUid !== wanted);
  if (other)
    throw new DomainException(
      DiagnosisErrorCode.DICOM_NOT_RENDERABLE,
      `Instance ${other.sopInstanceUid} is stored as ${other.transferSyntaxUid}; it is not transcoded`,
    );
}

/**
 * WADO-RS's multipart/related answer, streamed from the content store one instance after the
 * other (with the socket's backpressure), never read whole into memory. One instance gets a
 * Content-Length; a study or series is sent chunked, as its size is only known on disk.
 */
export async function streamInstances(res: Response, store: InstanceStore, instances: Instance[]): Promise<void> {
  const boundary = newBoundary();
  const head = (i: Instance) =>
    `--${boundary}\r\nContent-Type: application/dicom; transfer-syntax=${i.transferSyntaxUid}\r\nContent-Length: ${i.sizeBytes}\r\n\r\n`;
  const tail = `--${boundary}--\r\n`;
  res.status(200);
  res.setHeader('Content-Type', `multipart/related; type="application/dicom"; boundary=${boundary}`);
  if (instances.length === 1) {
    const [only] = instances;
    res.setHeader(
      'Content-Length',
      String(Buffer.byteLength(head(only)) + Number(only.sizeBytes) + 2 + Buffer.byteLength(tail)),
    );
  }
  try {
    for (const instance of instances) {
      res.write(head(instance));
      await pipeline(store.openRead(instance.sha256), res, { end: false });
      res.write('\r\n');
    }
    res.end(tail);
  } catch {
    // The client went away, or a stored file could not be read after the headers were sent: nothing to answer.
    res.destroy();
  }
}

/** Frames or bulk data of one stored instance as multipart/related, each part streamed from its byte ranges on disk. */
export async function streamBulk(
  res: Response,
  store: InstanceStore,
  instance: Instance,
  parts: Located[],
): Promise<void> {
  const boundary = newBoundary();
  const type = `application/octet-stream; transfer-syntax=${instance.transferSyntaxUid}`;
  res.status(200);
  res.setHeader('Content-Type', `multipart/related; type="application/octet-stream"; boundary=${boundary}`);
  try {
    for (const part of parts) {
      const length = part.kind === 'bytes' ? part.bytes.length : part.ranges.reduce((n, r) => n + r.length, 0);
      res.write(`--${boundary}\r\nContent-Type: ${type}\r\nContent-Length: ${length}\r\n\r\n`);
      if (part.kind === 'bytes') res.write(part.bytes);
      else
        for (const r of part.ranges)
          if (r.length > 0)
            await pipeline(store.openRead(instance.sha256, { start: r.offset, end: r.offset + r.length - 1 }), res, {
              end: false,
            });
      res.write('\r\n');
    }
    res.end(`--${boundary}--\r\n`);
  } catch {
    res.destroy();
  }
}
