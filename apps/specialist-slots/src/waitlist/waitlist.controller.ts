import { Body, Controller, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@countylink/auth';
import { BOOKERS } from '../scheduling-roles';
import { JoinWaitlistDto } from './dtos/join-waitlist.dto';
import { WaitlistService } from './waitlist.service';

@ApiTags('waitlist')
@ApiBearerAuth()
@Controller('api/waitlist')
export class WaitlistController {
  constructor(private readonly waitlist: WaitlistService) {}

  @Post()
  @Roles(...BOOKERS)
  @ApiOperation({
    summary:
      'Wait for a reserved place of a full schedule; the next cancelled reserved place is booked for the first in line',
  })
  join(@CurrentPrincipal() principal: Principal, @Body() dto: JoinWaitlistDto) {
    return this.waitlist.join(principal, dto.scheduleId, dto.referralId);
  }
}
