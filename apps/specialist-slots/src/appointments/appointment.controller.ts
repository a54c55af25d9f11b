import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { accessContext, AccessReason, CurrentPrincipal, Principal, Role, Roles } from '@countylink/auth';
import { requireIdempotencyKey } from '@countylink/persistence';
import { DomainException } from '@countylink/platform';
import { SchedulingErrorCode } from '../scheduling.exception';
import { BOOKERS, PROVIDERS } from '../scheduling-roles';
import { AppointmentChangesService } from './appointment-changes.service';
import { AppointmentListService } from './appointment-list.service';
import { BookingService } from './booking.service';
import { AppointmentNoteDto, BookAppointmentDto, CancelAppointmentDto } from './dtos/book-appointment.dto';
import { ListAppointmentsQuery } from './dtos/list-appointments.query';

const uuid = new ParseUUIDPipe({
  exceptionFactory: () => new DomainException(SchedulingErrorCode.APPOINTMENT_NOT_FOUND, 'No appointment with that id'),
});

@ApiTags('appointments')
@ApiBearerAuth()
@Controller('api/appointments')
export class AppointmentController {
  constructor(
    private readonly booking: BookingService,
    private readonly changes: AppointmentChangesService,
    private readonly appointments: AppointmentListService,
  ) {}

  @Post()
  @Roles(...BOOKERS)
  @ApiOperation({
    summary:
      'Book a place in the reserved pool (family doctor, open referral) or the general pool; 409 with alternatives when full',
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: true,
    description: 'Retries with the same key and body book one place',
  })
  async book(
    @CurrentPrincipal() principal: Principal,
    @Headers('idempotency-key') key: string | undefined,
    @Body() dto: BookAppointmentDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    const result = await this.booking.book(principal, dto, requireIdempotencyKey(key));
    res.status(result.status);
    if (result.replayed) res.setHeader('Idempotent-Replayed', 'true');
    return result.body;
  }

  @Get()
  @Roles(...BOOKERS, Role.GroupAdmin)
  @ApiOperation({
    summary: 'Appointments this institution booked or provides, soonest session first, each with its schedule',
  })
  @ApiHeader({ name: 'X-Access-Reason', required: false, description: 'Why the data is read (audit log)' })
  list(
    @CurrentPrincipal() p: Principal,
    @Query() query: ListAppointmentsQuery,
    @Req() req: Request,
    @AccessReason() reason?: string,
  ) {
    return this.appointments.list(p, query, accessContext(req, reason, 'bookings'));
  }

  @Get(':id')
  @Roles(...BOOKERS, Role.GroupAdmin)
  @ApiHeader({ name: 'X-Access-Reason', required: false, description: 'Why the data is read (audit log)' })
  get(
    @CurrentPrincipal() p: Principal,
    @Param('id', uuid) id: string,
    @Req() req: Request,
    @AccessReason() reason?: string,
  ) {
    return this.changes.get(p, id, accessContext(req, reason, 'care'));
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Roles(...BOOKERS)
  @ApiOperation({ summary: 'Give the place back (to a waiting referral first, for a reserved place)' })
  cancel(@CurrentPrincipal() p: Principal, @Param('id', uuid) id: string, @Body() dto: CancelAppointmentDto) {
    return this.changes.change(p, id, 'cancel', dto.reason);
  }

  @Post(':id/no-show')
  @HttpCode(200)
  @Roles(...PROVIDERS)
  noShow(@CurrentPrincipal() p: Principal, @Param('id', uuid) id: string, @Body() dto: AppointmentNoteDto) {
    return this.changes.change(p, id, 'no-show', dto.note);
  }

  @Post(':id/attend')
  @HttpCode(200)
  @Roles(...PROVIDERS)
  @ApiOperation({
    summary: 'The patient was seen (counts for the KPI of referred patients seen within the reservation)',
  })
  attend(@CurrentPrincipal() p: Principal, @Param('id', uuid) id: string, @Body() dto: AppointmentNoteDto) {
    return this.changes.change(p, id, 'attend', dto.note);
  }
}
