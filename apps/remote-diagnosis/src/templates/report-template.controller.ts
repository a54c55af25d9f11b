import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Role, Roles } from '@countylink/auth';
import { DomainException } from '@countylink/platform';
import { DiagnosisErrorCode } from '../diagnosis.exception';
import { ListReportTemplatesQuery, ReportTemplateDto, UpdateReportTemplateDto } from './dtos/report-template.dto';
import { ReportTemplateService } from './report-template.service';

/** Templates hold no patient data: every county reader may use them, whatever their department. */
const TEMPLATE_USERS = [Role.CountySpecialist, Role.GroupAdmin];
const TEMPLATE_KEEPERS = [Role.GroupAdmin];
const uuid = new ParseUUIDPipe({
  exceptionFactory: () =>
    new DomainException(DiagnosisErrorCode.REPORT_TEMPLATE_NOT_FOUND, 'No report template with that id'),
});

@ApiTags('report-templates')
@ApiBearerAuth()
@Controller('api/report-templates')
export class ReportTemplateController {
  constructor(private readonly templates: ReportTemplateService) {}

  @Get()
  @Roles(...TEMPLATE_USERS)
  @ApiOperation({ summary: "The group's report templates (报告模板), by modality then title" })
  list(@Query() query: ListReportTemplatesQuery) {
    return this.templates.list(query.modality);
  }

  @Post()
  @Roles(...TEMPLATE_KEEPERS)
  @ApiOperation({ summary: 'Add a template; its title is unique within the modality' })
  create(@CurrentPrincipal() principal: Principal, @Body() dto: ReportTemplateDto) {
    return this.templates.create(principal, dto);
  }

  @Put(':id')
  @Roles(...TEMPLATE_KEEPERS)
  @ApiOperation({ summary: "Replace a template's modality, title and text, from the version the edit started from" })
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: UpdateReportTemplateDto,
  ) {
    return this.templates.update(principal, id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @Roles(...TEMPLATE_KEEPERS)
  @ApiOperation({ summary: 'Remove a template (signed reports keep their text)' })
  remove(@Param('id', uuid) id: string) {
    return this.templates.remove(id);
  }
}
