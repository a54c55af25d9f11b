import { readFile } from 'node:fs/promises';
import { Controller, Get, Headers, Param, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { CurrentPrincipal, Principal, Roles } from '@countylink/auth';
import { AppConfig, DomainException } from '@countylink/platform';
import { DiagnosisErrorCode } from '../diagnosis.exception';
import { parseDicomHeader } from '../dicom/dicom-header';
import { readEcg } from '../dicom/ecg-waveform';
import { NotDecodableError } from '../dicom/not-decodable';
import { uidParam } from '../dicomweb/uid-param';
import { accessContext } from '../reads/read.controller';
import { InstanceStore } from '../storage/instance-store';
import { VIEWERS } from './dicomweb-read.controller';
import { WadoService } from './wado.service';

/** A 12-lead ECG as numbers, for a viewer that draws it at its own speed and gain and measures on it. */
export interface WaveformView {
  samplingFrequency: number;
  samples: number;
  /** Samples are whole microvolts: finer than any screen or caliper resolves, half the JSON of millivolt decimals. */
  unit: 'uV';
  leads: Array<{ name: string; samples: number[] }>;
}

/**
 * The samples behind `/rendered`'s SVG: the same decoding (`readEcg`), so what the viewer draws and
 * measures is what the file holds. Scope and audit as for every other retrieval. Decoded on the
 * request's thread: a stored waveform passed the upload's checks and is bounded by
 * DICOM_MAX_HEADER_BYTES (the render worker would be its home once it has a samples task).
 */
@ApiTags('dicomweb')
@ApiBearerAuth()
@ApiHeader({ name: 'X-Access-Reason', required: false, description: 'Why the data is read (audit log)' })
@Controller('dicomweb')
export class WaveformController {
  constructor(
    private readonly wado: WadoService,
    private readonly store: InstanceStore,
    private readonly config: AppConfig,
  ) {}

  @Get('studies/:study/series/:series/instances/:sop/waveform')
  @Roles(...VIEWERS)
  @ApiOperation({ summary: 'The waveform of an ECG instance as JSON (µV per lead), for the console viewer; 406 for an instance without one' })
  async waveform(@CurrentPrincipal() p: Principal, @Param('study', uidParam) study: string, @Param('series', uidParam) series: string,
    @Param('sop', uidParam) sop: string, @Req() req: Request, @Headers('x-access-reason') reason?: string): Promise<WaveformView> {
    const instance = await this.wado.open(p, { study, series, sop }, 'dicom.retrieve.waveform', accessContext(req, reason, 'care'));
    if (instance.category !== 'waveform') throw new DomainException(DiagnosisErrorCode.DICOM_NOT_RENDERABLE, `a ${instance.category} has no waveform`);
    const file = await readFile(this.store.objectPath(instance.sha256));
    try {
      const parsed = parseDicomHeader(file, file.length, this.config.DICOM_MAX_HEADER_BYTES);
      if (parsed.kind !== 'header') throw new NotDecodableError('the stored waveform cannot be parsed');
      const ecg = readEcg(parsed.header.dataSet);
      const leads = ecg.leads.map((lead) => ({ name: lead.name, samples: Array.from(lead.millivolts, (mv) => Math.round(mv * 1000)) }));
      return { samplingFrequency: ecg.samplingFrequency, samples: ecg.samples, unit: 'uV', leads };
    } catch (err) {
      const message = err instanceof NotDecodableError ? err.message : `the waveform cannot be read: ${err instanceof Error ? err.message : String(err)}`;
      throw new DomainException(DiagnosisErrorCode.DICOM_NOT_RENDERABLE, message);
    }
  }
}
