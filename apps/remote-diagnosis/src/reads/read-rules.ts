/** Rules of reads that need no framework: deadlines, reading departments, accession numbers. */
import type { ReadPriority } from './read-state-machine';

export type DeadlineTable = Record<string, Record<ReadPriority, number>>;

/** `ECG=15/20/30,DX=30/60/120,*=60/240/1440` (minutes: emergency/urgent/routine) → a table. */
export function parseDeadlineTable(spec: string): DeadlineTable {
  const table: DeadlineTable = {};
  for (const entry of spec.split(',')) {
    const [modality, minutes] = entry.split('=');
    const [emergency, urgent, routine] = minutes.split('/').map(Number);
    if (![emergency, urgent, routine].every((m) => Number.isInteger(m) && m > 0))
      throw new Error(`bad read deadline entry ${entry}`);
    table[modality.trim().toUpperCase()] = { emergency, urgent, routine };
  }
  if (!table['*']) throw new Error('the read deadline table needs a * entry for other modalities');
  return table;
}

/** `ECG=ecg-room,*=radiology` → modality → department id. */
export function parseDepartmentTable(spec: string): Record<string, string> {
  return Object.fromEntries(
    spec
      .split(',')
      .map((entry) => entry.split('=').map((s) => s.trim()))
      .map(([m, d]) => [m.toUpperCase(), d]),
  );
}

export function lookupByModality<T>(table: Record<string, T>, modality: string): T | undefined {
  return table[modality.toUpperCase()] ?? table['*'];
}

/** When a read that became ready at `readyAt` must be reported. */
export function readDueAt(readyAt: Date, modality: string, priority: ReadPriority, table: DeadlineTable): Date {
  const minutes = lookupByModality(table, modality)![priority];
  return new Date(readyAt.getTime() + minutes * 60_000);
}

/**
 * An accession number for an order that came without one: 16 characters at most (DICOM SH),
 * time-ordered and unique enough to never collide inside one institution.
 */
export function issueAccessionNumber(now: Date, random: () => number = Math.random): string {
  const time = now.getTime().toString(36).toUpperCase();
  let tail = '';
  for (let i = 0; i < 16 - 2 - time.length; i++)
    tail += Math.floor(random() * 36)
      .toString(36)
      .toUpperCase();
  return `CL${time}${tail}`;
}
