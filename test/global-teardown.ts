import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { findNamesInLogs, patientNamesOfRun } from './run-log-scan';

interface Harness {
  pg: { stop(): Promise<void> };
  kafka: { stop(): Promise<void>; security?: { credentialsFile: string } };
}

/**
 * The run's app logs may not name a patient: every name the suites stored (read back from their
 * databases before the server stops) is looked for in every app's log file. A finding fails the run
 * and keeps the logs (as TEST_KEEP_LOGS=1 does); otherwise they go.
 */
async function checkLogs(): Promise<void> {
  const dir = process.env.TEST_LOG_DIR;
  const adminUrl = process.env.TEST_PG_ADMIN_URL;
  if (!dir || !adminUrl) return;
  const names = await patientNamesOfRun(adminUrl);
  const { findings, files, lines, errors } = findNamesInLogs(dir, names);
  const keep = findings.length > 0 || !!process.env.TEST_KEEP_LOGS;
  process.stdout.write(
    `\napp logs: ${lines} lines in ${files} files (${errors} at level error), searched for ${names.length} patient names: ${findings.length} found${keep ? ` (kept in ${dir})` : ''}\n`,
  );
  if (findings.length > 0) {
    const shown = findings
      .slice(0, 20)
      .map((f) => `  ${f.file}:${f.line} names ${f.name}`)
      .join('\n');
    throw new Error(
      `patient names in the app logs of this run:\n${shown}${findings.length > 20 ? `\n  … ${findings.length - 20} more` : ''}`,
    );
  }
  if (!keep) rmSync(dir, { recursive: true, force: true });
}

export default async function globalTeardown(): Promise<void> {
  const harness = (globalThis as Record<string, unknown>).__countylinkHarness as Harness | undefined;
  let logCheck: unknown;
  await checkLogs().catch((err: unknown) => (logCheck = err));
  await harness?.kafka.stop();
  await harness?.pg.stop();
  // The run's throwaway CA and passwords go with it (its data directory stays for post-mortems).
  const credentials = harness?.kafka.security?.credentialsFile;
  if (credentials) rmSync(dirname(credentials), { recursive: true, force: true });
  if (logCheck) throw logCheck;
}
