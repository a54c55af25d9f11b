import type { Socket } from 'node:net';

export interface PduLimits {
  /** The largest PDU we accept: the maximum PDU length we offer at association (P-DATA-TF), or any other PDU. */
  maxPduBytes: number;
  /** Bytes of commands and non-storage data sets (a C-FIND identifier) between two completed messages. */
  maxMessageBytes: number;
}

/**
 * Reads the 6-byte PDU headers of an association's byte stream before dcmjs-dimse sees it, and
 * closes the connection on a PDU longer than we ever offered: the library gathers a whole PDU in
 * memory whatever length its header claims, and gathers every non-storage data set (a C-FIND
 * identifier) in memory too, so a peer could otherwise make it hold gigabytes. Storage data sets
 * are bounded by the StoreSink instead (while `storing`, bytes are not counted here).
 */
export class PduGuard {
  /** Header bytes of the PDU being read, or the body bytes still to skip. */
  private header = Buffer.alloc(0);
  private remaining = 0;
  private messageBytes = 0;
  storing = false;

  constructor(
    private readonly socket: Socket,
    private readonly limits: PduLimits,
    private readonly onViolation: (why: string) => void,
  ) {
    // Ahead of the library's listener, so a violating chunk is seen before it is gathered.
    socket.prependListener('data', (chunk: Buffer) => this.inspect(chunk));
  }

  /** A message (command and its data set) was completed: its bytes no longer count. */
  messageDone(): void {
    this.messageBytes = 0;
  }

  private inspect(chunk: Buffer): void {
    if (this.socket.destroyed) return;
    if (!this.storing) this.messageBytes += chunk.length;
    if (this.messageBytes > this.limits.maxMessageBytes)
      return this.violate(`a message larger than ${this.limits.maxMessageBytes} bytes`);
    let offset = 0;
    while (offset < chunk.length) {
      if (this.remaining > 0) {
        const skip = Math.min(this.remaining, chunk.length - offset);
        this.remaining -= skip;
        offset += skip;
        continue;
      }
      const need = 6 - this.header.length;
      this.header = Buffer.concat([this.header, chunk.subarray(offset, offset + need)]);
      offset += need;
      if (this.header.length < 6) return;
      const length = this.header.readUInt32BE(2);
      this.header = Buffer.alloc(0);
      if (length > this.limits.maxPduBytes)
        return this.violate(`a PDU of ${length} bytes (at most ${this.limits.maxPduBytes})`);
      this.remaining = length;
    }
  }

  private violate(why: string): void {
    this.onViolation(why);
    this.socket.destroy();
  }
}
