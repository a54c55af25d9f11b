import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { accessContext, AccessReason, CurrentPrincipal, Principal, Role, Roles } from '@countylink/auth';
import { requireIdempotencyKey } from '@countylink/persistence';
import { CommonErrorCode, DomainException } from '@countylink/platform';
import { CreateReferralDto } from './dtos/create-referral.dto';
import { ListReferralsQuery } from './dtos/list-referrals.query';
import { ReasonedTransitionDto, TransitionDto } from './dtos/transition.dto';
import { ReferralService } from './referral.service';

const SENDERS = [
  Role.TownshipDoctor,
  Role.FamilyDoctor,
  Role.CountySpecialist,
  Role.ReferralCoordinator,
  Role.HisSystem,
];
const ACTORS = SENDERS;
const READERS = [...SENDERS, Role.GroupAdmin];

const uuid = new ParseUUIDPipe({
  exceptionFactory: () => new DomainException(CommonErrorCode.NOT_FOUND, 'No referral with that id'),
});

@ApiTags('referrals')
@ApiBearerAuth()
@Controller('api/referrals')
export class ReferralController {
  constructor(private readonly referrals: ReferralService) {}

  @Post()
  @Roles(...SENDERS)
  @ApiOperation({ summary: 'Refer a patient up (to the county) or down (back to primary care)' })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: true,
    description: 'Retries with the same key and body create one referral',
  })
  async create(
    @CurrentPrincipal() principal: Principal,
    @Headers('idempotency-key') key: string | undefined,
    @Body() dto: CreateReferralDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    const result = await this.referrals.create(principal, dto, requireIdempotencyKey(key));
    res.status(result.status);
    if (result.replayed) res.setHeader('Idempotent-Replayed', 'true');
    return result.body;
  }

  @Get()
  @Roles(...READERS)
  @ApiOperation({ summary: 'Referrals this institution sent or received, newest first, cursor-paginated' })
  @ApiHeader({ name: 'X-Access-Reason', required: false, description: 'Why the data is read (audit log)' })
  list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListReferralsQuery,
    @Req() req: Request,
    @AccessReason() reason?: string,
  ) {
    return this.referrals.list(principal, query, accessContext(req, reason, 'worklist'));
  }

  @Get(':id')
  @Roles(...READERS)
  @ApiOperation({ summary: 'One referral with its full history' })
  @ApiHeader({ name: 'X-Access-Reason', required: false, description: 'Why the data is read (audit log)' })
  get(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Req() req: Request,
    @AccessReason() reason?: string,
  ) {
    return this.referrals.get(principal, id, accessContext(req, reason, 'care'));
  }

  @Post(':id/receive')
  @HttpCode(200)
  @Roles(...ACTORS)
  receive(@CurrentPrincipal() p: Principal, @Param('id', uuid) id: string, @Body() dto: TransitionDto) {
    return this.referrals.transition(p, id, 'receive', dto.note);
  }

  @Post(':id/accept')
  @HttpCode(200)
  @Roles(...ACTORS)
  accept(@CurrentPrincipal() p: Principal, @Param('id', uuid) id: string, @Body() dto: TransitionDto) {
    return this.referrals.transition(p, id, 'accept', dto.note);
  }

  @Post(':id/reject')
  @HttpCode(200)
  @Roles(...ACTORS)
  reject(@CurrentPrincipal() p: Principal, @Param('id', uuid) id: string, @Body() dto: ReasonedTransitionDto) {
    return this.referrals.transition(p, id, 'reject', dto.reason);
  }

  @Post(':id/arrive')
  @HttpCode(200)
  @Roles(...ACTORS)
  arrive(@CurrentPrincipal() p: Principal, @Param('id', uuid) id: string, @Body() dto: TransitionDto) {
    return this.referrals.transition(p, id, 'arrive', dto.note);
  }

  @Post(':id/complete')
  @HttpCode(200)
  @Roles(...ACTORS)
  complete(@CurrentPrincipal() p: Principal, @Param('id', uuid) id: string, @Body() dto: TransitionDto) {
    return this.referrals.transition(p, id, 'complete', dto.note);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Roles(...ACTORS)
  cancel(@CurrentPrincipal() p: Principal, @Param('id', uuid) id: string, @Body() dto: ReasonedTransitionDto) {
    return this.referrals.transition(p, id, 'cancel', dto.reason);
  }
}
