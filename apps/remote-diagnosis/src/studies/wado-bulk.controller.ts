import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { accessContext, AccessReason, CurrentPrincipal, Principal, Roles } from '@countylink/auth';
import { DomainException } from '@countylink/platform';
import { DiagnosisErrorCode } from '../diagnosis.exception';
import { parseWindow } from '../dicom/xray-png';
import { uidParam } from '../dicomweb/uid-param';
import { InstanceStore } from '../storage/instance-store.service';
import { assertAcceptable, VIEWERS } from './dicomweb-read.controller';
import { streamBulk } from './instance-multipart';
import { WadoService } from './wado.service';

const THUMBNAIL_SIDE = 200;

/** `1,3,5` → [1, 3, 5]; anything else is a 400. */
function frameList(value: string): number[] {
  const frames = value.split(',').map((v) => v.trim());
  if (frames.length > 1000 || !frames.every((f) => /^[1-9]\d{0,6}$/.test(f))) {
    throw new DomainException(
      DiagnosisErrorCode.DICOM_BAD_QUERY,
      'frames must be a comma-separated list of frame numbers from 1',
    );
  }
  return frames.map(Number);
}

/** A bulk data path of the metadata's BulkDataURIs: tags (8 hex digits) with item indexes between them. */
function bulkPath(value: string): string[] {
  const path = value.split('/');
  const ok =
    path.length % 2 === 1 &&
    path.length <= 17 &&
    path.every((p, i) => (i % 2 === 0 ? /^[0-9A-Fa-f]{8}$/.test(p) : /^\d{1,6}$/.test(p)));
  if (!ok)
    throw new DomainException(
      DiagnosisErrorCode.DICOM_BAD_QUERY,
      'a bulk data path is tag[/item/tag…], e.g. 7FE00010 or 54000100/0/54001010',
    );
  return path;
}

/** WADO-RS frames, bulk data and thumbnails: what a web viewer (OHIF) asks for after the metadata. */
@ApiTags('dicomweb')
@ApiBearerAuth()
@ApiHeader({ name: 'X-Access-Reason', required: false, description: 'Why the data is read (audit log)' })
@Controller('dicomweb/studies/:study/series/:series/instances/:sop')
export class WadoBulkController {
  constructor(
    private readonly wado: WadoService,
    private readonly store: InstanceStore,
  ) {}

  @Get('frames/:frames')
  @Roles(...VIEWERS)
  @ApiOperation({
    summary:
      'WADO-RS frames (e.g. frames/1 or frames/1,2): multipart/related of the frames as stored, streamed from disk',
  })
  async frames(
    @CurrentPrincipal() p: Principal,
    @Param('study', uidParam) study: string,
    @Param('series', uidParam) series: string,
    @Param('sop', uidParam) sop: string,
    @Param('frames') frames: string,
    @Req() req: Request,
    @Res() res: Response,
    @AccessReason() reason?: string,
  ) {
    assertAcceptable(req.headers.accept, ['multipart/related', 'application/octet-stream'], 'Frames');
    const { instance, parts } = await this.wado.locate(
      p,
      { study, series, sop },
      { frames: frameList(frames) },
      accessContext(req, reason, 'care'),
    );
    await streamBulk(res, this.store, instance, parts);
  }

  @Get('bulk/*path')
  @Roles(...VIEWERS)
  @ApiOperation({
    summary: 'Bulk data named by a BulkDataURI of the metadata (pixel data, waveform data, long binary values)',
  })
  async bulk(
    @CurrentPrincipal() p: Principal,
    @Param('study', uidParam) study: string,
    @Param('series', uidParam) series: string,
    @Param('sop', uidParam) sop: string,
    @Param('path') path: string | string[],
    @Req() req: Request,
    @Res() res: Response,
    @AccessReason() reason?: string,
  ) {
    assertAcceptable(req.headers.accept, ['multipart/related', 'application/octet-stream'], 'Bulk data');
    const named = bulkPath(Array.isArray(path) ? path.join('/') : path);
    const { instance, parts } = await this.wado.locate(
      p,
      { study, series, sop },
      { bulk: named },
      accessContext(req, reason, 'care'),
    );
    await streamBulk(res, this.store, instance, parts);
  }

  @Get('thumbnail')
  @Roles(...VIEWERS)
  @ApiOperation({ summary: `Thumbnail: an X-ray as a PNG at most ${THUMBNAIL_SIDE} px a side, an ECG as its SVG` })
  async thumbnail(
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
    const picture = await this.wado.rendered(
      p,
      { study, series, sop },
      window,
      accessContext(req, reason, 'care'),
      THUMBNAIL_SIDE,
    );
    assertAcceptable(req.headers.accept, [picture.contentType], 'This instance');
    res.status(200).type(picture.contentType).send(picture.body);
  }
}
