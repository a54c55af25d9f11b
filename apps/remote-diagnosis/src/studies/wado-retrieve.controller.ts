import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { accessContext, AccessReason, CurrentPrincipal, Principal, Roles } from '@countylink/auth';
import { uidParam } from '../dicomweb/uid-param';
import { InstanceStore } from '../storage/instance-store.service';
import { assertAcceptable, baseUrl, sendJson, VIEWERS } from './dicomweb-read.controller';
import { assertTransferSyntax, streamInstances } from './instance-multipart';
import { WadoService } from './wado.service';

const DICOM_JSON = 'application/dicom+json';

/** WADO-RS at study and series level: what a PACS's "retrieve" and a viewer's study load ask for. */
@ApiTags('dicomweb')
@ApiBearerAuth()
@ApiHeader({ name: 'X-Access-Reason', required: false, description: 'Why the data is read (audit log)' })
@Controller('dicomweb')
export class WadoRetrieveController {
  constructor(
    private readonly wado: WadoService,
    private readonly store: InstanceStore,
  ) {}

  @Get('studies/:study')
  @Roles(...VIEWERS)
  @ApiOperation({
    summary: 'WADO-RS study: every instance, multipart/related; type="application/dicom", streamed from disk',
  })
  async study(
    @CurrentPrincipal() p: Principal,
    @Param('study', uidParam) study: string,
    @Req() req: Request,
    @Res() res: Response,
    @AccessReason() reason?: string,
  ) {
    await this.retrieve(p, study, undefined, req, res, reason);
  }

  @Get('studies/:study/series/:series')
  @Roles(...VIEWERS)
  @ApiOperation({ summary: 'WADO-RS series: every instance of the series, multipart/related' })
  async series(
    @CurrentPrincipal() p: Principal,
    @Param('study', uidParam) study: string,
    @Param('series', uidParam) series: string,
    @Req() req: Request,
    @Res() res: Response,
    @AccessReason() reason?: string,
  ) {
    await this.retrieve(p, study, series, req, res, reason);
  }

  @Get('studies/:study/metadata')
  @Roles(...VIEWERS)
  @ApiOperation({ summary: 'WADO-RS metadata of every instance of a study (DICOM JSON, bulk data left out)' })
  async studyMetadata(
    @CurrentPrincipal() p: Principal,
    @Param('study', uidParam) study: string,
    @Req() req: Request,
    @Res() res: Response,
    @AccessReason() reason?: string,
  ) {
    assertAcceptable(req.headers.accept, [DICOM_JSON, 'application/json'], 'Metadata');
    const instances = await this.wado.instancesOf(
      p,
      study,
      undefined,
      'dicom.retrieve.metadata',
      accessContext(req, reason, 'care'),
    );
    sendJson(res, await this.wado.metadataOf(instances, baseUrl(req)));
  }

  @Get('studies/:study/series/:series/metadata')
  @Roles(...VIEWERS)
  @ApiOperation({ summary: 'WADO-RS metadata of every instance of a series' })
  async seriesMetadata(
    @CurrentPrincipal() p: Principal,
    @Param('study', uidParam) study: string,
    @Param('series', uidParam) series: string,
    @Req() req: Request,
    @Res() res: Response,
    @AccessReason() reason?: string,
  ) {
    assertAcceptable(req.headers.accept, [DICOM_JSON, 'application/json'], 'Metadata');
    const instances = await this.wado.instancesOf(
      p,
      study,
      series,
      'dicom.retrieve.metadata',
      accessContext(req, reason, 'care'),
    );
    sendJson(res, await this.wado.metadataOf(instances, baseUrl(req)));
  }

  private async retrieve(
    p: Principal,
    study: string,
    series: string | undefined,
    req: Request,
    res: Response,
    reason?: string,
  ): Promise<void> {
    assertAcceptable(req.headers.accept, ['multipart/related', 'application/dicom'], 'A study');
    const instances = await this.wado.instancesOf(
      p,
      study,
      series,
      series ? 'dicom.retrieve.series' : 'dicom.retrieve.study',
      accessContext(req, reason, 'care'),
    );
    assertTransferSyntax(req.headers.accept, instances);
    await streamInstances(res, this.store, instances);
  }
}
