import { ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../postgres/test-postgres';

export const ORTHANC_BINARY = '/usr/sbin/Orthanc';
export const ORTHANC_DICOMWEB = '/usr/share/orthanc/plugins/libOrthancDicomWeb.so';

/** A DICOMweb server Orthanc may push to and retrieve from (its plugin's `DicomWeb.Servers`). */
export interface OrthancPeer {
  url: string;
  headers?: Record<string, string>;
}

export interface RunningOrthanc {
  /** Base URL of Orthanc's REST API, e.g. http://127.0.0.1:8042 */
  url: string;
  /** Its DICOM port, when the DICOM server is on. */
  dicomPort?: number;
  stop(): Promise<void>;
}

export interface OrthancOptions {
  workDir: string;
  name?: string;
  /** Start Orthanc's DICOM (DIMSE) server on a free port. */
  dicomServer?: boolean;
  /** DICOMweb servers by name. */
  peers?: Record<string, OrthancPeer>;
}

/**
 * Debian's Orthanc with its DICOMweb plugin on free ports: a township PACS for interoperability
 * tests, and the baseline of the ingest benchmark. Default durability (SQLite index, synced storage).
 */
export async function startOrthanc(options: OrthancOptions): Promise<RunningOrthanc> {
  const port = await freePort();
  const dicomPort = options.dicomServer ? await freePort() : undefined;
  const storage = join(options.workDir, 'storage');
  mkdirSync(storage, { recursive: true });
  const config = join(options.workDir, 'orthanc.json');
  const servers = Object.fromEntries(
    Object.entries(options.peers ?? {}).map(([name, peer]) => [
      name,
      { Url: peer.url, HttpHeaders: peer.headers ?? {} },
    ]),
  );
  writeFileSync(
    config,
    JSON.stringify({
      Name: options.name ?? 'countylink-test',
      StorageDirectory: storage,
      IndexDirectory: storage,
      HttpPort: port,
      DicomServerEnabled: dicomPort !== undefined,
      ...(dicomPort !== undefined ? { DicomPort: dicomPort, DicomAet: 'ORTHANC' } : {}),
      RemoteAccessAllowed: false,
      AuthenticationEnabled: false,
      StorageCompression: false,
      Plugins: [ORTHANC_DICOMWEB],
      DicomWeb: { Enable: true, Root: '/dicom-web/', Servers: servers },
    }),
  );
  const child = spawn(ORTHANC_BINARY, [config], {
    stdio: ['ignore', 'ignore', process.env.ORTHANC_LOG ? 'inherit' : 'ignore'],
  });
  const url = `http://127.0.0.1:${port}`;
  await waitUntilUp(`${url}/system`, child, 'Orthanc');
  return { url, dicomPort, stop: () => stopChild(child) };
}

export async function waitUntilUp(
  url: string,
  child: ChildProcess,
  what: string,
  headers: Record<string, string> = {},
): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode} before it was up`);
    try {
      const res = await fetch(url, { headers });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not come up at ${url}`);
}

export function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((ok) => {
    if (child.exitCode !== null) return ok();
    child.once('exit', () => ok());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
  });
}
