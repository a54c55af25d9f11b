import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { accessContext, AccessReason, CurrentPrincipal, Principal, Role, Roles } from '@countylink/auth';
import { requireIdempotencyKey } from '@countylink/persistence';
import { DomainException } from '@countylink/platform';
import { DiagnosisErrorCode } from '../diagnosis.exception';
import { ListReadsQuery } from './dtos/list-reads.query';
import { OrderReadDto } from './dtos/order-read.dto';
import { AssignReadDto, ReleaseReadDto, ReportReadDto } from './dtos/report-read.dto';
import { ReadService } from './read.service';

const REQUESTERS = [Role.TownshipDoctor, Role.FamilyDoctor, Role.HisSystem];
/** Who sees reads and their reports (scope then narrows it to the two institutions of each read). */
export const READERS = [...REQUESTERS, Role.CountySpecialist];
const uuid = new ParseUUIDPipe({
  exceptionFactory: () => new DomainException(DiagnosisErrorCode.READ_NOT_FOUND, 'No read with that id'),
});

@ApiTags('reads')
@ApiBearerAuth()
@Controller('api/reads')
export class ReadController {
  constructor(private readonly reads: ReadService) {}

  @Post()
  @Roles(...REQUESTERS)
  @ApiOperation({ summary: 'Order a county read of an X-ray or ECG (基层检查 + 上级诊断)' })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: true,
    description: 'Retries with the same key and body order one read',
  })
  async order(
    @CurrentPrincipal() principal: Principal,
    @Headers('idempotency-key') key: string | undefined,
    @Body() dto: OrderReadDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    const result = await this.reads.order(principal, dto, requireIdempotencyKey(key));
    res.status(result.status);
    if (result.replayed) res.setHeader('Idempotent-Replayed', 'true');
    return result.body;
  }

  @Get()
  @Roles(...READERS)
  @ApiOperation({ summary: 'The county worklist (priority, then deadline), or the reads this institution asked for' })
  @ApiHeader({ name: 'X-Access-Reason', required: false, description: 'Why the data is read (audit log)' })
  list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListReadsQuery,
    @Req() req: Request,
    @AccessReason() reason?: string,
  ) {
    return this.reads.list(principal, query, accessContext(req, reason, 'worklist'));
  }

  @Get(':id')
  @Roles(...READERS)
  @ApiOperation({ summary: 'One read with its studies and its reports (original and addenda)' })
  @ApiHeader({ name: 'X-Access-Reason', required: false, description: 'Why the data is read (audit log)' })
  get(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Req() req: Request,
    @AccessReason() reason?: string,
  ) {
    return this.reads.get(principal, id, accessContext(req, reason, 'care'));
  }

  @Post(':id/claim')
  @HttpCode(200)
  @Roles(Role.CountySpecialist)
  @ApiOperation({ summary: 'Take the read (exclusive); the claim lapses if no report follows in time' })
  claim(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string) {
    return this.reads.claim(principal, id);
  }

  @Post(':id/assign')
  @HttpCode(200)
  @Roles(Role.CountySpecialist, Role.GroupAdmin)
  @ApiOperation({
    summary: '指派: the department head (or the group admin) gives the read to a specialist of its department',
  })
  assign(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string, @Body() dto: AssignReadDto) {
    return this.reads.assign(principal, id, dto.readerId, dto.reason);
  }

  @Post(':id/release')
  @HttpCode(200)
  @Roles(Role.CountySpecialist)
  @ApiOperation({ summary: 'Give a claimed read back to the worklist' })
  release(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string, @Body() dto: ReleaseReadDto) {
    return this.reads.release(principal, id, dto.reason);
  }

  @Post(':id/report')
  @HttpCode(200)
  @Roles(Role.CountySpecialist)
  @ApiOperation({ summary: 'Sign the report (findings, impression, 治疗方案, optional 危急值), or an addendum to it' })
  report(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string, @Body() dto: ReportReadDto) {
    return this.reads.report(principal, id, dto);
  }
}
