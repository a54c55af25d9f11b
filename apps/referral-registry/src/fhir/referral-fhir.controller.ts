import type * as fhir4 from 'fhir/r4';
import { Controller, Get, Header, Param, ParseUUIDPipe, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { accessContext, AccessReason, CurrentPrincipal, Principal } from '@countylink/auth';
import { CommonErrorCode, DomainException, FHIR_JSON, fhirCount, searchset } from '@countylink/platform';
import { ReferralService } from '../referrals/referral.service';
import { toServiceRequest, toTask } from './referral-fhir.mapper';

const uuid = new ParseUUIDPipe({
  exceptionFactory: () => new DomainException(CommonErrorCode.NOT_FOUND, 'No resource with that id'),
});

/** Read-only FHIR R4 views of referrals for an HIS or a regional platform, scoped like the API. */
@ApiTags('fhir')
@ApiBearerAuth()
@Controller('fhir')
export class ReferralFhirController {
  constructor(private readonly referrals: ReferralService) {}

  @Get('ServiceRequest/:id')
  @Header('Content-Type', FHIR_JSON)
  @ApiOperation({ summary: 'A referral as a FHIR R4 ServiceRequest' })
  async serviceRequest(
    @CurrentPrincipal() p: Principal,
    @Param('id', uuid) id: string,
    @Req() req: Request,
    @AccessReason() reason?: string,
  ) {
    return toServiceRequest(await this.referrals.get(p, id, accessContext(req, reason, 'fhir')));
  }

  @Get('Task/:id')
  @Header('Content-Type', FHIR_JSON)
  @ApiOperation({ summary: "A referral's workflow as a FHIR R4 Task (status from the referral state machine)" })
  async task(
    @CurrentPrincipal() p: Principal,
    @Param('id', uuid) id: string,
    @Req() req: Request,
    @AccessReason() reason?: string,
  ) {
    return toTask(await this.referrals.get(p, id, accessContext(req, reason, 'fhir')));
  }

  @Get('ServiceRequest')
  @Header('Content-Type', FHIR_JSON)
  @ApiOperation({ summary: 'Search: the newest referrals this institution sent or received, as a searchset Bundle' })
  @ApiQuery({ name: '_count', required: false })
  async search(
    @CurrentPrincipal() p: Principal,
    @Req() req: Request,
    @Query('_count') count?: string | string[],
  ): Promise<fhir4.Bundle> {
    const page = await this.referrals.list(p, { limit: fhirCount(count) }, accessContext(req, undefined, 'fhir'));
    return searchset(req, page.items.map(toServiceRequest));
  }
}
