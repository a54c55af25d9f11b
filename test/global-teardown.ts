interface Harness {
  pg: { stop(): Promise<void> };
  kafka: { stop(): Promise<void> };
}

export default async function globalTeardown(): Promise<void> {
  const harness = (globalThis as Record<string, unknown>).__countylinkHarness as Harness | undefined;
  await harness?.kafka.stop();
  await harness?.pg.stop();
}
