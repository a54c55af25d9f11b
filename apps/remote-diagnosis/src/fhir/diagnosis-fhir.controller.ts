import type * as fhir4 from 'fhir/r4';
import { Controller, Get, Header, Param, ParseUUIDPipe, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { accessContext, AccessReason, CurrentPrincipal, Principal, Roles } from '@countylink/auth';
import { DomainException, FHIR_JSON, fhirCount, fhirPatientIdentifier, searchset } from '@countylink/platform';
import { DiagnosisErrorCode } from '../diagnosis.exception';
import { uidParam } from '../dicomweb/uid-param';
import { READERS } from '../reads/read.controller';
import { ReadService } from '../reads/read.service';
import { baseUrl, VIEWERS } from '../studies/dicomweb-read.controller';
import { QidoService } from '../studies/qido.service';
import { toDiagnosticReport } from './diagnostic-report-fhir.mapper';
import { toImagingStudy } from './imaging-study-fhir.mapper';

/** `patient:identifier` (or `subject:identifier`) and `_count` of a search by patient. */
function patientSearch(query: Record<string, string | string[]>) {
  return {
    ...fhirPatientIdentifier(query['patient:identifier'] ?? query['subject:identifier']),
    count: fhirCount(query._count),
  };
}

const uuid = new ParseUUIDPipe({
  exceptionFactory: () => new DomainException(DiagnosisErrorCode.READ_NOT_FOUND, 'No report with that id'),
});

/**
 * Read-only FHIR R4 views of studies and signed reads for an HIS or a regional platform. A study
 * is scoped exactly as QIDO-RS/WADO-RS scope it, a report exactly as `GET /api/reads/:id`, and each
 * view is audited like those routes (reason `fhir` unless X-Access-Reason says otherwise).
 */
@ApiTags('fhir')
@ApiBearerAuth()
@ApiHeader({ name: 'X-Access-Reason', required: false, description: 'Why the data is read (audit log)' })
@Controller('fhir')
export class DiagnosisFhirController {
  constructor(
    private readonly reads: ReadService,
    private readonly qido: QidoService,
  ) {}

  @Get('ImagingStudy/:uid')
  @Roles(...VIEWERS)
  @Header('Content-Type', FHIR_JSON)
  @ApiOperation({
    summary: 'A stored study (by Study Instance UID) as a FHIR R4 ImagingStudy, with its series and instances',
  })
  async imagingStudy(
    @CurrentPrincipal() p: Principal,
    @Param('uid', uidParam) uid: string,
    @Req() req: Request,
    @AccessReason() reason?: string,
  ): Promise<fhir4.ImagingStudy> {
    return toImagingStudy(await this.qido.studyTree(p, uid, accessContext(req, reason, 'fhir')), baseUrl(req));
  }

  @Get('DiagnosticReport/:id')
  @Roles(...READERS)
  @Header('Content-Type', FHIR_JSON)
  @ApiOperation({ summary: 'A reported read (by read id) as a FHIR R4 DiagnosticReport; 404 until it is signed' })
  async diagnosticReport(
    @CurrentPrincipal() p: Principal,
    @Param('id', uuid) id: string,
    @Req() req: Request,
    @AccessReason() reason?: string,
  ): Promise<fhir4.DiagnosticReport> {
    const report = toDiagnosticReport(await this.reads.get(p, id, accessContext(req, reason, 'fhir')));
    if (!report) throw new DomainException(DiagnosisErrorCode.READ_NOT_FOUND, `Read ${id} has no signed report yet`);
    return report;
  }

  @Get('ImagingStudy')
  @Roles(...VIEWERS)
  @Header('Content-Type', FHIR_JSON)
  @ApiOperation({
    summary:
      "Search: a patient's studies (patient:identifier=urn:countylink:patient:<institution>|<id>), newest first, as a searchset Bundle",
  })
  @ApiQuery({ name: 'patient:identifier', required: true, example: 'urn:countylink:patient:township-a|TA-000123' })
  @ApiQuery({ name: '_count', required: false })
  async searchImagingStudies(
    @CurrentPrincipal() p: Principal,
    @Req() req: Request,
    @Query() query: Record<string, string | string[]>,
    @AccessReason() reason?: string,
  ): Promise<fhir4.Bundle> {
    const { institutionId, patientId, count } = patientSearch(query);
    const uids = await this.qido.studyUidsOfPatient(p, institutionId, patientId, count);
    const access = accessContext(req, reason, 'fhir');
    const studies = [];
    for (const uid of uids) studies.push(toImagingStudy(await this.qido.studyTree(p, uid, access), baseUrl(req)));
    return searchset(req, studies);
  }

  @Get('DiagnosticReport')
  @Roles(...READERS)
  @Header('Content-Type', FHIR_JSON)
  @ApiOperation({
    summary:
      "Search: a patient's signed reports (patient:identifier=urn:countylink:patient:<institution>|<id>), newest first",
  })
  @ApiQuery({ name: 'patient:identifier', required: true, example: 'urn:countylink:patient:township-a|TA-000123' })
  @ApiQuery({ name: '_count', required: false })
  async searchDiagnosticReports(
    @CurrentPrincipal() p: Principal,
    @Req() req: Request,
    @Query() query: Record<string, string | string[]>,
    @AccessReason() reason?: string,
  ): Promise<fhir4.Bundle> {
    const { institutionId, patientId, count } = patientSearch(query);
    const reads = await this.reads.reportedOfPatient(
      p,
      institutionId,
      patientId,
      count,
      accessContext(req, reason, 'fhir'),
    );
    return searchset(
      req,
      reads.map(toDiagnosticReport).filter((r): r is fhir4.DiagnosticReport => r !== undefined),
    );
  }
}
