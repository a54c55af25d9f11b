import type * as fhir4 from 'fhir/r4';
import { Controller, Get, Header, Param, ParseUUIDPipe, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { accessContext, AccessReason, CurrentPrincipal, Principal, Role, Roles } from '@countylink/auth';
import { CommonErrorCode, DomainException, FHIR_JSON, fhirCount, isUuid, searchset } from '@countylink/platform';
import { AppointmentChangesService } from '../appointments/appointment-changes.service';
import { SchedulingErrorCode } from '../scheduling.exception';
import { BOOKERS } from '../scheduling-roles';
import { ScheduleService } from '../schedules/schedule.service';
import type { ScheduleView } from '../schedules/schedule.view';
import { toAppointment } from './appointment-fhir.mapper';
import { parseSlotId, toSchedule, toSlot, toSlots } from './slot-fhir.mapper';

const scheduleUuid = new ParseUUIDPipe({
  exceptionFactory: () => new DomainException(SchedulingErrorCode.SCHEDULE_NOT_FOUND, 'No schedule with that id'),
});
const appointmentUuid = new ParseUUIDPipe({
  exceptionFactory: () => new DomainException(SchedulingErrorCode.APPOINTMENT_NOT_FOUND, 'No appointment with that id'),
});

/**
 * Read-only FHIR R4 views of schedules, their pools and appointments, for an HIS or a regional
 * platform; each answers exactly what the matching `/api` route answers the same caller.
 *
 * Mapping: a schedule is a `Schedule`; each of its two pools is one `Slot` with the stable id
 * `<scheduleId>-reserved` / `<scheduleId>-general`, spanning the schedule's start and end. A pool
 * holds several places, so the Slot's status says whether one can be booked now (`free`), all are
 * taken (`busy`) or the pool takes no booking now (`busy-unavailable`: not open yet, started,
 * reserve released); the counts are in the `slot-places` extension and the comment. An
 * appointment points to the Slot of the pool it took and to its referral's ServiceRequest.
 */
@ApiTags('fhir')
@ApiBearerAuth()
@Controller('fhir')
export class SchedulingFhirController {
  constructor(
    private readonly schedules: ScheduleService,
    private readonly changes: AppointmentChangesService,
  ) {}

  @Get('Schedule/:id')
  @Header('Content-Type', FHIR_JSON)
  @ApiOperation({ summary: 'A schedule (clinic session, ward beds, exam slots) as a FHIR R4 Schedule' })
  async schedule(@Param('id', scheduleUuid) id: string): Promise<fhir4.Schedule> {
    return toSchedule(await this.schedules.get(id));
  }

  @Get('Slot/:id')
  @Header('Content-Type', FHIR_JSON)
  @ApiOperation({
    summary: 'One pool of a schedule (`<scheduleId>-reserved` or `<scheduleId>-general`) as a FHIR R4 Slot',
  })
  async slot(@Param('id') id: string): Promise<fhir4.Slot> {
    const ref = parseSlotId(id);
    if (!ref) throw new DomainException(SchedulingErrorCode.SCHEDULE_NOT_FOUND, 'No slot with that id');
    return toSlot(await this.schedules.get(ref.scheduleId), ref.pool);
  }

  @Get('Slot')
  @Header('Content-Type', FHIR_JSON)
  @ApiOperation({
    summary:
      'Search: the Slots of one schedule (`schedule=Schedule/<id>`), or of the schedules still to come, as a searchset Bundle',
  })
  @ApiQuery({ name: 'schedule', required: false })
  @ApiQuery({ name: '_count', required: false, description: 'Schedules (two Slots each) when no schedule is named' })
  async searchSlots(
    @Req() req: Request,
    @Query('schedule') schedule?: string | string[],
    @Query('_count') count?: string | string[],
  ): Promise<fhir4.Bundle> {
    let found: ScheduleView[];
    if (Array.isArray(schedule)) throw new DomainException(CommonErrorCode.VALIDATION_FAILED, 'Name one schedule');
    if (schedule !== undefined) {
      // A reference search matches `Schedule/<id>` and the bare id; an unknown schedule matches nothing.
      const id = schedule.replace(/^Schedule\//, '');
      found = isUuid(id) ? await this.oneOrNone(id) : [];
    } else {
      found = (await this.schedules.list({ limit: fhirCount(count) }, new Date())).items;
    }
    return searchset(req, found.flatMap(toSlots));
  }

  @Get('Appointment/:id')
  @Roles(...BOOKERS, Role.GroupAdmin)
  @Header('Content-Type', FHIR_JSON)
  @ApiOperation({
    summary: 'An appointment as a FHIR R4 Appointment (the booking and the providing institution see it)',
  })
  @ApiHeader({ name: 'X-Access-Reason', required: false, description: 'Why the data is read (audit log)' })
  async appointment(
    @CurrentPrincipal() p: Principal,
    @Param('id', appointmentUuid) id: string,
    @Req() req: Request,
    @AccessReason() reason?: string,
  ): Promise<fhir4.Appointment> {
    return toAppointment(await this.changes.get(p, id, accessContext(req, reason, 'fhir')));
  }

  private async oneOrNone(id: string): Promise<ScheduleView[]> {
    try {
      return [await this.schedules.get(id)];
    } catch (err) {
      if (err instanceof DomainException && err.code === SchedulingErrorCode.SCHEDULE_NOT_FOUND) return [];
      throw err;
    }
  }
}
