import { execFile } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { Agent, request } from 'node:http';
import { CorpusFile } from './corpus';

export interface StowTarget {
  /** e.g. http://127.0.0.1:1234/dicomweb/studies */
  url: string;
  headers: Record<string, string>;
}

export interface CStoreTarget {
  host: string;
  port: number;
  calledAe: string;
  callingAe: string;
}

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

/** One instance per STOW-RS request, streamed from disk, as a modality sends it. */
export function stowFile(target: StowTarget, file: CorpusFile): Promise<number> {
  const boundary = 'bench-boundary-7f3a9c';
  const head = Buffer.from(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return new Promise((resolve, reject) => {
    const req = request(
      target.url,
      {
        method: 'POST',
        agent,
        headers: {
          ...target.headers,
          Accept: 'application/dicom+json',
          'Content-Type': `multipart/related; type="application/dicom"; boundary=${boundary}`,
          'Content-Length': head.length + file.size + tail.length,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          res.statusCode === 200
            ? resolve(res.statusCode)
            : reject(new Error(`${target.url} answered ${res.statusCode} for ${file.path}`)),
        );
      },
    );
    req.on('error', reject);
    req.write(head);
    const stream = createReadStream(file.path, { highWaterMark: 256 * 1024 });
    stream.on('error', reject);
    stream.on('end', () => req.end(tail));
    stream.pipe(req, { end: false });
  });
}

/** Runs `work` over the files with `concurrency` workers; returns wall time and each item's latency. */
export async function runConcurrent(
  files: CorpusFile[],
  concurrency: number,
  work: (f: CorpusFile) => Promise<unknown>,
): Promise<{ seconds: number; latenciesMs: number[] }> {
  const queue = [...files];
  const latenciesMs: number[] = [];
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let file = queue.shift(); file; file = queue.shift()) {
        const t0 = process.hrtime.bigint();
        await work(file);
        latenciesMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
    }),
  );
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, latenciesMs };
}

/**
 * C-STORE as a modality sends a study: `concurrency` associations at once, each dcmtk storescu
 * sending its share of the files one after another. Returns wall time; a C-STORE has no latency
 * of its own the client can see from outside, so none is reported.
 */
export async function runAssociations(
  files: CorpusFile[],
  concurrency: number,
  target: CStoreTarget,
): Promise<{ seconds: number; latenciesMs: number[] }> {
  const shares = Array.from({ length: concurrency }, (_, i) => files.filter((_, j) => j % concurrency === i)).filter(
    (s) => s.length > 0,
  );
  const started = process.hrtime.bigint();
  await Promise.all(shares.map((share) => storescu(target, share)));
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, latenciesMs: [] };
}

export function storescu(target: CStoreTarget, files: CorpusFile[]): Promise<void> {
  const args = [
    '-aet',
    target.callingAe,
    '-aec',
    target.calledAe,
    target.host,
    String(target.port),
    ...files.map((f) => f.path),
  ];
  return new Promise((resolve, reject) => {
    execFile('storescu', args, { maxBuffer: 64 * 1024 * 1024 }, (err, _stdout, stderr) => {
      if (err) reject(new Error(`storescu to ${target.calledAe} failed (${err.code}): ${stderr.slice(0, 500)}`));
      else resolve();
    });
  });
}
