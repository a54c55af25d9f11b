import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AccessContext, Principal } from '@countylink/auth';
import { recordAudit } from '@countylink/persistence';
import { DomainException } from '@countylink/platform';
import { DiagnosisErrorCode } from '../diagnosis.exception';
import { DicomJson } from '../dicom/dicom-json';
import type { Located } from '../dicom/bulk-locator';
import type { LocateTask, WaveformView } from '../dicom/worker/dicom-tasks';
import { DicomWorkers, DicomWorkFailed } from '../dicom/worker/dicom-workers.service';
import type { SopCategory } from '../dicom/sop-classes';
import { DisplayWindow } from '../dicom/xray-png';
import { DIAGNOSIS_DATA_SOURCE } from '../remote-diagnosis.constants';
import { InstanceStore } from '../storage/instance-store.service';
import { Instance } from './instance.entity';
import { StudyScope } from './study-scope.service';

export interface InstanceRef {
  study: string;
  series: string;
  sop: string;
}

export const instanceUrl = (baseUrl: string, i: Instance) =>
  `${baseUrl}/dicomweb/studies/${i.studyInstanceUid}/series/${i.seriesInstanceUid}/instances/${i.sopInstanceUid}`;

export type Rendered = { contentType: 'image/png' | 'image/svg+xml'; body: Buffer | string };

/** WADO-RS: the stored bytes, their metadata as DICOM JSON, and a picture of them; each read is audited. */
@Injectable()
export class WadoService {
  constructor(
    @InjectDataSource(DIAGNOSIS_DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly scope: StudyScope,
    private readonly store: InstanceStore,
    private readonly workers: DicomWorkers,
  ) {}

  /** The instance the caller may see (404 otherwise), with the retrieval audited. */
  async open(principal: Principal, ref: InstanceRef, action: string, access: AccessContext): Promise<Instance> {
    const instance = await this.scope.instance(principal, ref.study, ref.series, ref.sop);
    await recordAudit(this.dataSource.manager, principal, {
      action,
      resourceType: 'instance',
      resourceId: ref.sop,
      ...access,
    });
    return instance;
  }

  /** The instances of a study, or of one of its series, that the caller may see (404 otherwise), audited as one retrieval. */
  async instancesOf(
    principal: Principal,
    study: string,
    series: string | undefined,
    action: string,
    access: AccessContext,
  ): Promise<Instance[]> {
    await this.scope.study(principal, study);
    const instances = await this.dataSource.manager.find(Instance, {
      where: { studyInstanceUid: study, ...(series ? { seriesInstanceUid: series } : {}) },
      order: { seriesInstanceUid: 'ASC', instanceNumber: 'ASC', sopInstanceUid: 'ASC' },
    });
    if (instances.length === 0)
      throw new DomainException(
        DiagnosisErrorCode.DICOM_NOT_FOUND,
        `No instances in ${series ? `series ${series}` : `study ${study}`}`,
      );
    await recordAudit(this.dataSource.manager, principal, {
      action,
      resourceType: series ? 'series' : 'study',
      resourceId: series ?? study,
      ...access,
    });
    return instances;
  }

  /** Metadata of many instances, a few at a time on the worker threads, in the order given. */
  async metadataOf(instances: Instance[], baseUrl: string): Promise<DicomJson[]> {
    const out: DicomJson[] = [];
    for (let i = 0; i < instances.length; i += 4) {
      const batch = instances.slice(i, i + 4);
      for (const json of await Promise.all(
        batch.map((x) =>
          this.undrawableOnFailure(x, () =>
            this.workers.metadata(this.store.objectPath(x.sha256), Number(x.sizeBytes), instanceUrl(baseUrl, x)),
          ),
        ),
      ))
        out.push(...json);
    }
    return out;
  }

  async metadata(principal: Principal, ref: InstanceRef, access: AccessContext, baseUrl: string): Promise<DicomJson[]> {
    const instance = await this.open(principal, ref, 'dicom.retrieve.metadata', access);
    return this.metadataOf([instance], baseUrl);
  }

  /** Where bulk data or frames of an instance lie on disk, for the caller to stream. */
  async locate(
    principal: Principal,
    ref: InstanceRef,
    want: LocateTask['want'],
    access: AccessContext,
  ): Promise<{ instance: Instance; parts: Located[] }> {
    const instance = await this.open(
      principal,
      ref,
      'frames' in want ? 'dicom.retrieve.frames' : 'dicom.retrieve.bulkdata',
      access,
    );
    const found = await this.undrawableOnFailure(instance, () =>
      this.workers.locate(this.store.objectPath(instance.sha256), Number(instance.sizeBytes), want),
    );
    if (!found.ok) throw new DomainException(DiagnosisErrorCode.DICOM_NOT_RENDERABLE, found.message);
    return { instance, parts: found.parts };
  }

  async rendered(
    principal: Principal,
    ref: InstanceRef,
    window: DisplayWindow | undefined,
    access: AccessContext,
    maxSide?: number,
  ): Promise<Rendered> {
    const instance = await this.open(
      principal,
      ref,
      maxSide ? 'dicom.retrieve.thumbnail' : 'dicom.retrieve.rendered',
      access,
    );
    const picture = await this.undrawableOnFailure(instance, () =>
      this.workers.render(this.store.objectPath(instance.sha256), instance.category as SopCategory, window, maxSide),
    );
    if (!picture.ok)
      throw new DomainException(DiagnosisErrorCode.DICOM_NOT_RENDERABLE, picture.message, {
        transferSyntaxUid: instance.transferSyntaxUid,
      });
    // A Buffer comes back from the thread as a plain Uint8Array: wrap it, without a copy.
    const { contentType, body } = picture;
    return {
      contentType,
      body: typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength),
    };
  }

  /** An ECG's samples, decoded on a worker thread as `rendered` is. */
  async waveform(principal: Principal, ref: InstanceRef, access: AccessContext): Promise<WaveformView> {
    const instance = await this.open(principal, ref, 'dicom.retrieve.waveform', access);
    if (instance.category !== 'waveform')
      throw new DomainException(DiagnosisErrorCode.DICOM_NOT_RENDERABLE, `a ${instance.category} has no waveform`);
    const result = await this.undrawableOnFailure(instance, () =>
      this.workers.waveform(this.store.objectPath(instance.sha256)),
    );
    if (!result.ok) throw new DomainException(DiagnosisErrorCode.DICOM_NOT_RENDERABLE, result.message);
    return result.view;
  }

  /** A worker that ran out of time or memory on a stored file: the file cannot be shown, the server goes on. */
  private async undrawableOnFailure<T>(instance: Instance, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      if (!(err instanceof DicomWorkFailed)) throw err;
      throw new DomainException(DiagnosisErrorCode.DICOM_NOT_RENDERABLE, err.message, {
        transferSyntaxUid: instance.transferSyntaxUid,
      });
    }
  }
}
