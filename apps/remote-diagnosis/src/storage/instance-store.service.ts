import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { createReadStream, ReadStream } from 'node:fs';
import { mkdir, open, readdir, rename, stat, unlink } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { StagedPart, StagingFile } from './staging-file';
import { RemoteDiagnosisConfig } from '../remote-diagnosis.config';

const STALE_PART_MS = 60 * 60 * 1000;

/**
 * Instances on disk, stored once by content: `objects/ab/cd/<sha256>`. An upload is written to
 * `tmp/`, flushed, then renamed into place (atomic on one file system), so a reader never sees half
 * a file and the same bytes uploaded twice make one copy.
 */
@Injectable()
export class InstanceStore implements OnModuleInit {
  private readonly logger = new Logger(InstanceStore.name);
  readonly root: string;
  readonly tmpDir: string;
  private readonly knownDirs = new Set<string>();

  constructor(private readonly config: RemoteDiagnosisConfig) {
    this.root = resolve(config.DICOM_STORAGE_DIR);
    this.tmpDir = join(this.root, 'tmp');
  }

  async onModuleInit(): Promise<void> {
    await mkdir(this.tmpDir, { recursive: true });
    await mkdir(join(this.root, 'objects'), { recursive: true });
    // Parts of uploads cut off by a crash are garbage: nothing refers to them. Only old ones go, as
    // another instance sharing this directory may be receiving right now.
    const cutoff = Date.now() - STALE_PART_MS;
    let removed = 0;
    for (const name of (await readdir(this.tmpDir)).filter((f) => f.endsWith('.part'))) {
      const path = join(this.tmpDir, name);
      const info = await stat(path).catch(() => undefined);
      if (
        info &&
        info.mtimeMs < cutoff &&
        (await unlink(path).then(
          () => true,
          () => false,
        ))
      )
        removed++;
    }
    if (removed > 0) this.logger.warn(`removed ${removed} staged parts left by interrupted uploads`);
  }

  stage(contentType: string | undefined): Promise<StagingFile> {
    return StagingFile.create(this.tmpDir, this.config.DICOM_MAX_INSTANCE_BYTES, contentType);
  }

  objectPath(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`not a sha256: ${sha256}`);
    return join(this.root, 'objects', sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  /**
   * Flushes a staged part's bytes to disk. The caller starts it as soon as the part is received, so
   * the flush of a large X-ray overlaps its parsing and the database work instead of following them;
   * `keep` waits for it. A part that is then refused has been flushed for nothing, which is rare.
   */
  flush(part: StagedPart): Promise<void> {
    return fsyncPath(part.path, 'data');
  }

  /**
   * Moves a staged part, whose bytes `flushed` has made durable, to its content address, and makes
   * the directory entry durable (the rename is in the directory, the bytes in the file, which the
   * rename does not change). A file already at the address is replaced, never trusted: the caller
   * holds the instance's lock and found no row for it, so it can only be left over from a crash,
   * possibly before its flush. Nothing refers to the new file until the caller's transaction commits.
   */
  async keep(part: StagedPart, flushed: Promise<void>): Promise<void> {
    const target = this.objectPath(part.sha256);
    const dir = dirname(target);
    if (!this.knownDirs.has(dir)) {
      await mkdir(dir, { recursive: true });
      this.knownDirs.add(dir);
    }
    await flushed;
    await rename(part.path, target);
    await fsyncPath(dir, 'all');
  }

  async remove(sha256: string): Promise<void> {
    await unlink(this.objectPath(sha256)).catch(() => undefined);
  }

  async discard(part: StagedPart): Promise<void> {
    await unlink(part.path).catch(() => undefined);
  }

  openRead(sha256: string, range?: { start: number; end: number }): ReadStream {
    return createReadStream(this.objectPath(sha256), range);
  }
}

/** A file's data (`data`) or a directory's entries (`all`) on disk; a rename is durable only once both are. */
async function fsyncPath(path: string, what: 'data' | 'all'): Promise<void> {
  const fh = await open(path, 'r');
  try {
    if (what === 'data') await fh.datasync();
    else await fh.sync();
  } finally {
    await fh.close();
  }
}
