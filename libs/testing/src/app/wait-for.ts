/**
 * Waits until `check` returns a value (not undefined/false), re-checking on each `poke` (an event
 * the caller wires) and at a short interval; fails with `what` after `timeoutMs`. For waiting on
 * asynchronous outcomes (events consumed, timers fired), never as a sleep.
 */
export async function waitFor<T>(
  what: string,
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
