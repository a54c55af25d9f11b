import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp, TestApp } from '@countylink/testing';
import { STANDALONE_APPS } from '../../../apps/standalone/src/standalone-apps';
import { ConsoleStaticModule } from '../../../apps/standalone/src/console-static.module';
import { directoryReplicated } from '../../clinician-realtime/realtime-fixtures';
import { CONSOLE_DIST, ensureConsoleBuilt } from './console-build';

/**
 * The whole backbone as `npm start` runs it (every app module, the console at `/`), on the in-process
 * bus; `env` sets what a suite needs (e.g. alert ladder seconds short enough to watch it climb).
 */
export async function startConsoleApp(env: Record<string, string> = {}): Promise<TestApp> {
  await ensureConsoleBuilt();
  const t = await startTestApp({
    features: [...STANDALONE_APPS.map((a) => a.module), ConsoleStaticModule.forRoot(CONSOLE_DIST)],
    dataSources: STANDALONE_APPS.map((a) => a.dataSource),
    env: { DICOM_STORAGE_DIR: mkdtempSync(join(tmpdir(), 'countylink-dicom-')), ...env },
  });
  // Sockets join their rooms from the realtime app's copy of the directory.
  await directoryReplicated(t);
  return t;
}
