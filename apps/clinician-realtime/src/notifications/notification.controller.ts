import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { CurrentPrincipal, Principal } from '@countylink/auth';
import { recordAudit } from '@countylink/persistence';
import { DomainException } from '@countylink/platform';
import { AckAlertDto } from '../alerts/ack-alert.dto';
import { AlertService } from '../alerts/alert.service';
import { REALTIME_DATA_SOURCE } from '../clinician-realtime.constants';
import { RealtimeErrorCode } from '../clinician-realtime.exception';
import { MemberRooms } from '../rooms/member-rooms.service';
import { Cursor, decodeCursor, encodeCursor, InvalidCursorError, positionsIn } from './notification-cursor';
import { advance, NotificationLog } from './notification-log.repository';
import { ListNotificationsQuery } from './list-notifications.query';

function cursorParam(name: string, token: string | undefined): Cursor | undefined {
  try {
    return token === undefined ? undefined : decodeCursor(token);
  } catch (err) {
    if (err instanceof InvalidCursorError)
      throw new DomainException(RealtimeErrorCode.INVALID_CURSOR, `${name}: ${err.message}`);
    throw err;
  }
}

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('api')
export class NotificationController {
  constructor(
    @InjectDataSource(REALTIME_DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly memberRooms: MemberRooms,
    private readonly log: NotificationLog,
    private readonly alerts: AlertService,
  ) {}

  /** The caller's notifications after a cursor, oldest first: what a reconnect did not replay. */
  @Get('notifications')
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListNotificationsQuery) {
    const after = cursorParam('after', query.after);
    const until = cursorParam('until', query.until);
    return this.dataSource.transaction(async (manager) => {
      const rooms = await this.memberRooms.of(manager, principal);
      const from = positionsIn(rooms, after ?? {}, 0);
      const { frames, more } = await this.log.missed(manager, rooms, from, query.limit ?? 100, until);
      if (frames.length > 0) {
        await recordAudit(manager, principal, {
          action: 'notification.list',
          resourceType: 'notification',
          resourceIds: frames.map((f) => f.id),
          reason: 'notification inbox',
        });
      }
      return { items: frames, more, next: encodeCursor(advance(from, frames)) };
    });
  }

  /** The open alerts that reached the caller, oldest first; the socket keeps them current from there. */
  @Get('alerts')
  async openAlerts(@CurrentPrincipal() principal: Principal) {
    return { items: await this.alerts.openFor(principal) };
  }

  /** Acknowledges an alert (the same as the socket's `ack`), for clients without a socket. */
  @Post('alerts/:id/ack')
  @HttpCode(200)
  ack(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() body: AckAlertDto) {
    return this.alerts.acknowledge(principal, id, body?.readBack);
  }
}
