import { BeforeApplicationShutdown, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { OnGatewayConnection, OnGatewayInit, WebSocketGateway } from '@nestjs/websockets';
import type { Namespace, Socket } from 'socket.io';
import { DataSource } from 'typeorm';
import { InvalidTokenError, Principal, TokenVerifier } from '@countylink/auth';
import { recordAudit } from '@countylink/persistence';
import { DomainException, userMessageOfCode } from '@countylink/platform';
import { AlertService } from '../alerts/alert.service';
import { CLINICIAN_NAMESPACE, REALTIME_DATA_SOURCE } from '../clinician-realtime.constants';
import { Cursor, InvalidCursorError, parseCursor } from '../notifications/notification-cursor';
import { NotificationReplay } from '../notifications/notification-replay.service';
import {
  AckResult,
  ClientToServerEvents,
  frameOf,
  NotificationFrame,
  RecordedNotification,
  ServerToClientEvents,
} from '../notifications/notification-types';
import { LivePush } from '../push/live-push.service';
import { PostgresSocketAdapter } from '../push/postgres-socket.adapter';
import { PushHealth } from '../push/push-health.indicator';
import { DirectoryChange } from '../push/push-messages';
import { MemberRooms } from '../rooms/member-rooms.service';
import { Rooms, Scope } from '../rooms/rooms';
import { coalesceWrites } from './coalesced-writes';
import { DeliverySession } from './delivery-session';
import { PushAudit } from './push-audit';
import { SocketLifetimes } from './socket-lifetimes';

interface SocketData {
  principal: Principal;
  /** Epoch ms of the token's `exp`: the socket is closed then. */
  expiresAt: number;
  rooms: Scope[];
  lastSeen?: Cursor;
  session?: DeliverySession;
}

type ClinicianNamespace = Namespace<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type ClinicianSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/** Sockets still between replay and live: left out of broadcasts, served one by one. */
const CATCHING_UP = '~catching-up';

function refusal(code: string, message: string): Error {
  return Object.assign(new Error(message), { data: { code } });
}

/**
 * The `/clinician` namespace. The handshake token is verified in namespace middleware, before any
 * room is joined; rooms come from the token and the directory replica, never from the client, and
 * are looked at again when the directory changes the person. A socket lives as long as its token:
 * at `exp` the server closes it, and the client comes back with a renewed one and its cursor. A
 * client can send one thing: `ack` for an alert. Every frame sent is audited.
 */
@WebSocketGateway({ namespace: CLINICIAN_NAMESPACE, serveClient: false, cors: { origin: true } })
export class ClinicianGateway
  implements OnGatewayInit<ClinicianNamespace>, OnGatewayConnection<ClinicianSocket>, BeforeApplicationShutdown
{
  private readonly logger = new Logger(ClinicianGateway.name);
  private nsp: ClinicianNamespace;
  private readonly audit: PushAudit;
  private readonly lifetimes = new SocketLifetimes<ClinicianSocket>(
    (socket) => socket.data.expiresAt,
    (socket) => this.expire(socket),
  );

  constructor(
    @InjectDataSource(REALTIME_DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly verifier: TokenVerifier,
    private readonly memberRooms: MemberRooms,
    private readonly replay: NotificationReplay,
    private readonly push: LivePush,
    private readonly health: PushHealth,
    private readonly adapter: PostgresSocketAdapter,
    private readonly alerts: AlertService,
  ) {
    this.audit = new PushAudit(dataSource);
  }

  afterInit(nsp: ClinicianNamespace): void {
    this.nsp = nsp;
    nsp.server.adapter(this.adapter.factory());
    nsp.use((socket, next) => {
      this.authenticate(socket).then(
        () => next(),
        (err: Error) => next(err),
      );
    });
    this.push.listen(
      nsp as unknown as Namespace,
      (notifications) => this.dispatch(notifications),
      (change) => void this.directoryChanged(change),
    );
    this.health.start(nsp as unknown as Namespace);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.lifetimes.stop();
    await this.audit.flush();
  }

  private async authenticate(socket: ClinicianSocket): Promise<void> {
    const auth = (socket.handshake.auth ?? {}) as { token?: unknown; lastSeen?: unknown };
    if (typeof auth.token !== 'string' || auth.token.length === 0)
      throw refusal('UNAUTHENTICATED', 'A token is required: connect with auth: { token }');
    let principal: Principal;
    let expiresAt: number;
    try {
      const verified = await this.verifier.verifyToken(auth.token);
      [principal, expiresAt] = [verified.principal, verified.expiresAt.getTime()];
    } catch (err) {
      if (err instanceof InvalidTokenError) throw refusal('UNAUTHENTICATED', err.message);
      throw err;
    }
    // No clock tolerance here: a socket opened with a token past its exp would be closed at once.
    if (expiresAt <= Date.now()) throw refusal('UNAUTHENTICATED', 'token has expired');
    let lastSeen: Cursor | undefined;
    try {
      lastSeen = auth.lastSeen === undefined || auth.lastSeen === null ? undefined : parseCursor(auth.lastSeen);
    } catch (err) {
      if (err instanceof InvalidCursorError) throw refusal('NOTIFICATION_INVALID_CURSOR', `lastSeen: ${err.message}`);
      throw err;
    }
    if (!(await this.health.whenHealthy(5_000)))
      throw refusal('UNAVAILABLE', 'Live updates are not available on this server right now; retry');
    const rooms = await this.memberRooms.of(this.dataSource.manager, principal);
    socket.data = { principal, expiresAt, rooms, lastSeen };
  }

  /** Replay what was missed, then hand over to live delivery without a gap or a repeat. */
  async handleConnection(socket: ClinicianSocket): Promise<void> {
    const { principal, rooms, lastSeen } = socket.data;
    if (this.lifetimes.expired(socket)) return this.expire(socket);
    this.lifetimes.track(socket);
    socket.on('disconnect', () => this.lifetimes.untrack(socket));
    coalesceWrites(socket.conn as unknown as Parameters<typeof coalesceWrites>[0]);
    const session = new DeliverySession((frame) => this.emit(socket, frame));
    socket.data.session = session;
    socket.join([...rooms, CATCHING_UP]);
    socket.on('ack', (request, reply) => void this.onAck(socket, request, reply));
    try {
      const { frames, ready, cursor } = await this.replay.replay(principal, rooms, lastSeen);
      if (socket.disconnected) return;
      // Audited by the replay, in the snapshot it read them from.
      for (const frame of frames) this.emit(socket, frame, false);
      socket.emit('ready', ready);
      session.catchUp(cursor);
      if ((await this.push.barrier()) && socket.connected) {
        socket.leave(CATCHING_UP);
        session.goLive();
      }
    } catch (err) {
      this.logger.error(
        { err, sub: principal.sub },
        'replay failed; closing the connection so that the client retries',
      );
      socket.disconnect(true);
    }
  }

  /** The token ran out: nothing more goes to this socket; the client reconnects with a renewed one. */
  private expire(socket: ClinicianSocket): void {
    this.lifetimes.untrack(socket);
    socket.disconnect(true);
  }

  /** Pushed notifications (from any instance) to this instance's sockets, each once, via its first room. */
  private dispatch(notifications: RecordedNotification[]): void {
    // A timer can fire late; a token that ran out before this push must not receive it.
    this.lifetimes.sweep(this.nsp.sockets.values());
    for (const n of notifications) {
      const earlier: string[] = [CATCHING_UP];
      for (const delivery of n.deliveries) {
        const frame = frameOf(n, delivery);
        this.auditBroadcast(delivery.scope, earlier, n.id);
        (
          this.nsp.local.to(delivery.scope).except(earlier) as unknown as {
            emit: (ev: string, f: NotificationFrame) => void;
          }
        ).emit(n.type, frame);
        earlier.push(delivery.scope);
      }
      for (const id of this.nsp.adapter.rooms.get(CATCHING_UP) ?? []) {
        const socket = this.nsp.sockets.get(id);
        const delivery = socket && n.deliveries.find((d) => socket.rooms.has(d.scope));
        if (delivery) socket.data.session?.offer(frameOf(n, delivery));
      }
    }
  }

  /** The sockets a room broadcast reaches (those not reached through an earlier room), for the audit. */
  private auditBroadcast(scope: Scope, earlier: string[], notificationId: string): void {
    for (const id of this.nsp.adapter.rooms.get(scope) ?? []) {
      const socket = this.nsp.sockets.get(id);
      if (socket && !earlier.some((room) => socket.rooms.has(room)))
        this.audit.sent(socket.id, socket.data.principal, notificationId);
    }
  }

  private emit(socket: ClinicianSocket, frame: NotificationFrame, audit = true): void {
    if (this.lifetimes.expired(socket)) return this.expire(socket);
    if (audit) this.audit.sent(socket.id, socket.data.principal, frame.id);
    (socket as unknown as { emit: (ev: string, f: NotificationFrame) => void }).emit(frame.type, frame);
  }

  /**
   * The directory moved a person (or changed an institution's departments): sockets whose rooms
   * are no longer what the directory says are closed, and reconnect into the right ones — resuming
   * from their cursor in the rooms they keep, from now in rooms they join.
   */
  private async directoryChanged(change: DirectoryChange): Promise<void> {
    const room = change.memberId
      ? Rooms.user(change.memberId)
      : change.institutionId
        ? Rooms.institution(change.institutionId)
        : undefined;
    if (!room) return;
    for (const id of [...(this.nsp.adapter.rooms.get(room) ?? [])]) {
      const socket = this.nsp.sockets.get(id);
      if (!socket) continue;
      try {
        const rooms = await this.memberRooms.of(this.dataSource.manager, socket.data.principal);
        if (rooms.join('\n') !== socket.data.rooms.join('\n')) socket.disconnect(true);
      } catch (err) {
        this.logger.warn(
          { err, sub: socket.data.principal.sub },
          'could not recompute rooms after a directory change; closing the connection',
        );
        socket.disconnect(true);
      }
    }
  }

  private async onAck(socket: ClinicianSocket, request: unknown, reply: unknown): Promise<void> {
    const answer = typeof reply === 'function' ? (reply as (r: AckResult) => void) : () => undefined;
    // The same error shape as HTTP: the developer's message and the registered sentence for the clinician.
    const refused = (code: string, message: string): AckResult => ({
      ok: false,
      error: { code, message, userMessage: userMessageOfCode(code) },
    });
    if (this.lifetimes.expired(socket)) {
      answer(refused('UNAUTHENTICATED', 'token has expired: reconnect with a renewed token'));
      return this.expire(socket);
    }
    const { alertId, readBack } = (request ?? {}) as { alertId?: unknown; readBack?: unknown };
    if (
      typeof alertId !== 'string' ||
      alertId.length > 64 ||
      (readBack !== undefined && (typeof readBack !== 'string' || readBack.length > 500))
    ) {
      return answer(refused('VALIDATION_FAILED', 'ack takes { alertId, readBack? } (read-back up to 500 characters)'));
    }
    try {
      answer({ ok: true, ...(await this.alerts.acknowledge(socket.data.principal, alertId, readBack)) });
    } catch (err) {
      if (err instanceof DomainException) {
        if (err.code.endsWith('NOT_FOUND')) await this.auditRefusal(socket, alertId);
        return answer(refused(err.code, err.message));
      }
      this.logger.error({ err, alertId }, 'ack failed');
      answer(refused('INTERNAL', 'Internal error'));
    }
  }

  /** An alert another institution's socket could not find: recorded like a refused HTTP read. */
  private async auditRefusal(socket: ClinicianSocket, alertId: string): Promise<void> {
    await recordAudit(this.dataSource.manager, socket.data.principal, {
      action: 'access.refused',
      resourceType: 'alert',
      resourceId: alertId,
      reason: 'socket ack: not found or not visible',
    }).catch((err: unknown) => this.logger.error({ err }, 'could not audit a refused ack'));
  }
}
