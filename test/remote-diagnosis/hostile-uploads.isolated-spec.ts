import { ChildProcess, fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import request from 'supertest';
import { waitFor } from '@countylink/testing';
import { FailureReason } from '../../apps/remote-diagnosis/src/dicom/stow-failure';
import { RemoteDiagnosisConfig } from '../../apps/remote-diagnosis/src/remote-diagnosis.config';
import {
  DiagnosisTestApp,
  failureReasons,
  fixture,
  multipartBody,
  startDiagnosisApp,
  storedFiles,
  stow,
  tmpFiles,
} from './support/diagnosis-fixtures';
import { deflateBomb, oversizedNative, oversizedRle } from './support/hostile-files';

interface PollResult {
  polls: number;
  maxMs: number;
  failures: number;
}

/** /health/live asked every 100 ms from another process while `work` runs. */
async function whilePolled(url: string, work: () => Promise<void>): Promise<PollResult> {
  const poller: ChildProcess = fork(join(__dirname, 'support/health-poller.mjs'), [`${url}/health/live`], {
    stdio: 'inherit',
  });
  await new Promise<void>((resolve) => poller.once('message', () => resolve()));
  const result = new Promise<PollResult>((resolve) =>
    poller.on('message', (m) => typeof m === 'object' && resolve(m as PollResult)),
  );
  try {
    await work();
  } finally {
    poller.send('stop');
  }
  return result;
}

/** Peak resident memory of this process (the server runs in it), from the kernel's own high-water mark. */
function peakRssBytes(): number {
  const line = readFileSync('/proc/self/status', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmHWM:'));
  return Number(line?.match(/(\d+)/)?.[1] ?? 0) * 1024;
}

describe('hostile uploads cannot stall or exhaust the backbone', () => {
  let t: DiagnosisTestApp;
  let token: string;

  beforeAll(async () => {
    t = await startDiagnosisApp();
    token = await t.token('township-a-doctor');
    // One real upload first, so the worker threads have started and loaded their code before anything is timed.
    expect((await stow(t, { token }, [readFileSync(fixture('CT_small.dcm'))])).status).toBe(200);
  });
  afterAll(async () => {
    await t?.close();
  });

  const rowCount = async () =>
    (await t.dataSource.query('SELECT count(*)::int AS n FROM diagnosis.instance'))[0].n as number;

  async function expectRefusedQuickly(name: string, files: Buffer[], expectedReason: FailureReason) {
    const before = { rows: await rowCount(), files: storedFiles(t.storageDir).length };
    let elapsed = 0;
    let status = 0;
    let reasons: number[] = [];
    const polled = await whilePolled(t.url, async () => {
      const started = Date.now();
      const res = await stow(t, { token }, files);
      elapsed = Date.now() - started;
      status = res.status;
      reasons = failureReasons(res.body);
    });
    process.stdout.write(
      `${name}: ${status} in ${elapsed} ms; /health/live ${polled.polls} polls, slowest ${polled.maxMs.toFixed(1)} ms; peak RSS ${(peakRssBytes() / 2 ** 20).toFixed(0)} MB\n`,
    );
    expect({ name, status, reasons }).toEqual({ name, status: 409, reasons: files.map(() => expectedReason) });
    expect(elapsed).toBeLessThan(2000);
    expect(polled.failures).toBe(0);
    expect(polled.maxMs).toBeLessThan(200);
    expect(await rowCount()).toBe(before.rows);
    expect(storedFiles(t.storageDir)).toHaveLength(before.files);
    expect(tmpFiles(t.storageDir)).toEqual([]);
    expect(peakRssBytes()).toBeLessThan(1024 * 2 ** 20);
  }

  it('refuses a deflate bomb (3 MB inflating to 3 GB) at the inflate cap', async () => {
    await expectRefusedQuickly('deflate bomb', [deflateBomb(3)], FailureReason.OutOfResources);
  });

  it('refuses native pixel data whose header claims 65535 × 65535', async () => {
    await expectRefusedQuickly('65535² native', [oversizedNative()], FailureReason.OutOfResources);
  });

  it('refuses RLE pixel data whose header claims 65535 × 65535, and RLE too short for a frame within the cap', async () => {
    await expectRefusedQuickly('65535² RLE', [oversizedRle()], FailureReason.OutOfResources);
    await expectRefusedQuickly('6000² RLE of 1 KB', [oversizedRle(6000, 6000)], FailureReason.CannotUnderstand);
  });

  it('answers thousands of parts in one request with a 413 before staging them all, and leaves nothing', async () => {
    // Small parts, so the test's own copying of the body (in this process, beside the server) stays negligible.
    const part = readFileSync(fixture('ExplVR_BigEndNoMeta.dcm'));
    const { body, contentType } = multipartBody(Array.from({ length: 3000 }, () => part));
    const before = await rowCount();
    let status = 0;
    let code = '';
    let elapsed = 0;
    const polled = await whilePolled(t.url, async () => {
      const started = Date.now();
      const res = await postRaw(`${t.url}/dicomweb/studies`, token, contentType, body);
      elapsed = Date.now() - started;
      status = res.status;
      code = JSON.parse(res.body).error?.code;
    });
    process.stdout.write(
      `3000 parts: ${status} in ${elapsed} ms; /health/live slowest ${polled.maxMs.toFixed(1)} ms\n`,
    );
    expect({ status, code }).toEqual({ status: 413, code: 'DICOM_PAYLOAD_TOO_LARGE' });
    expect(elapsed).toBeLessThan(2000);
    expect(polled.maxMs).toBeLessThan(200);
    expect(await rowCount()).toBe(before);
    expect(tmpFiles(t.storageDir)).toEqual([]);
  });

  it('gives one user at most the configured uploads in flight: the next is a 429 while the others go on', async () => {
    const limit = t.settings(RemoteDiagnosisConfig).DICOM_MAX_CONCURRENT_UPLOADS;
    const { contentType } = multipartBody([]);
    // Uploads that have sent their headers and part of a body, then wait.
    const held = Array.from({ length: limit }, () => holdUpload(`${t.url}/dicomweb/studies`, token, contentType));
    await waitFor(`${limit} uploads in flight`, async () => (await uploadsInFlight(t.url)) === limit);
    const refused = await stow(t, { token }, [readFileSync(fixture('CT_small.dcm'))]);
    expect({ status: refused.status, code: refused.body.error?.code, retry: refused.headers['retry-after'] }).toEqual({
      status: 429,
      code: 'DICOM_TOO_MANY_UPLOADS',
      retry: '1',
    });
    // Another user is not held back by this one's share.
    const other = await stow(t, 'family-doctor-a', [readFileSync(fixture('CT_small.dcm'))]);
    expect(other.status).toBe(200);
    for (const h of held) h.abort();
    await waitFor('the held uploads to end', async () => (await uploadsInFlight(t.url)) === 0);
    expect((await stow(t, { token }, [readFileSync(fixture('MR_small.dcm'))])).status).toBe(200);
    expect(tmpFiles(t.storageDir)).toEqual([]);
  });
});

async function uploadsInFlight(url: string): Promise<number> {
  const text = (await request(url).get('/metrics')).text;
  return Number(/^countylink_dicom_uploads_in_flight (\d+)/m.exec(text)?.[1] ?? NaN);
}

function postRaw(
  url: string,
  token: string,
  contentType: string,
  body: Buffer,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': contentType, 'Content-Length': body.length },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    // The server may answer and close before the whole body is sent.
    req.on('error', (err) =>
      err.message.includes('EPIPE') || err.message.includes('ECONNRESET') ? undefined : reject(err),
    );
    req.end(body);
  });
}

/** An upload that sends its first boundary and waits, holding one of the user's upload slots until aborted. */
function holdUpload(url: string, token: string, contentType: string) {
  const boundary = /boundary="([^"]+)"/.exec(contentType)![1];
  const req = httpRequest(url, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': contentType, 'Transfer-Encoding': 'chunked' },
  });
  req.on('error', () => undefined);
  req.write(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`);
  return { abort: () => req.destroy() };
}
