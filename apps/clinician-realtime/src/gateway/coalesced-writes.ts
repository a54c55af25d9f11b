/**
 * The parts of engine.io's WebSocket transport this touches: its `send` of the packets buffered
 * while the previous write was under way, and the `ws` socket's TCP socket underneath.
 */
interface EngineTransport {
  name: string;
  send(packets: unknown[]): void;
  socket?: { _socket?: { cork(): void; uncork(): void } };
}

interface EngineSocket {
  transport: EngineTransport;
  on(event: 'upgrade', listener: (transport: EngineTransport) => void): void;
}

const coalesced = new WeakSet<EngineTransport>();

/**
 * Frames that engine.io flushes together (what queued for the socket while its previous write was
 * in flight, e.g. a burst of notifications or a replay) go out in one write to the kernel instead
 * of one per frame: the TCP socket is corked around the flush, and each frame stays a WebSocket
 * frame of its own. A transport without the expected parts (polling, another engine.io) is left
 * as it is.
 */
export function coalesceWrites(conn: EngineSocket): void {
  const wrap = (transport: EngineTransport) => {
    const tcp = transport.socket?._socket;
    if (transport.name !== 'websocket' || coalesced.has(transport) || typeof tcp?.cork !== 'function') return;
    coalesced.add(transport);
    const send = transport.send.bind(transport);
    transport.send = (packets) => {
      if (packets.length < 2) return send(packets);
      tcp.cork();
      try {
        send(packets);
      } finally {
        tcp.uncork();
      }
    };
  };
  wrap(conn.transport);
  conn.on('upgrade', wrap);
}
