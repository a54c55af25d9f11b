import { Controller, Get, Param, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { accessContext, AccessReason, CurrentPrincipal, Principal, Roles } from '@countylink/auth';
import type { WaveformView } from '../dicom/worker/dicom-tasks';
import { uidParam } from '../dicomweb/uid-param';
import { VIEWERS } from './dicomweb-read.controller';
import { WadoService } from './wado.service';

/** An ECG's samples for the console viewer (decoded on a worker thread; scope and audit as for every other retrieval). */
@ApiTags('dicomweb')
@ApiBearerAuth()
@ApiHeader({ name: 'X-Access-Reason', required: false, description: 'Why the data is read (audit log)' })
@Controller('dicomweb')
export class WaveformController {
  constructor(private readonly wado: WadoService) {}

  @Get('studies/:study/series/:series/instances/:sop/waveform')
  @Roles(...VIEWERS)
  @ApiOperation({
    summary:
      'The waveform of an ECG instance as JSON (µV per lead), for the console viewer; 406 for an instance without one',
  })
  waveform(
    @CurrentPrincipal() p: Principal,
    @Param('study', uidParam) study: string,
    @Param('series', uidParam) series: string,
    @Param('sop', uidParam) sop: string,
    @Req() req: Request,
    @AccessReason() reason?: string,
  ): Promise<WaveformView> {
    return this.wado.waveform(p, { study, series, sop }, accessContext(req, reason, 'care'));
  }
}
