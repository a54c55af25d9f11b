import { Writable } from 'node:stream';
import { FailureReason, InstanceRefused } from '../dicom/stow-failure';
import { InstanceStore } from '../storage/instance-store.service';
import { PartTooLargeError, StagedPart, StagingFile } from '../storage/staging-file';

export type Received = { ok: true; part: StagedPart } | { ok: false; refused: InstanceRefused };

/** Past this much waiting to be written, the association's socket is paused until the disk catches up. */
const PAUSE_BYTES = 4 * 1024 * 1024;
const RESUME_BYTES = 1024 * 1024;

/**
 * Where dcmjs-dimse writes the data set fragments of one C-STORE: straight into a staged file (the
 * Part 10 header first), hashed on the way, exactly as a STOW-RS part is staged. The library never
 * waits on a write, so the sink pauses the socket itself when the disk falls behind. Past
 * DICOM_MAX_INSTANCE_BYTES the file is dropped and the rest of the data set only counted, so the
 * modality still gets a C-STORE status (out of resources) instead of a cut connection.
 */
export class StoreSink extends Writable {
  private readonly staging: Promise<StagingFile | undefined>;
  private refused?: InstanceRefused;
  private paused = false;
  private result?: Promise<Received>;

  constructor(
    store: InstanceStore,
    header: Buffer,
    private readonly socket: { pause(): void; resume(): void },
  ) {
    // The library awaits 'drain' only after the very first write; that write must never report a full buffer.
    super({ highWaterMark: 64 * 1024 * 1024 });
    this.staging = store.stage('application/dicom').then(
      async (file) => {
        await this.put(file, header);
        return file;
      },
      (err: unknown) => {
        this.refuse(FailureReason.ProcessingFailure, `the instance could not be staged: ${(err as Error).message}`);
        return undefined;
      },
    );
  }

  /** Called after each chunk the socket delivered: stop reading while too much waits for the disk. */
  relieve(): void {
    if (!this.paused && this.writableLength > PAUSE_BYTES) {
      this.paused = true;
      this.socket.pause();
    }
  }

  // Failures are kept for received(), never raised as stream errors: the library does not listen for them.
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    void this.staging
      .then((file) => file && this.put(file, chunk))
      .then(() => {
        if (this.paused && this.writableLength <= RESUME_BYTES) {
          this.paused = false;
          this.socket.resume();
        }
        done();
      });
  }

  /** The staged Part 10 file, or why there is none; settles once the last fragment is written. */
  received(): Promise<Received> {
    this.result ??= new Promise<void>((resolve) => {
      if (this.writableFinished) resolve();
      else this.once('finish', resolve);
    })
      .then(() => this.staging)
      .then(async (file): Promise<Received> => {
        if (this.refused || !file) return { ok: false, refused: this.refused! };
        try {
          return { ok: true, part: await file.finish() };
        } catch (err) {
          await file.discard();
          return {
            ok: false,
            refused: new InstanceRefused(
              FailureReason.ProcessingFailure,
              `the instance could not be staged: ${(err as Error).message}`,
            ),
          };
        }
      });
    return this.result;
  }

  /** The association ended mid-transfer: nothing of the part may stay on disk. */
  async abandon(): Promise<void> {
    this.refuse(FailureReason.ProcessingFailure, 'the association ended during the transfer');
    await (await this.staging)?.discard();
  }

  private async put(file: StagingFile, data: Buffer): Promise<void> {
    if (this.refused) return;
    try {
      await file.write(data);
    } catch (err) {
      if (err instanceof PartTooLargeError) this.refuse(FailureReason.OutOfResources, err.message);
      else this.refuse(FailureReason.ProcessingFailure, `the instance could not be staged: ${(err as Error).message}`);
      await file.discard();
    }
  }

  private refuse(reason: FailureReason, message: string): void {
    this.refused ??= new InstanceRefused(reason, message);
  }
}
