import { coalesceWrites } from './coalesced-writes';

/** A stand-in for engine.io's WebSocket transport over a TCP socket that records what reaches the kernel. */
function transport(name = 'websocket') {
  const kernelWrites: string[][] = [];
  let corked = 0;
  const pending: string[] = [];
  const tcp = {
    cork: () => void corked++,
    uncork: () => {
      if (--corked === 0 && pending.length > 0) kernelWrites.push(pending.splice(0));
    },
    write: (frame: string) => {
      pending.push(frame);
      if (corked === 0) kernelWrites.push(pending.splice(0));
    },
  };
  const t = {
    name,
    socket: { _socket: tcp },
    send(packets: unknown[]) {
      for (const p of packets) tcp.write(String(p));
    },
  };
  return { t, kernelWrites };
}

function conn(t: ReturnType<typeof transport>['t']) {
  const listeners: Array<(t: unknown) => void> = [];
  return {
    transport: t,
    on: (_: 'upgrade', l: (t: never) => void) => void listeners.push(l as (t: unknown) => void),
    upgrade: (next: unknown) => listeners.forEach((l) => l(next)),
  };
}

describe('coalesceWrites', () => {
  it('sends the packets of one flush in one write, in order, and a single packet as it is', () => {
    const { t, kernelWrites } = transport();
    coalesceWrites(conn(t));
    t.send(['a']);
    t.send(['b', 'c', 'd']);
    expect(kernelWrites).toEqual([['a'], ['b', 'c', 'd']]);
  });

  it('wraps a transport once, also the WebSocket one a polling connection upgrades to', () => {
    const polling = transport('polling');
    const c = conn(polling.t);
    coalesceWrites(c);
    polling.t.send(['a', 'b']);
    expect(polling.kernelWrites).toEqual([['a'], ['b']]);
    const ws = transport();
    c.upgrade(ws.t);
    coalesceWrites(conn(ws.t));
    ws.t.send(['c', 'd']);
    expect(ws.kernelWrites).toEqual([['c', 'd']]);
  });

  it('leaves the socket uncorked when a send throws half-way', () => {
    const failing = transport();
    failing.t.send = (packets: unknown[]) => {
      failing.t.socket._socket.write(String(packets[0]));
      throw new Error('write error');
    };
    coalesceWrites(conn(failing.t));
    expect(() => failing.t.send(['x', 'y'])).toThrow('write error');
    // What was written went out with the uncork, and the next write is not held back.
    failing.t.socket._socket.write('z');
    expect(failing.kernelWrites).toEqual([['x'], ['z']]);
  });
});
