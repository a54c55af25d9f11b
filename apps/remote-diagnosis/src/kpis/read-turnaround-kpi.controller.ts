import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Role, Roles } from '@countylink/auth';
import { ReadTurnaroundQuery } from './read-turnaround.query';
import { ReadTurnaroundKpiService } from './read-turnaround-kpi.service';

@ApiTags('kpis')
@ApiBearerAuth()
@Controller('api/kpis')
export class ReadTurnaroundKpiController {
  constructor(private readonly turnaround: ReadTurnaroundKpiService) {}

  @Get('read-turnaround')
  // The group's management office: readers and requesters see their own reads, not the group's figures.
  @Roles(Role.GroupAdmin)
  @ApiOperation({
    summary:
      'Reads ready on the Beijing days from–to, per modality and requesting institution: reported, within deadline, overdue and open, p50/p90 minutes ready → report',
  })
  readTurnaround(@Query() query: ReadTurnaroundQuery) {
    return this.turnaround.report(query);
  }
}
