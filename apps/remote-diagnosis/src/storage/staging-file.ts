import { createHash, Hash, randomBytes } from 'node:crypto';
import { FileHandle, open, unlink } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * A part whose bytes are written (not yet flushed to disk), with their hash. Nothing of it stays in
 * memory: a request of a thousand parts costs a thousand small files, not a thousand buffers.
 */
export interface StagedPart {
  path: string;
  size: number;
  sha256: string;
  contentType: string | undefined;
}

export class PartTooLargeError extends Error {}

const BATCH_BYTES = 1024 * 1024;

/**
 * One part being received: every slice is hashed and written to a temporary file as it arrives,
 * at most one write in flight plus one batch gathering, so memory stays flat whatever the size.
 */
export class StagingFile {
  private readonly hash: Hash = createHash('sha256');
  private batch: Buffer[] = [];
  private batchBytes = 0;
  private inflight?: Promise<void>;
  private size = 0;
  private closed = false;

  private constructor(
    readonly path: string,
    private readonly fh: FileHandle,
    private readonly maxBytes: number,
    private readonly contentType: string | undefined,
  ) {}

  static async create(dir: string, maxBytes: number, contentType: string | undefined): Promise<StagingFile> {
    const path = join(dir, `${Date.now().toString(36)}-${randomBytes(8).toString('hex')}.part`);
    return new StagingFile(path, await open(path, 'wx', 0o600), maxBytes, contentType);
  }

  /** Returns a promise only when the caller must wait (a full batch behind a write in flight). */
  write(data: Buffer): Promise<void> | undefined {
    this.size += data.length;
    if (this.size > this.maxBytes) throw new PartTooLargeError(`an instance is larger than ${this.maxBytes} bytes`);
    this.hash.update(data);
    this.batch.push(data);
    this.batchBytes += data.length;
    if (this.batchBytes < BATCH_BYTES) return undefined;
    return this.flushBatch();
  }

  private async flushBatch(): Promise<void> {
    if (this.inflight) await this.inflight;
    const chunks = this.batch;
    this.batch = [];
    this.batchBytes = 0;
    this.inflight = writeAll(this.fh, chunks);
  }

  /** All bytes written and the file closed; the store makes it durable only if it keeps it. */
  async finish(): Promise<StagedPart> {
    await this.flushBatch();
    await this.inflight;
    await this.close();
    return { path: this.path, size: this.size, sha256: this.hash.digest('hex'), contentType: this.contentType };
  }

  /** Gives up on the part: closes and removes the file. Never throws. */
  async discard(): Promise<void> {
    await this.inflight?.catch(() => undefined);
    await this.close().catch(() => undefined);
    await unlink(this.path).catch(() => undefined);
  }

  private async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.fh.close();
  }
}

async function writeAll(fh: FileHandle, chunks: Buffer[]): Promise<void> {
  if (chunks.length === 0) return;
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const { bytesWritten } = await fh.writev(chunks);
  if (bytesWritten === total) return;
  // A short write: write what is left, one slice at a time.
  let skip = bytesWritten;
  for (const chunk of chunks) {
    if (skip >= chunk.length) {
      skip -= chunk.length;
      continue;
    }
    let rest = chunk.subarray(skip);
    skip = 0;
    while (rest.length > 0) {
      const { bytesWritten: n } = await fh.write(rest);
      rest = rest.subarray(n);
    }
  }
}
