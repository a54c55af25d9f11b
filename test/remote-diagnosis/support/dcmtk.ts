import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { AddressInfo, connect, createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DimseListener } from '../../../apps/remote-diagnosis/src/dimse/dimse-listener.service';
import { TestApp } from '@countylink/testing';

export interface ToolRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a dcmtk tool as a modality would; a non-zero exit is an outcome to look at, not an error. */
export function dcmtk(
  tool: 'echoscu' | 'storescu' | 'findscu' | 'dcmdump',
  args: string[],
  timeoutMs = 30_000,
): Promise<ToolRun> {
  return new Promise((resolve, reject) => {
    execFile(tool, args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err && typeof err.code !== 'number') return reject(err);
      resolve({ code: err ? (err.code as number) : 0, stdout, stderr });
    });
  });
}

/** Where the app under test listens for modalities. */
export function dimsePeer(t: TestApp): { host: string; port: string; aec: string } {
  const listener = t.app.get(DimseListener);
  return { host: '127.0.0.1', port: String(listener.port), aec: listener.aeTitle };
}

/** `storescu` from `aet` to the app, verbose: only then does it print the status of each C-STORE response. */
export function storescu(t: TestApp, aet: string, files: string[]): Promise<ToolRun> {
  const { host, port, aec } = dimsePeer(t);
  return dcmtk('storescu', ['-v', '-aet', aet, '-aec', aec, host, port, ...files]);
}

export function echoscu(t: TestApp, aet: string, aec?: string): Promise<ToolRun> {
  const peer = dimsePeer(t);
  return dcmtk('echoscu', ['-aet', aet, '-aec', aec ?? peer.aec, peer.host, peer.port]);
}

/** One worklist item as dcmdump shows it: keyword → value, nested items flattened (their keywords do not clash). */
export type WorklistItem = Record<string, string>;

/**
 * `findscu -W` from `aet` with `keys` (`-k` arguments, e.g. `ScheduledProcedureStepSequence[0].Modality=ECG`);
 * the responses are extracted to files (`-X`) and read back with dcmdump.
 */
export async function findWorklist(
  t: TestApp,
  aet: string,
  keys: string[],
): Promise<{ run: ToolRun; items: WorklistItem[] }> {
  const { host, port, aec } = dimsePeer(t);
  const dir = mkdtempSync(join(tmpdir(), 'countylink-mwl-'));
  const run = await dcmtk('findscu', [
    '-W',
    '-X',
    '-od',
    dir,
    '-aet',
    aet,
    '-aec',
    aec,
    ...keys.flatMap((k) => ['-k', k]),
    host,
    port,
  ]);
  const items: WorklistItem[] = [];
  for (const file of readdirSync(dir)
    .filter((f) => /^rsp\d+\.dcm$/.test(f))
    .sort()) {
    const dump = await dcmtk('dcmdump', [join(dir, file)]);
    const item: WorklistItem = {};
    for (const line of dump.stdout.split('\n')) {
      const m =
        /^\s*\([0-9a-f]{4},[0-9a-f]{4}\) \w\w (?:\[(.*)\]|\(no value available\)|=?\S*).*#\s*\d+,\s*\d+\s+(\w+)\s*$/i.exec(
          line,
        );
      if (m) item[m[2]] = m[1] ?? '';
    }
    items.push(item);
  }
  return { run, items };
}

/**
 * A TCP relay to the app's DIMSE port that passes the first `forwardBytes` a modality sends and then
 * stops reading from it: an association stalled mid-transfer, for as long as the test wants, then cut.
 */
export async function stallingRelay(
  t: TestApp,
  forwardBytes: number,
): Promise<{ port: string; cut(): void; close(): Promise<void> }> {
  const { host, port } = dimsePeer(t);
  const open = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(Number(port), host);
    open.add(client).add(upstream);
    let forwarded = 0;
    client.on('data', (chunk: Buffer) => {
      const room = forwardBytes - forwarded;
      if (room > 0) upstream.write(chunk.subarray(0, room));
      forwarded += chunk.length;
      if (forwarded >= forwardBytes) client.pause();
    });
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
    for (const s of [client, upstream]) s.on('error', () => undefined).on('close', () => open.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    port: String((server.address() as AddressInfo).port),
    cut: () => open.forEach((s) => s.destroy()),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
