import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@countylink/auth';
import { KPI_READERS } from '../scheduling-roles';
import { ReservedCapacityQuery } from './dtos/reserved-capacity.query';
import { ReservedCapacityKpiService } from './reserved-capacity-kpi.service';

@ApiTags('kpis')
@ApiBearerAuth()
@Controller('api/kpis')
export class KpiController {
  constructor(private readonly kpis: ReservedCapacityKpiService) {}

  @Get('reserved-capacity')
  @Roles(...KPI_READERS)
  @ApiOperation({
    summary:
      'Per department and resource kind: reserved, booked through referral, released unused, share of referred patients seen within the reservation',
  })
  reservedCapacity(@Query() query: ReservedCapacityQuery) {
    return this.kpis.report(query);
  }
}
