// Relative imports only: jest loads globalTeardown without the moduleNameMapper.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';

/** A patient name as the suites write them: two to four Han characters. */
const PATIENT_NAME = /^[\u4e00-\u9fff]{2,4}$/;

async function query<T>(url: string, text: string): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows as T[];
  } finally {
    await client.end();
  }
}

/** Every patient name the run stored, from every `patient_name` column of every suite's database. */
export async function patientNamesOfRun(adminUrl: string): Promise<string[]> {
  const names = new Set<string>();
  const databases = await query<{ datname: string }>(
    adminUrl,
    "SELECT datname FROM pg_database WHERE datname LIKE 'test\\_%'",
  );
  for (const { datname } of databases) {
    const url = new URL(adminUrl);
    url.pathname = `/${datname}`;
    const columns = await query<{ table_schema: string; table_name: string }>(
      url.toString(),
      "SELECT table_schema, table_name FROM information_schema.columns WHERE column_name = 'patient_name'",
    ).catch(() => []);
    for (const { table_schema: schema, table_name: table } of columns) {
      const rows = await query<{ n: string }>(
        url.toString(),
        `SELECT DISTINCT patient_name AS n FROM "${schema}"."${table}" WHERE patient_name IS NOT NULL`,
      );
      for (const { n } of rows) if (PATIENT_NAME.test(n)) names.add(n);
    }
  }
  return [...names];
}

export interface LogFinding {
  file: string;
  line: number;
  name: string;
}

/** Where a patient's name (as typed, or percent-encoded as in a URL) appears in the run's app logs. */
export function findNamesInLogs(
  dir: string,
  names: string[],
): { findings: LogFinding[]; files: number; lines: number; errors: number } {
  const findings: LogFinding[] = [];
  let lines = 0;
  let errors = 0;
  const files = readdirSync(dir).filter((f) => f.endsWith('.log'));
  const forms = names.flatMap((name) => [
    [name, name],
    [encodeURIComponent(name), name],
  ]);
  for (const file of files) {
    const text = readFileSync(join(dir, file), 'utf8').split('\n');
    text.forEach((line, i) => {
      if (!line) return;
      lines++;
      if (/"level":(50|60)/.test(line)) errors++;
      for (const [form, name] of forms) if (line.includes(form)) findings.push({ file, line: i + 1, name });
    });
  }
  return { findings, files: files.length, lines, errors };
}
