/**
 * A share of the county's clinicians, in a process of their own (see county-pool.ts). Each socket
 * connects with its token, and the rooms the server joined it to come back in its `ready` frame;
 * for the bare server the same clients connect again naming those rooms. Every frame is counted
 * per (client, notification id) with its latency (receipt − the frame's `at`); `analyze` is given
 * the notifications that were due, with their rooms, and answers per kind: frames expected,
 * received, lost, duplicated, and a latency histogram.
 */
import { io, Socket } from 'socket.io-client';
import { add, Histogram } from './histogram';

export interface Due {
  /** Notification id; null when the realtime app never recorded the event. */
  id: string | null;
  kind: string;
  scopes: string[];
  /** Event time → the realtime consumer's transaction start (ms), to time the rest from there; null if unknown. */
  toConsumer: number | null;
}

export interface KindFigures {
  events: number;
  expected: number;
  received: number;
  lost: number;
  duplicated: number;
  unexpected: number;
  histogram: Histogram;
  /** The realtime consumer's transaction start → receipt: recording, NOTIFY to both instances, dispatch, socket. */
  afterConsumer: Histogram;
  max: number;
  /** Epoch ms of the first and the last receipt. */
  first: number;
  last: number;
  /** A few (client, notification) pairs lost or duplicated, to print. */
  samples: string[];
}

type Command =
  | { kind: 'connect'; clients: Array<{ url: string; token: string }> }
  | { kind: 'connect-bare'; url: string }
  | { kind: 'reset' }
  | { kind: 'count' }
  | { kind: 'analyze'; due: Due[] }
  | { kind: 'close' };

interface Client {
  sub: string;
  rooms: string[];
}

let clients: Client[] = [];
let sockets: Socket[] = [];
/** Per notification id: how many times each client got it, and the latencies. */
let receipts = new Map<string, { counts: Uint8Array; latencies: number[]; first: number; last: number }>();
let total = 0;
let failures = 0;

const now = () => performance.timeOrigin + performance.now();

function record(index: number, frame: { id?: string; at?: string }): void {
  if (typeof frame?.id !== 'string' || !frame.at) return;
  const t = now();
  let r = receipts.get(frame.id);
  if (!r) receipts.set(frame.id, (r = { counts: new Uint8Array(clients.length), latencies: [], first: t, last: t }));
  if (r.counts[index] < 255) r.counts[index]++;
  r.last = t;
  r.latencies.push(Math.max(0, t - Date.parse(frame.at)));
  total++;
}

/** Resolves true once the socket has its rooms (its `ready`), false if it was refused or took over 60 s. */
function open(index: number, url: string, auth: object): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = io(url, { auth, transports: ['websocket'], reconnection: false, forceNew: true, timeout: 60_000 });
    const timer = setTimeout(() => done(false, 'no ready frame within 60 s'), 60_000);
    const done = (ok: boolean, why?: string) => {
      clearTimeout(timer);
      if (!ok && failures++ < 5) process.stderr.write(`client ${clients[index].sub} could not connect: ${why}\n`);
      resolve(ok);
    };
    socket.onAny((event: string, frame: { id?: string; at?: string; rooms?: string[] }) => {
      if (event !== 'ready') return record(index, frame);
      clients[index].rooms = frame.rooms ?? [];
      done(true);
    });
    socket.once('connect_error', (err) => done(false, err.message));
    socket.once(
      'disconnect',
      (reason) =>
        reason !== 'io client disconnect' &&
        process.stderr.write(`client ${clients[index].sub} disconnected: ${reason}\n`),
    );
    sockets[index] = socket;
  });
}

/** Opens sockets 100 at a time; the number that got their rooms. */
async function inBatches(count: number, work: (i: number) => Promise<boolean>): Promise<number> {
  let ok = 0;
  for (let i = 0; i < count; i += 100)
    ok += (await Promise.all(Array.from({ length: Math.min(100, count - i) }, (_, k) => work(i + k)))).filter(
      Boolean,
    ).length;
  return ok;
}

function closeAll(): void {
  for (const s of sockets) s?.close();
  sockets = [];
}

function analyze(due: Due[]): Record<string, KindFigures> {
  const members = new Map<string, number[]>();
  clients.forEach((c, i) =>
    c.rooms.forEach((room) => {
      const list = members.get(room);
      if (list) list.push(i);
      else members.set(room, [i]);
    }),
  );
  const stamp = new Uint32Array(clients.length);
  const out: Record<string, KindFigures> = {};
  due.forEach((d, n) => {
    const f = (out[d.kind] ??= {
      events: 0,
      expected: 0,
      received: 0,
      lost: 0,
      duplicated: 0,
      unexpected: 0,
      histogram: {},
      afterConsumer: {},
      max: 0,
      first: Number.MAX_SAFE_INTEGER,
      last: 0,
      samples: [],
    });
    f.events++;
    const r = d.id === null ? undefined : receipts.get(d.id);
    const mark = n + 1;
    for (const scope of d.scopes) for (const i of members.get(scope) ?? []) stamp[i] = mark;
    for (let i = 0; i < clients.length; i++) {
      const got = r?.counts[i] ?? 0;
      if (stamp[i] !== mark) {
        f.unexpected += got;
        if (got && f.samples.length < 5) f.samples.push(`unexpected: ${clients[i].sub} got ${d.id}`);
        continue;
      }
      f.expected++;
      if (got === 0) {
        f.lost++;
        if (f.samples.length < 5)
          f.samples.push(`lost: ${clients[i].sub} never got ${d.id ?? '(never recorded)'} [${d.scopes.join(' ')}]`);
      } else {
        f.received++;
        f.duplicated += got - 1;
        if (got > 1 && f.samples.length < 5) f.samples.push(`duplicated: ${clients[i].sub} got ${d.id} ${got} times`);
      }
    }
    if (r) [f.first, f.last] = [Math.min(f.first, r.first), Math.max(f.last, r.last)];
    for (const ms of r?.latencies ?? []) {
      add(f.histogram, ms);
      if (d.toConsumer !== null) add(f.afterConsumer, Math.max(0, ms - d.toConsumer));
      f.max = Math.max(f.max, ms);
    }
  });
  return out;
}

// The bench gone (crashed, killed): so is this process.
process.on('disconnect', () => process.exit(0));

process.on('message', (command: Command) => {
  void (async () => {
    if (command.kind === 'connect') {
      closeAll();
      clients = command.clients.map((c) => ({
        sub: JSON.parse(Buffer.from(c.token.split('.')[1], 'base64url').toString()).sub as string,
        rooms: [],
      }));
      receipts = new Map();
      const count = await inBatches(clients.length, (i) =>
        open(i, command.clients[i].url, { token: command.clients[i].token }),
      );
      process.send!({ kind: 'connected', count });
    } else if (command.kind === 'connect-bare') {
      closeAll();
      receipts = new Map();
      const count = await inBatches(clients.length, (i) => open(i, command.url, { rooms: clients[i].rooms }));
      process.send!({ kind: 'connected', count });
    } else if (command.kind === 'reset') {
      receipts = new Map();
      total = 0;
      process.send!({ kind: 'reset' });
    } else if (command.kind === 'count') {
      process.send!({ kind: 'count', total });
    } else if (command.kind === 'analyze') {
      process.send!({ kind: 'analysis', figures: analyze(command.due) });
    } else {
      closeAll();
      process.send!({ kind: 'closed' });
    }
  })().catch((err: unknown) => process.send!({ kind: 'error', message: String(err) }));
});
