import { execFile } from 'node:child_process';
import { DimseListener } from '../../../apps/remote-diagnosis/src/dimse/dimse-listener.service';
import { TestApp } from '@countylink/testing';

export interface ToolRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a dcmtk tool as a modality would; a non-zero exit is an outcome to look at, not an error. */
export function dcmtk(tool: 'echoscu' | 'storescu' | 'findscu' | 'dcmdump', args: string[], timeoutMs = 30_000): Promise<ToolRun> {
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
