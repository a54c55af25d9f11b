/* global process, fetch, setTimeout, AbortSignal, performance */
/**
 * A separate process that asks a server's /health/live every 100 ms and times each answer: timed
 * from outside, a blocked event loop shows as a slow answer instead of as a timer that fired late.
 * Started with fork(); answers the parent's 'stop' with what it measured.
 */
const url = process.argv[2];
const latencies = [];
let failures = 0;
let running = true;

process.on('message', (message) => {
  if (message !== 'stop') return;
  running = false;
});

async function poll() {
  // The first request pays for the connection and the client's own start-up: not the server's latency.
  await fetch(url).then(
    (res) => res.arrayBuffer(),
    () => undefined,
  );
  process.send?.('started');
  while (running) {
    const started = performance.now();
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
      await res.arrayBuffer();
      if (res.status !== 200) failures++;
    } catch {
      failures++;
    }
    latencies.push(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  process.send?.({ polls: latencies.length, maxMs: Math.max(0, ...latencies), failures });
  process.disconnect?.();
}

void poll();
