import { createServer, Server as HttpServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { Namespace, Server } from 'socket.io';

export const BENCH_ROOM = 'department:county-hospital:cardiology';

/** The baseline: a bare Socket.IO server whose clients all sit in one room. */
export class BareServer {
  private constructor(
    private readonly http: HttpServer,
    private readonly io: Server,
    readonly nsp: Namespace,
    readonly url: string,
  ) {}

  static async start(): Promise<BareServer> {
    const http = createServer();
    const io = new Server(http, { serveClient: false, transports: ['websocket'] });
    const nsp = io.of('/clinician');
    nsp.on('connection', (socket) => {
      void socket.join(BENCH_ROOM);
      socket.emit('ready', {});
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    return new BareServer(http, io, nsp, `http://127.0.0.1:${(http.address() as AddressInfo).port}/clinician`);
  }

  emit(frame: { type: string }): void {
    this.nsp.to(BENCH_ROOM).emit(frame.type, { ...frame, at: new Date().toISOString() });
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.io.close(() => resolve()));
    this.http.close();
  }
}
