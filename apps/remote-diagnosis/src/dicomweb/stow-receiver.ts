import type { Request } from 'express';
import { InstanceStore } from '../storage/instance-store.service';
import { PartTooLargeError, StagedPart, StagingFile } from '../storage/staging-file';
import { MalformedMultipartError, MultipartEvent, MultipartRelatedParser } from './multipart-related';

/** Body bytes read from the socket but not yet handed to their part's file. */
const MAX_QUEUED_BYTES = 1024 * 1024;

export class RequestTooLargeError extends Error {}
export class TooManyPartsError extends Error {}
export class ClientAbortedError extends Error {}

export interface ReceiveLimits {
  maxRequestBytes: number;
  maxParts: number;
}

/**
 * Streams a multipart/related body to staged files, one per part, with backpressure: the socket
 * is paused while more than a megabyte waits to be written. On any failure every staged file is removed and the
 * rest of the body is read and dropped (up to a bound), so the client can still read our answer.
 */
export function receiveParts(
  req: Request,
  boundary: string,
  store: InstanceStore,
  limits: ReceiveLimits,
): Promise<StagedPart[]> {
  const parser = new MultipartRelatedParser(boundary);
  const staged: StagedPart[] = [];
  let current: StagingFile | undefined;
  let received = 0;
  let queued = 0;
  let settled = false;
  // Parts are handled strictly in order; 'end' can arrive while the last chunk is still being written.
  let chain: Promise<void> = Promise.resolve();

  return new Promise<StagedPart[]>((resolve, reject) => {
    const fail = (err: unknown) => {
      if (settled) return;
      settled = true;
      const open = current;
      current = undefined;
      void Promise.all([open?.discard(), ...staged.map((p) => store.discard(p))]).finally(() => reject(err));
      drain(req, limits.maxRequestBytes);
    };

    const handle = async (events: MultipartEvent[]) => {
      for (const event of events) {
        if (settled) return;
        if (event.kind === 'part') {
          if (staged.length >= limits.maxParts)
            throw new TooManyPartsError(
              `a request may carry at most ${limits.maxParts} instances; send the rest in another`,
            );
          current = await store.stage(event.headers['content-type']);
        } else if (event.kind === 'data') await current!.write(event.data);
        else {
          const file = current!;
          current = undefined;
          staged.push(await file.finish());
        }
      }
    };

    req.on('data', (chunk: Buffer) => {
      if (settled) return;
      received += chunk.length;
      if (received > limits.maxRequestBytes)
        return fail(new RequestTooLargeError(`the request is larger than ${limits.maxRequestBytes} bytes`));
      let events: MultipartEvent[];
      try {
        events = parser.push(chunk);
      } catch (err) {
        return fail(err);
      }
      // Parts are written behind the socket; past a megabyte waiting to be written, the socket waits.
      queued += chunk.length;
      if (queued > MAX_QUEUED_BYTES) req.pause();
      chain = chain
        .then(() => handle(events))
        .then(() => {
          queued -= chunk.length;
          if (!settled && req.isPaused() && queued <= MAX_QUEUED_BYTES / 4) req.resume();
        }, fail);
    });
    req.on('end', () => {
      chain = chain.then(() => {
        if (settled) return;
        try {
          parser.end();
        } catch (err) {
          return fail(err);
        }
        if (current) return fail(new MalformedMultipartError('the body ended inside a part'));
        settled = true;
        resolve(staged);
      });
    });
    req.on('error', fail);
    req.on('close', () => {
      if (!req.complete) fail(new ClientAbortedError('the client went away during the upload'));
    });
  });
}

/** Reads and drops what is left of a refused body, so the answer reaches the client; gives up past a bound. */
function drain(req: Request, bound: number): void {
  let dropped = 0;
  req.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > bound) req.destroy();
  });
  req.resume();
}

export { MalformedMultipartError, PartTooLargeError };
