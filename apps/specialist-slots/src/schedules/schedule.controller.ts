import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, Principal, Roles } from '@countylink/auth';
import { DomainException } from '@countylink/platform';
import { SchedulingErrorCode } from '../scheduling.exception';
import { PUBLISHERS } from '../scheduling-roles';
import { CreateScheduleDto } from './dtos/create-schedule.dto';
import { ListSchedulesQuery } from './dtos/list-schedules.query';
import { ScheduleService } from './schedule.service';

const uuid = new ParseUUIDPipe({
  exceptionFactory: () => new DomainException(SchedulingErrorCode.SCHEDULE_NOT_FOUND, 'No schedule with that id'),
});

@ApiTags('schedules')
@ApiBearerAuth()
@Controller('api')
export class ScheduleController {
  constructor(private readonly schedules: ScheduleService) {}

  @Post('schedules')
  @Roles(...PUBLISHERS)
  @ApiOperation({
    summary: 'Publish a clinic session, a ward bed pool for a day, or exam slots, with its reserved share',
  })
  async publish(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: CreateScheduleDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    const result = await this.schedules.publish(principal, dto);
    res.status(result.status);
    return result.body;
  }

  @Get('schedules')
  @ApiOperation({ summary: 'Schedules, earliest first, with both pools' })
  list(@Query() query: ListSchedulesQuery) {
    return this.schedules.list(query);
  }

  @Get('schedules/:id')
  get(@Param('id', uuid) id: string) {
    return this.schedules.get(id);
  }

  @Get('slots')
  @ApiOperation({ summary: 'Availability per pool of the schedules still to come (reserved and general)' })
  slots(@Query() query: ListSchedulesQuery) {
    return this.schedules.list(query, new Date());
  }
}
