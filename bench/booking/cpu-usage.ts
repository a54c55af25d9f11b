import { readdirSync, readFileSync } from 'node:fs';

/** CPU seconds (user + system) of processes, read from /proc (Linux); 0 where unreadable. */
function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

function pidsNamed(name: string): number[] {
  try {
    return readdirSync('/proc')
      .filter((d) => /^\d+$/.test(d))
      .map(Number)
      .filter((pid) => {
        try {
          return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === name;
        } catch {
          return false;
        }
      });
  } catch {
    return [];
  }
}

/** Busy CPU seconds of the whole machine (all cores), from /proc/stat. */
function machineBusySeconds(): number {
  try {
    const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
    const [user, nice, system, , , irq, softirq, steal] = fields.map(Number);
    return (user + nice + system + irq + softirq + steal) / 100;
  } catch {
    return 0;
  }
}

export interface CpuSnapshot {
  app: number;
  /** The other CountyLink processes of the run (the deployed shape's referral registry). */
  otherApps: number;
  postgres: Map<number, number>;
  driver: number;
  machine: number;
}

/** Where the CPU of a run goes: the app instances and every PostgreSQL backend (short-lived ones included). */
export function cpuSnapshot(appPids: number[], otherAppPids: number[] = []): CpuSnapshot {
  const { user, system } = process.cpuUsage();
  return {
    app: appPids.reduce((s, pid) => s + cpuSeconds(pid), 0),
    otherApps: otherAppPids.reduce((s, pid) => s + cpuSeconds(pid), 0),
    postgres: new Map(pidsNamed('postgres').map((pid) => [pid, cpuSeconds(pid)])),
    driver: (user + system) / 1e6,
    machine: machineBusySeconds(),
  };
}

export function cpuSpent(
  before: CpuSnapshot,
  after: CpuSnapshot,
): { app: number; otherApps: number; postgres: number; driver: number; machine: number } {
  let postgres = 0;
  for (const [pid, s] of after.postgres) postgres += s - (before.postgres.get(pid) ?? 0);
  return {
    app: after.app - before.app,
    otherApps: after.otherApps - before.otherApps,
    postgres,
    driver: after.driver - before.driver,
    machine: after.machine - before.machine,
  };
}
