import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import { DirectoryService } from './directory.service';

@ApiTags('directory')
@ApiBearerAuth()
@Controller('api')
export class DirectoryController {
  constructor(private readonly directory: DirectoryService) {}

  /** The group's institutions with their departments: where a referral can go. */
  @Get('directory/institutions')
  institutions() {
    return this.directory.listInstitutions();
  }

  @Get('directory/members')
  @ApiQuery({ name: 'institutionId', required: false })
  members(@Query('institutionId') institutionId?: string) {
    return this.directory.listMembers(institutionId);
  }

  /** Diagnoses township centres treat; an up-referral for one of them needs a justification. */
  @Get('catalogs/township')
  townshipCatalog() {
    return this.directory.townshipCatalog();
  }
}
