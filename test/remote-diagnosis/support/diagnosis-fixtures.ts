import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { getDataSourceToken } from '@nestjs/typeorm';
import { startTestApp, TestApp, TestAppOptions } from '@countylink/testing';
import { DIAGNOSIS_DATA_SOURCE } from '../../../apps/remote-diagnosis/src/remote-diagnosis.constants';
import { RemoteDiagnosisModule } from '../../../apps/remote-diagnosis/src/remote-diagnosis.module';

/** Real DICOM files from the public pydicom test set, kept in the repository (see its README). */
export const FIXTURES_DIR = resolve(__dirname, '../../fixtures/dicom');

export function fixture(name: string): string {
  return join(FIXTURES_DIR, name);
}

export function fixtureNames(): string[] {
  return readdirSync(FIXTURES_DIR)
    .filter((f) => f.endsWith('.dcm'))
    .sort();
}

export interface DiagnosisTestApp extends TestApp {
  storageDir: string;
  dataSource: DataSource;
}

export async function startDiagnosisApp(options: Partial<TestAppOptions> = {}): Promise<DiagnosisTestApp> {
  const storageDir = mkdtempSync(join(tmpdir(), 'countylink-dicom-'));
  const t = await startTestApp({
    features: [RemoteDiagnosisModule],
    dataSources: [DIAGNOSIS_DATA_SOURCE],
    ...options,
    env: { DICOM_STORAGE_DIR: storageDir, ...options.env },
  });
  return { ...t, storageDir, dataSource: t.app.get<DataSource>(getDataSourceToken(DIAGNOSIS_DATA_SOURCE)) };
}

/** A multipart/related body of DICOM parts, as a modality's STOW-RS client sends it. */
export function multipartBody(parts: Buffer[], boundary = `cl-${randomUUID()}`): { body: Buffer; contentType: string } {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    chunks.push(
      Buffer.from(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`, 'latin1'),
      part,
      Buffer.from('\r\n', 'latin1'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`, 'latin1'));
  return {
    body: Buffer.concat(chunks),
    contentType: `multipart/related; type="application/dicom"; boundary="${boundary}"`,
  };
}

export async function stow(t: TestApp, login: string | { token: string }, parts: Buffer[]) {
  const token = typeof login === 'string' ? await t.token(login) : login.token;
  const { body, contentType } = multipartBody(parts);
  return request(t.url)
    .post('/dicomweb/studies')
    .set('Authorization', `Bearer ${token}`)
    .set('Content-Type', contentType)
    .send(body);
}

/** Files under the content store's objects/ directory (what is kept on disk). */
export function storedFiles(storageDir: string): string[] {
  const root = join(storageDir, 'objects');
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(join(dir, entry.name));
      else out.push(entry.name);
    }
  };
  if (existsSync(root)) walk(root);
  return out;
}

export function tmpFiles(storageDir: string): string[] {
  return readdirSync(join(storageDir, 'tmp'));
}

/** FailureReason codes of a STOW-RS answer's FailedSOPSequence. */
export function failureReasons(
  body: Record<string, { Value?: Array<Record<string, { Value?: unknown[] }>> }>,
): number[] {
  return (body['00081198']?.Value ?? []).map((item) => item['00081197']?.Value?.[0] as number);
}

export function referencedInstances(
  body: Record<string, { Value?: Array<Record<string, { Value?: unknown[] }>> }>,
): string[] {
  return (body['00081199']?.Value ?? []).map((item) => item['00081155']?.Value?.[0] as string);
}
