import { rmSync } from 'node:fs';
import { dirname } from 'node:path';

interface Harness {
  pg: { stop(): Promise<void> };
  kafka: { stop(): Promise<void>; security?: { credentialsFile: string } };
}

export default async function globalTeardown(): Promise<void> {
  const harness = (globalThis as Record<string, unknown>).__countylinkHarness as Harness | undefined;
  await harness?.kafka.stop();
  await harness?.pg.stop();
  // The run's throwaway CA and passwords go with it (its data directory stays for post-mortems).
  const credentials = harness?.kafka.security?.credentialsFile;
  if (credentials) rmSync(dirname(credentials), { recursive: true, force: true });
}
