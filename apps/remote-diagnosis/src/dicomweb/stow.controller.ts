import { Controller, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentPrincipal, Principal, Role, Roles } from '@countylink/auth';
import { DomainException } from '@countylink/platform';
import { DiagnosisErrorCode } from '../diagnosis.exception';
import { InstanceStore } from '../storage/instance-store.service';
import { PartTooLargeError } from '../storage/staging-file';
import { InstanceIngest } from './instance-ingest.service';
import { MalformedMultipartError, parseMediaType } from './multipart-related';
import { ClientAbortedError, receiveParts, RequestTooLargeError, TooManyPartsError } from './stow-receiver';
import { PartOutcome, stowResponse } from './stow-response';
import { uidParam } from './uid-param';
import { UploadSlots } from './upload-slots';
import { RemoteDiagnosisConfig } from '../remote-diagnosis.config';

@ApiTags('dicomweb')
@ApiBearerAuth()
@Controller('dicomweb')
export class StowController {
  private readonly slots: UploadSlots;

  constructor(
    private readonly store: InstanceStore,
    private readonly ingest: InstanceIngest,
    private readonly config: RemoteDiagnosisConfig,
  ) {
    this.slots = new UploadSlots(config.DICOM_MAX_CONCURRENT_UPLOADS);
  }

  @Post('studies')
  @Roles(Role.TownshipDoctor, Role.FamilyDoctor, Role.HisSystem)
  @ApiConsumes('multipart/related')
  @ApiOperation({ summary: 'STOW-RS: store instances (multipart/related; type="application/dicom")' })
  storeInstances(@CurrentPrincipal() principal: Principal, @Req() req: Request, @Res() res: Response) {
    return this.stow(principal, req, res);
  }

  @Post('studies/:study')
  @Roles(Role.TownshipDoctor, Role.FamilyDoctor, Role.HisSystem)
  @ApiConsumes('multipart/related')
  @ApiOperation({ summary: 'STOW-RS into one study: instances of any other study are refused' })
  storeIntoStudy(
    @CurrentPrincipal() principal: Principal,
    @Param('study', uidParam) study: string,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    return this.stow(principal, req, res, study);
  }

  private async stow(principal: Principal, req: Request, res: Response, study?: string): Promise<void> {
    const boundary = this.checkRequest(req, res);
    const release = this.slots.take(principal.sub);
    if (!release) {
      res.setHeader('Connection', 'close');
      res.setHeader('Retry-After', '1');
      throw new DomainException(
        DiagnosisErrorCode.DICOM_TOO_MANY_UPLOADS,
        `At most ${this.config.DICOM_MAX_CONCURRENT_UPLOADS} uploads may be in flight at once for one user; wait for one to finish`,
      );
    }
    try {
      await this.receiveAndIngest(principal, req, res, boundary, study);
    } finally {
      release();
    }
  }

  private async receiveAndIngest(
    principal: Principal,
    req: Request,
    res: Response,
    boundary: string,
    study?: string,
  ): Promise<void> {
    let parts;
    try {
      parts = await receiveParts(req, boundary, this.store, {
        maxRequestBytes: this.config.DICOM_MAX_REQUEST_BYTES,
        maxParts: this.config.DICOM_MAX_PARTS_PER_REQUEST,
      });
    } catch (err) {
      res.setHeader('Connection', 'close');
      if (err instanceof RequestTooLargeError || err instanceof PartTooLargeError || err instanceof TooManyPartsError) {
        throw new DomainException(DiagnosisErrorCode.DICOM_PAYLOAD_TOO_LARGE, err.message);
      }
      if (err instanceof MalformedMultipartError)
        throw new DomainException(
          DiagnosisErrorCode.DICOM_MALFORMED_MULTIPART,
          `The multipart body is malformed: ${err.message}`,
        );
      if (err instanceof ClientAbortedError) return;
      throw err;
    }
    if (parts.length === 0)
      throw new DomainException(DiagnosisErrorCode.DICOM_MALFORMED_MULTIPART, 'The body holds no part');
    const outcomes: PartOutcome[] = [];
    for (const part of parts) outcomes.push(await this.ingest.ingest(principal, part, study));
    const { status, body } = stowResponse(outcomes, `${req.protocol}://${req.get('host')}`);
    res.status(status).type('application/dicom+json').send(JSON.stringify(body));
  }

  /** Media type and declared size are checked before a byte of the body is read. */
  private checkRequest(req: Request, res: Response): string {
    const media = parseMediaType(req.headers['content-type']);
    const type = media?.params.type?.toLowerCase();
    if (!media || media.mediaType !== 'multipart/related' || (type !== undefined && type !== 'application/dicom')) {
      res.setHeader('Connection', 'close');
      throw new DomainException(
        DiagnosisErrorCode.DICOM_UNSUPPORTED_MEDIA_TYPE,
        `STOW-RS takes multipart/related; type="application/dicom", not ${req.headers['content-type'] ?? 'no content type'}`,
      );
    }
    if (!media.params.boundary)
      throw new DomainException(DiagnosisErrorCode.DICOM_MALFORMED_MULTIPART, 'The Content-Type has no boundary');
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > this.config.DICOM_MAX_REQUEST_BYTES) {
      res.setHeader('Connection', 'close');
      throw new DomainException(
        DiagnosisErrorCode.DICOM_PAYLOAD_TOO_LARGE,
        `The request is larger than ${this.config.DICOM_MAX_REQUEST_BYTES} bytes`,
      );
    }
    return media.params.boundary;
  }
}
