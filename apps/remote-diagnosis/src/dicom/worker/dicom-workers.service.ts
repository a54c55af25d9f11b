import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { join, resolve } from 'node:path';
import { Piscina } from 'piscina';
import { DicomLimits, dicomLimits } from '../dicom-limits';
import type { SopCategory } from '../sop-classes';
import type { DisplayWindow } from '../xray-png';
import type {
  InspectResult,
  LocateResult,
  LocateTask,
  MetadataResult,
  RenderResult,
  WaveformResult,
} from './dicom-tasks';
import { RemoteDiagnosisConfig } from '../../remote-diagnosis.config';

/** A task that ran out of time or memory, or found every worker busy: the file is refused, the process goes on. */
export class DicomWorkFailed extends Error {}

/** Heap each worker may grow to before it is ended; buffers are capped separately by DicomLimits. */
const WORKER_HEAP_MB = 512;

/**
 * The pool of worker threads that parse, check and render DICOM (dicom.worker.ts). Every task has
 * a deadline: past it the worker is terminated and a fresh one takes its place, so no file can
 * hold a thread, let alone the event loop.
 */
@Injectable()
export class DicomWorkers implements OnModuleDestroy {
  private readonly logger = new Logger(DicomWorkers.name);
  private readonly pool: Piscina;
  readonly limits: DicomLimits;

  constructor(private readonly config: RemoteDiagnosisConfig) {
    this.limits = dicomLimits(config);
    this.pool = new Piscina({
      ...workerEntry(),
      minThreads: 1,
      maxThreads: config.DICOM_WORKER_THREADS,
      idleTimeout: 60_000,
      // Past this many waiting tasks a new one is refused at once rather than queued without end.
      maxQueue: 64 * config.DICOM_WORKER_THREADS,
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
    });
  }

  inspect(path: string, size: number): Promise<InspectResult> {
    return this.run('inspect', { path, size, limits: this.limits });
  }

  metadata(path: string, size: number, instanceUrl: string): Promise<MetadataResult> {
    return this.run('metadata', { path, size, limits: this.limits, instanceUrl });
  }

  locate(path: string, size: number, want: LocateTask['want']): Promise<LocateResult> {
    return this.run('locate', { path, size, limits: this.limits, want });
  }

  render(path: string, category: SopCategory, window?: DisplayWindow, maxSide?: number): Promise<RenderResult> {
    return this.run('render', { path, category, window, maxSide, limits: this.limits });
  }

  waveform(path: string): Promise<WaveformResult> {
    return this.run('waveform', { path, category: 'waveform', limits: this.limits });
  }

  async onModuleDestroy(): Promise<void> {
    await this.pool.destroy();
  }

  private async run<T>(name: string, task: object): Promise<T> {
    const signal = AbortSignal.timeout(this.config.DICOM_WORKER_TIMEOUT_MS);
    try {
      return (await this.pool.run(task, { name, signal })) as T;
    } catch (err) {
      if (signal.aborted)
        throw new DicomWorkFailed(
          `reading the file took longer than the ${this.config.DICOM_WORKER_TIMEOUT_MS} ms allowed`,
        );
      const code = (err as { code?: string }).code;
      if (code === 'ERR_WORKER_OUT_OF_MEMORY')
        throw new DicomWorkFailed('reading the file needed more memory than allowed');
      if (/queue is at limit/i.test(String((err as Error).message)))
        throw new DicomWorkFailed('the server is busy reading other files; try again');
      this.logger.error({ err, task: name }, 'a DICOM worker task failed');
      throw err;
    }
  }
}

/** The compiled worker, or its TypeScript source (tests, benchmarks) loaded through the repository's SWC hook. */
function workerEntry(): { filename: string; workerData?: { source: string } } {
  if (!__filename.endsWith('.ts')) return { filename: join(__dirname, 'dicom.worker.js') };
  return {
    filename: resolve(__dirname, '../../../../../scripts/ts-worker.js'),
    workerData: { source: join(__dirname, 'dicom.worker.ts') },
  };
}
