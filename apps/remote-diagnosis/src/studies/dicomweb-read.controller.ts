import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { accessContext, AccessReason, CurrentPrincipal, Principal, Role, Roles } from '@countylink/auth';
import { DomainException } from '@countylink/platform';
import { DiagnosisErrorCode } from '../diagnosis.exception';
import { parseWindow } from '../dicom/xray-png';
import { uidParam } from '../dicomweb/uid-param';
import { InstanceStore } from '../storage/instance-store.service';
import { QidoService } from './qido.service';
import { assertTransferSyntax, streamInstances } from './instance-multipart';
import { WadoService } from './wado.service';

export const VIEWERS = [Role.TownshipDoctor, Role.FamilyDoctor, Role.HisSystem, Role.CountySpecialist];
const DICOM_JSON = 'application/dicom+json';

export const baseUrl = (req: Request) => `${req.protocol}://${req.get('host')}`;

export function sendJson(res: Response, body: unknown): void {
  res.status(200).type(DICOM_JSON).send(JSON.stringify(body));
}

/** Accept lists a type we can send (or anything); otherwise 406 with what we do send. */
export function assertAcceptable(accept: string | undefined, offered: string[], what: string): void {
  if (!accept) return;
  const ranges = accept.split(',').map((r) => r.split(';')[0].trim().toLowerCase());
  const ok = ranges.some(
    (r) => r === '*/*' || offered.some((o) => o === r || (r.endsWith('/*') && o.startsWith(r.slice(0, -1)))),
  );
  if (!ok)
    throw new DomainException(
      DiagnosisErrorCode.DICOM_NOT_RENDERABLE,
      `${what} is available as ${offered.join(' or ')}, not ${accept}`,
    );
}

@ApiTags('dicomweb')
@ApiBearerAuth()
@ApiHeader({ name: 'X-Access-Reason', required: false, description: 'Why the data is read (audit log)' })
@Controller('dicomweb')
export class DicomwebReadController {
  constructor(
    private readonly qido: QidoService,
    private readonly wado: WadoService,
    private readonly store: InstanceStore,
  ) {}

  @Get('studies')
  @Roles(...VIEWERS)
  @ApiOperation({
    summary:
      'QIDO-RS studies: PatientID, PatientName, StudyDate, AccessionNumber, StudyInstanceUID, ModalitiesInStudy, …, limit, offset',
  })
  async studies(
    @CurrentPrincipal() p: Principal,
    @Query() query: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
    @AccessReason() reason?: string,
  ) {
    sendJson(res, await this.qido.studies(p, query, baseUrl(req), accessContext(req, reason, 'query')));
  }

  @Get('series')
  @Roles(...VIEWERS)
  @ApiOperation({ summary: 'QIDO-RS series across studies' })
  async allSeries(
    @CurrentPrincipal() p: Principal,
    @Query() query: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
    @AccessReason() reason?: string,
  ) {
    sendJson(res, await this.qido.series(p, query, {}, baseUrl(req), accessContext(req, reason, 'query')));
  }

  @Get('instances')
  @Roles(...VIEWERS)
  @ApiOperation({ summary: 'QIDO-RS instances across studies' })
  async allInstances(
    @CurrentPrincipal() p: Principal,
    @Query() query: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
    @AccessReason() reason?: string,
  ) {
    sendJson(res, await this.qido.instances(p, query, {}, baseUrl(req), accessContext(req, reason, 'query')));
  }

  @Get('studies/:study/series')
  @Roles(...VIEWERS)
  @ApiOperation({ summary: 'QIDO-RS series of a study' })
  async series(
    @CurrentPrincipal() p: Principal,
    @Param('study', uidParam) study: string,
    @Query() query: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
    @AccessReason() reason?: string,
  ) {
    sendJson(
      res,
      await this.qido.series(p, query, { studyUid: study }, baseUrl(req), accessContext(req, reason, 'query')),
    );
  }

  @Get('studies/:study/instances')
  @Roles(...VIEWERS)
  @ApiOperation({ summary: 'QIDO-RS instances of a study' })
  async studyInstances(
    @CurrentPrincipal() p: Principal,
    @Param('study', uidParam) study: string,
    @Query() query: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
    @AccessReason() reason?: string,
  ) {
    sendJson(
      res,
      await this.qido.instances(p, query, { studyUid: study }, baseUrl(req), accessContext(req, reason, 'query')),
    );
  }

  @Get('studies/:study/series/:series/instances')
  @Roles(...VIEWERS)
  @ApiOperation({ summary: 'QIDO-RS instances of a series' })
  async seriesInstances(
    @CurrentPrincipal() p: Principal,
    @Param('study', uidParam) study: string,
    @Param('series', uidParam) series: string,
    @Query() query: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
    @AccessReason() reason?: string,
  ) {
    sendJson(
      res,
      await this.qido.instances(
        p,
        query,
        { studyUid: study, seriesUid: series },
        baseUrl(req),
        accessContext(req, reason, 'query'),
      ),
    );
  }

  @Get('studies/:study/series/:series/instances/:sop')
  @Roles(...VIEWERS)
  @ApiOperation({ summary: 'WADO-RS instance: multipart/related; type="application/dicom", the stored bytes' })
  async instance(
    @CurrentPrincipal() p: Principal,
    @Param('study', uidParam) study: string,
    @Param('series', uidParam) series: string,
    @Param('sop', uidParam) sop: string,
    @Req() req: Request,
    @Res() res: Response,
    @AccessReason() reason?: string,
  ) {
    assertAcceptable(req.headers.accept, ['multipart/related', 'application/dicom'], 'An instance');
    const instance = await this.wado.open(
      p,
      { study, series, sop },
      'dicom.retrieve.instance',
      accessContext(req, reason, 'care'),
    );
    assertTransferSyntax(req.headers.accept, [instance]);
    await streamInstances(res, this.store, [instance]);
  }

  @Get('studies/:study/series/:series/instances/:sop/metadata')
  @Roles(...VIEWERS)
  @ApiOperation({ summary: 'WADO-RS metadata of an instance (DICOM JSON, without bulk data)' })
  async metadata(
    @CurrentPrincipal() p: Principal,
    @Param('study', uidParam) study: string,
    @Param('series', uidParam) series: string,
    @Param('sop', uidParam) sop: string,
    @Req() req: Request,
    @Res() res: Response,
    @AccessReason() reason?: string,
  ) {
    assertAcceptable(req.headers.accept, [DICOM_JSON, 'application/json'], 'Metadata');
    sendJson(
      res,
      await this.wado.metadata(p, { study, series, sop }, accessContext(req, reason, 'care'), baseUrl(req)),
    );
  }

  @Get('studies/:study/series/:series/instances/:sop/rendered')
  @Roles(...VIEWERS)
  @ApiOperation({
    summary:
      'Rendered instance: an X-ray as PNG (window=center,width), a 12-lead ECG as SVG; 406 for undecodable pixel data',
  })
  async rendered(
    @CurrentPrincipal() p: Principal,
    @Param('study', uidParam) study: string,
    @Param('series', uidParam) series: string,
    @Param('sop', uidParam) sop: string,
    @Query('window') windowParam: string | undefined,
    @Req() req: Request,
    @Res() res: Response,
    @AccessReason() reason?: string,
  ) {
    const window = parseWindow(windowParam);
    if (window === 'invalid')
      throw new DomainException(DiagnosisErrorCode.DICOM_BAD_QUERY, 'window must be center,width with width ≥ 1');
    const picture = await this.wado.rendered(p, { study, series, sop }, window, accessContext(req, reason, 'care'));
    assertAcceptable(req.headers.accept, [picture.contentType], 'This instance');
    res.status(200).type(picture.contentType).send(picture.body);
  }
}
