import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { readFile } from 'node:fs/promises';
import { DataSource } from 'typeorm';
import { Principal } from '@countylink/auth';
import { recordAudit } from '@countylink/persistence';
import { AppConfig, DomainException } from '@countylink/platform';
import { DiagnosisErrorCode } from '../diagnosis.exception';
import { parseDicomHeader } from '../dicom/dicom-header';
import { DicomJson, toDicomJson } from '../dicom/dicom-json';
import { renderEcgSvg } from '../dicom/ecg-svg';
import { readEcg } from '../dicom/ecg-waveform';
import { headerFromFile } from '../dicom/header-from-file';
import { NotDecodableError } from '../dicom/not-decodable';
import { decodeFirstFrame } from '../dicom/pixel-frame';
import { DisplayWindow, renderPng } from '../dicom/xray-png';
import type { AccessContext } from '../reads/read.service';
import { DIAGNOSIS_DATA_SOURCE } from '../remote-diagnosis.constants';
import { InstanceStore } from '../storage/instance-store';
import { Instance } from './instance.entity';
import { StudyScope } from './study-scope';

export interface InstanceRef {
  study: string;
  series: string;
  sop: string;
}

export type Rendered = { contentType: 'image/png' | 'image/svg+xml'; body: Buffer | string };

/** WADO-RS: the stored bytes, their metadata as DICOM JSON, and a picture of them; each read is audited. */
@Injectable()
export class WadoService {
  constructor(
    @InjectDataSource(DIAGNOSIS_DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly scope: StudyScope,
    private readonly store: InstanceStore,
    private readonly config: AppConfig,
  ) {}

  /** The instance the caller may see (404 otherwise), with the retrieval audited. */
  async open(principal: Principal, ref: InstanceRef, action: string, access: AccessContext): Promise<Instance> {
    const instance = await this.scope.instance(principal, ref.study, ref.series, ref.sop);
    await recordAudit(this.dataSource.manager, principal, { action, resourceType: 'instance', resourceId: ref.sop, ...access });
    return instance;
  }

  async metadata(principal: Principal, ref: InstanceRef, access: AccessContext): Promise<DicomJson[]> {
    const instance = await this.open(principal, ref, 'dicom.retrieve.metadata', access);
    const header = await headerFromFile(this.store.objectPath(instance.sha256), Number(instance.sizeBytes), this.config.DICOM_MAX_HEADER_BYTES);
    return [toDicomJson(header.dataSet)];
  }

  async rendered(principal: Principal, ref: InstanceRef, window: DisplayWindow | undefined, access: AccessContext): Promise<Rendered> {
    const instance = await this.open(principal, ref, 'dicom.retrieve.rendered', access);
    const file = await readFile(this.store.objectPath(instance.sha256));
    try {
      if (instance.category === 'waveform') {
        const parsed = parseDicomHeader(file, file.length);
        if (parsed.kind !== 'header') throw new NotDecodableError('the stored waveform cannot be parsed');
        return { contentType: 'image/svg+xml', body: renderEcgSvg(readEcg(parsed.header.dataSet)) };
      }
      if (instance.category !== 'image') throw new NotDecodableError(`a ${instance.category} has no picture; retrieve it instead`);
      return { contentType: 'image/png', body: renderPng(decodeFirstFrame(file), window) };
    } catch (err) {
      // A stored object passed the header checks; what lies past them (pixels, waveform) may still be undrawable.
      const message = err instanceof NotDecodableError ? err.message : `the stored object cannot be drawn: ${err instanceof Error ? err.message : String(err)}`;
      throw new DomainException(DiagnosisErrorCode.DICOM_NOT_RENDERABLE, message, { transferSyntaxUid: instance.transferSyntaxUid });
    }
  }
}
