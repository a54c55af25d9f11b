import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

/** The SCRAM users of one data directory: names to passwords, and which of them the format made. */
export interface KafkaCredentials {
  file: string;
  users: Record<string, string>;
  /** Users the storage format created; any later one is added on the running cluster. */
  formatted: string[];
}

/**
 * Passwords generated once per data directory and kept in it (mode 600, git-ignored): a restart on
 * the same data keeps its users, a new directory gets new secrets. Hex, so that no character needs
 * quoting in `--add-scram 'SCRAM-SHA-512=[name=…,password=…]'` or in a shell export.
 */
export function ensureCredentials(dir: string, names: string[]): KafkaCredentials {
  const file = path.join(dir, 'credentials.json');
  makePrivateDir(dir);
  const stored: Omit<KafkaCredentials, 'file'> = existsSync(file)
    ? JSON.parse(readFileSync(file, 'utf8'))
    : { users: {}, formatted: [] };
  let changed = !existsSync(file);
  for (const name of names) {
    if (stored.users[name]) continue;
    stored.users[name] = randomBytes(24).toString('hex');
    changed = true;
  }
  if (changed) writeCredentials({ file, ...stored });
  return { file, ...stored };
}

export function writeCredentials(credentials: KafkaCredentials): void {
  const { file, ...stored } = credentials;
  writeFileSync(file, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
}

/**
 * The secrets' directory, readable by its owner only. Its parents keep the default mode: a
 * recursive mkdir would make them 700 as well, and the embedded PostgreSQL (which runs as its own
 * user) could no longer reach .data/pg beside .data/kafka.
 */
export function makePrivateDir(dir: string): void {
  mkdirSync(path.dirname(dir), { recursive: true });
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o700);
}
