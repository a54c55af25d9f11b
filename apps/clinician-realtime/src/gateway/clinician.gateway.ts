import { Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { OnGatewayConnection, OnGatewayInit, WebSocketGateway } from '@nestjs/websockets';
import type { Namespace, Socket } from 'socket.io';
import { DataSource } from 'typeorm';
import { InvalidTokenError, Principal, TokenVerifier } from '@countylink/auth';
import { DomainException } from '@countylink/platform';
import { AlertService } from '../alerts/alert.service';
import { CLINICIAN_NAMESPACE, REALTIME_DATA_SOURCE } from '../clinician-realtime.constants';
import { Cursor, InvalidCursorError, parseCursor } from '../notifications/notification-cursor';
import { NotificationReplay } from '../notifications/notification-replay';
import { AckResult, ClientToServerEvents, frameOf, NotificationFrame, RecordedNotification, ServerToClientEvents } from '../notifications/notification-types';
import { LivePush } from '../push/live-push';
import { PostgresSocketAdapter } from '../push/postgres-socket-adapter';
import { PushHealth } from '../push/push-health';
import { MemberRooms } from '../rooms/member-rooms';
import { Scope } from '../rooms/rooms';
import { DeliverySession } from './delivery-session';

interface SocketData {
  principal: Principal;
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
 * room is joined; rooms come from the token and the directory replica, never from the client. A
 * client can send one thing: `ack` for an alert.
 */
@WebSocketGateway({ namespace: CLINICIAN_NAMESPACE, serveClient: false, cors: { origin: true } })
export class ClinicianGateway implements OnGatewayInit<ClinicianNamespace>, OnGatewayConnection<ClinicianSocket> {
  private readonly logger = new Logger(ClinicianGateway.name);
  private nsp: ClinicianNamespace;

  constructor(
    @InjectDataSource(REALTIME_DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly verifier: TokenVerifier,
    private readonly memberRooms: MemberRooms,
    private readonly replay: NotificationReplay,
    private readonly push: LivePush,
    private readonly health: PushHealth,
    private readonly adapter: PostgresSocketAdapter,
    private readonly alerts: AlertService,
  ) {}

  afterInit(nsp: ClinicianNamespace): void {
    this.nsp = nsp;
    nsp.server.adapter(this.adapter.factory());
    nsp.use((socket, next) => {
      this.authenticate(socket).then(() => next(), (err: Error) => next(err));
    });
    this.push.listen(nsp as unknown as Namespace, (notifications) => this.dispatch(notifications));
    this.health.start(nsp as unknown as Namespace);
  }

  private async authenticate(socket: ClinicianSocket): Promise<void> {
    const auth = (socket.handshake.auth ?? {}) as { token?: unknown; lastSeen?: unknown };
    if (typeof auth.token !== 'string' || auth.token.length === 0) throw refusal('UNAUTHENTICATED', 'A token is required: connect with auth: { token }');
    let principal: Principal;
    try {
      principal = await this.verifier.verify(auth.token);
    } catch (err) {
      if (err instanceof InvalidTokenError) throw refusal('UNAUTHENTICATED', err.message);
      throw err;
    }
    let lastSeen: Cursor | undefined;
    try {
      lastSeen = auth.lastSeen === undefined || auth.lastSeen === null ? undefined : parseCursor(auth.lastSeen);
    } catch (err) {
      if (err instanceof InvalidCursorError) throw refusal('NOTIFICATION_INVALID_CURSOR', `lastSeen: ${err.message}`);
      throw err;
    }
    if (!(await this.health.whenHealthy(5_000))) throw refusal('UNAVAILABLE', 'Live updates are not available on this server right now; retry');
    const rooms = await this.memberRooms.of(this.dataSource.manager, principal);
    socket.data = { principal, rooms, lastSeen };
  }

  /** Replay what was missed, then hand over to live delivery without a gap or a repeat. */
  async handleConnection(socket: ClinicianSocket): Promise<void> {
    const { principal, rooms, lastSeen } = socket.data;
    const session = new DeliverySession((frame) => this.emit(socket, frame));
    socket.data.session = session;
    socket.join([...rooms, CATCHING_UP]);
    socket.on('ack', (request, reply) => void this.onAck(socket, request, reply));
    try {
      const { frames, ready, cursor } = await this.replay.replay(principal, rooms, lastSeen);
      if (socket.disconnected) return;
      for (const frame of frames) this.emit(socket, frame);
      socket.emit('ready', ready);
      session.catchUp(cursor);
      if ((await this.push.barrier()) && socket.connected) {
        socket.leave(CATCHING_UP);
        session.goLive();
      }
    } catch (err) {
      this.logger.error({ err, sub: principal.sub }, 'replay failed; closing the connection so that the client retries');
      socket.disconnect(true);
    }
  }

  /** Pushed notifications (from any instance) to this instance's sockets, each once, via its first room. */
  private dispatch(notifications: RecordedNotification[]): void {
    for (const n of notifications) {
      const earlier: string[] = [CATCHING_UP];
      for (const delivery of n.deliveries) {
        const frame = frameOf(n, delivery);
        (this.nsp.local.to(delivery.scope).except(earlier) as unknown as { emit: (ev: string, f: NotificationFrame) => void }).emit(n.type, frame);
        earlier.push(delivery.scope);
      }
      for (const id of this.nsp.adapter.rooms.get(CATCHING_UP) ?? []) {
        const socket = this.nsp.sockets.get(id);
        const delivery = socket && n.deliveries.find((d) => socket.rooms.has(d.scope));
        if (delivery) socket.data.session?.offer(frameOf(n, delivery));
      }
    }
  }

  private emit(socket: ClinicianSocket, frame: NotificationFrame): void {
    (socket as unknown as { emit: (ev: string, f: NotificationFrame) => void }).emit(frame.type, frame);
  }

  private async onAck(socket: ClinicianSocket, request: unknown, reply: unknown): Promise<void> {
    const answer = typeof reply === 'function' ? (reply as (r: AckResult) => void) : () => undefined;
    const { alertId, readBack } = (request ?? {}) as { alertId?: unknown; readBack?: unknown };
    if (typeof alertId !== 'string' || alertId.length > 64 || (readBack !== undefined && (typeof readBack !== 'string' || readBack.length > 500))) {
      return answer({ ok: false, error: { code: 'VALIDATION_FAILED', message: 'ack takes { alertId, readBack? } (read-back up to 500 characters)' } });
    }
    try {
      answer({ ok: true, ...(await this.alerts.acknowledge(socket.data.principal, alertId, readBack)) });
    } catch (err) {
      if (err instanceof DomainException) return answer({ ok: false, error: { code: err.code, message: err.message } });
      this.logger.error({ err, alertId }, 'ack failed');
      answer({ ok: false, error: { code: 'INTERNAL', message: 'Internal error' } });
    }
  }
}
