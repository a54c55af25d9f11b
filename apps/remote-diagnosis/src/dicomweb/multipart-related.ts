/**
 * A streaming parser for multipart bodies (RFC 2046) such as STOW-RS's multipart/related: fed
 * chunks as they arrive, it returns part starts, body slices and part ends, never holding more than
 * a boundary's length of body. busboy and its kin only parse multipart/form-data (they need a
 * Content-Disposition per part), so this small state machine is ours.
 */
export type MultipartEvent =
  { kind: 'part'; headers: Record<string, string> } | { kind: 'data'; data: Buffer } | { kind: 'part-end' };

export class MalformedMultipartError extends Error {}

type State = 'preamble' | 'after-delimiter' | 'headers' | 'body' | 'done';

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');
const MAX_HEADER_BYTES = 16 * 1024;
const MAX_PREAMBLE_BYTES = 64 * 1024;

export class MultipartRelatedParser {
  private readonly delimiter: Buffer;
  private state: State = 'preamble';
  // The body starts right at the first boundary, so the first delimiter has no CRLF before it.
  private pending: Buffer = Buffer.from(CRLF);
  private preambleSeen = 0;

  constructor(boundary: string) {
    // RFC 2046 allows 70 characters; widely deployed clients send longer ones, so up to 256 are taken.
    if (!/^[\x20-\x7e]{1,256}$/.test(boundary))
      throw new MalformedMultipartError('the boundary must be 1–256 printable characters');
    this.delimiter = Buffer.from(`\r\n--${boundary}`, 'latin1');
  }

  get finished(): boolean {
    return this.state === 'done';
  }

  /** Feeds the next chunk; returns what it completed, in order. */
  push(chunk: Buffer): MultipartEvent[] {
    const events: MultipartEvent[] = [];
    let buf = chunk;
    if (this.pending.length > 0) {
      // Inside a body the kept tail is usually plain data: copy the whole chunk only when a
      // delimiter really straddles the two, not for every chunk of a large part.
      const bridge =
        this.state === 'body' && chunk.length >= this.delimiter.length - 1
          ? Buffer.concat([this.pending, chunk.subarray(0, this.delimiter.length - 1)])
          : undefined;
      if (bridge && bridge.indexOf(this.delimiter) === -1) events.push({ kind: 'data', data: this.pending });
      else buf = Buffer.concat([this.pending, chunk]);
    }
    this.pending = EMPTY;
    for (;;) {
      const rest = this.step(buf, events);
      if (rest === undefined) return events;
      buf = rest;
    }
  }

  /** The body ended: anything but a closed last part is a truncated body. */
  end(): MultipartEvent[] {
    if (this.state === 'done') return [];
    // Tolerate a missing closing "--" after the last delimiter (some clients omit it).
    if (
      (this.state === 'after-delimiter' || this.state === 'headers') &&
      this.pending.every((b) => b === 0x0d || b === 0x0a || b === 0x20)
    ) {
      this.state = 'done';
      return [];
    }
    throw new MalformedMultipartError(
      this.state === 'body' ? 'the body ended inside a part (truncated upload?)' : 'the body ended before any part',
    );
  }

  /** Consumes what it can of `buf`; returns the unconsumed rest to go on with, or undefined to wait for more. */
  private step(buf: Buffer, events: MultipartEvent[]): Buffer | undefined {
    switch (this.state) {
      case 'done':
        return undefined; // the epilogue is ignored
      case 'preamble': {
        const at = buf.indexOf(this.delimiter);
        if (at === -1) {
          this.preambleSeen += buf.length;
          if (this.preambleSeen > MAX_PREAMBLE_BYTES)
            throw new MalformedMultipartError('no boundary found where the body starts');
          this.keep(buf.subarray(Math.max(0, buf.length - this.delimiter.length + 1)));
          return undefined;
        }
        this.state = 'after-delimiter';
        return buf.subarray(at + this.delimiter.length);
      }
      case 'after-delimiter': {
        if (buf.length < 2) return this.keep(buf);
        if (buf[0] === 0x2d && buf[1] === 0x2d) {
          this.state = 'done';
          return undefined;
        }
        const eol = buf.indexOf(CRLF);
        if (eol === -1) {
          if (buf.length > 1024) throw new MalformedMultipartError('a boundary line does not end');
          return this.keep(buf);
        }
        // Only transport padding (spaces, tabs) may follow a boundary on its line.
        for (let i = 0; i < eol; i++)
          if (buf[i] !== 0x20 && buf[i] !== 0x09)
            throw new MalformedMultipartError('a boundary is followed by other text');
        this.state = 'headers';
        return buf.subarray(eol + 2);
      }
      case 'headers': {
        if (buf.length < 2) return this.keep(buf);
        let headers: Record<string, string> = {};
        let bodyStart: number;
        if (buf[0] === 0x0d && buf[1] === 0x0a) bodyStart = 2;
        else {
          const end = buf.indexOf(HEADER_END);
          if (end === -1) {
            if (buf.length > MAX_HEADER_BYTES) throw new MalformedMultipartError('part headers are too long');
            return this.keep(buf);
          }
          headers = parseHeaderBlock(buf.subarray(0, end).toString('latin1'));
          bodyStart = end + 4;
        }
        events.push({ kind: 'part', headers });
        this.state = 'body';
        return buf.subarray(bodyStart);
      }
      case 'body': {
        const at = buf.indexOf(this.delimiter);
        if (at === -1) {
          const safe = Math.max(0, buf.length - this.delimiter.length + 1);
          if (safe > 0) events.push({ kind: 'data', data: buf.subarray(0, safe) });
          return this.keep(buf.subarray(safe));
        }
        if (at > 0) events.push({ kind: 'data', data: buf.subarray(0, at) });
        events.push({ kind: 'part-end' });
        this.state = 'after-delimiter';
        return buf.subarray(at + this.delimiter.length);
      }
    }
  }

  private keep(rest: Buffer): undefined {
    // A copy, so a small tail does not pin the whole socket chunk it came from.
    this.pending = Buffer.from(rest);
    return undefined;
  }
}

const EMPTY = Buffer.alloc(0);

function parseHeaderBlock(text: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of text.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) throw new MalformedMultipartError(`a part header line is not "Name: value": ${line.slice(0, 80)}`);
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

/** `type/subtype; a=b; c="d"` → { mediaType: 'type/subtype', params: { a: 'b', c: 'd' } } (lower-cased names). */
export function parseMediaType(
  value: string | undefined,
): { mediaType: string; params: Record<string, string> } | undefined {
  if (!value) return undefined;
  const match = /^\s*([\w.+-]+\/[\w.+-]+)\s*/.exec(value);
  if (!match) return undefined;
  const params: Record<string, string> = {};
  const re = /;\s*([\w.+-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]*))\s*/g;
  re.lastIndex = match[0].length;
  let m: RegExpExecArray | null;
  while ((m = re.exec(value)) !== null)
    params[m[1].toLowerCase()] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3];
  return { mediaType: match[1].toLowerCase(), params };
}
