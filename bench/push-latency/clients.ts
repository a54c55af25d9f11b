/**
 * The benchmark's clinicians, in a process of their own so that their parsing does not share the
 * server's event loop. Driven over IPC: connect N sockets, record each notification's latency
 * (receipt − the frame's `at`), report.
 */
import { io, Socket } from 'socket.io-client';

type Command =
  { kind: 'connect'; url: string; tokens: string[] } | { kind: 'reset' } | { kind: 'report' } | { kind: 'close' };

const sockets: Socket[] = [];
let latencies: number[] = [];
let first = Infinity;
let last = 0;

const now = () => performance.timeOrigin + performance.now();

function record(frame: { type?: string; at?: string }): void {
  if (!frame?.type?.startsWith('referral.') || !frame.at) return;
  const t = now();
  latencies.push(t - Date.parse(frame.at));
  first = Math.min(first, t);
  last = Math.max(last, t);
}

async function connectAll(url: string, tokens: string[]): Promise<void> {
  for (let i = 0; i < tokens.length; i += 50) {
    await Promise.all(
      tokens.slice(i, i + 50).map(
        (token) =>
          new Promise<void>((resolve, reject) => {
            const socket = io(url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
            socket.onAny((_event: string, frame: { type?: string; at?: string }) => record(frame));
            socket.once('ready', () => resolve());
            socket.once('connect_error', reject);
            sockets.push(socket);
          }),
      ),
    );
  }
}

process.on('message', (command: Command) => {
  void (async () => {
    if (command.kind === 'connect') {
      await connectAll(command.url, command.tokens);
      process.send!({ kind: 'connected', count: sockets.length });
    } else if (command.kind === 'reset') {
      latencies = [];
      first = Infinity;
      last = 0;
      process.send!({ kind: 'reset' });
    } else if (command.kind === 'report') {
      process.send!({ kind: 'report', latencies, first, last });
    } else {
      for (const s of sockets.splice(0)) s.close();
      process.send!({ kind: 'closed' });
    }
  })().catch((err: unknown) => process.send!({ kind: 'error', message: String(err) }));
});
