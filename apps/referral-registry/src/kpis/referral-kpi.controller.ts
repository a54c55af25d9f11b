import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Role, Roles } from '@countylink/auth';
import { ReferralVolumeQuery } from './referral-volume.query';
import { ReferralVolumeKpiService } from './referral-volume-kpi.service';

@ApiTags('kpis')
@ApiBearerAuth()
@Controller('api/kpis')
export class ReferralKpiController {
  constructor(private readonly volume: ReferralVolumeKpiService) {}

  @Get('referral-volume')
  @Roles(Role.GroupAdmin, Role.ReferralCoordinator)
  @ApiOperation({
    summary:
      'Up- and down-referrals per month (Beijing time) and primary-care institution: total, green channel, rejected, completed',
  })
  referralVolume(@Query() query: ReferralVolumeQuery) {
    return this.volume.report(query);
  }
}
