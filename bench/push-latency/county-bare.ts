import { createServer, Server as HttpServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { Namespace, Server } from 'socket.io';

/** A notification as the realtime app recorded it, to emit again from the bare server. */
export interface Recorded {
  id: string;
  type: string;
  /** Epoch ms of its `at` (the event time). */
  at: number;
  subject: { type: string; id: string };
  data: unknown;
  scopes: string[];
}

/**
 * The baseline: a bare Socket.IO server, no database, no Kafka. Each client joins the rooms it names
 * (the ones CountyLink joined it to); a notification goes room by room in its rank order, each
 * socket once (through the first of its rooms), as the gateway sends it — with `at` taken at emit.
 */
export class CountyBareServer {
  private constructor(
    private readonly http: HttpServer,
    private readonly io: Server,
    private readonly nsp: Namespace,
    readonly url: string,
  ) {}

  static async start(): Promise<CountyBareServer> {
    const http = createServer();
    const io = new Server(http, { serveClient: false, transports: ['websocket'] });
    const nsp = io.of('/clinician');
    nsp.on('connection', (socket) => {
      const rooms = Array.isArray(socket.handshake.auth?.rooms) ? (socket.handshake.auth.rooms as string[]) : [];
      void socket.join(rooms);
      socket.emit('ready', { rooms });
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    return new CountyBareServer(http, io, nsp, `http://127.0.0.1:${(http.address() as AddressInfo).port}/clinician`);
  }

  emit(n: Recorded): void {
    const at = new Date().toISOString();
    const earlier: string[] = [];
    for (const scope of n.scopes) {
      this.nsp
        .to(scope)
        .except(earlier)
        .emit(n.type, { id: n.id, scope, seq: 0, type: n.type, at, subject: n.subject, data: n.data });
      earlier.push(scope);
    }
  }

  /** Emits the notifications at the pace they were recorded (their `at` offsets); resolves after the last. */
  async replay(notifications: Recorded[]): Promise<void> {
    if (notifications.length === 0) return;
    const first = notifications[0].at;
    const start = Date.now();
    for (const n of notifications) {
      const wait = start + (n.at - first) - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      this.emit(n);
    }
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.io.close(() => resolve()));
    this.http.close();
  }
}
