import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';

export interface Attempt {
  url: string;
  token: string;
  body: object;
  kind: 'family-doctor' | 'general';
}

export interface Outcome {
  kind: Attempt['kind'];
  status: number;
  ms: number;
}

/** One keep-alive POST /api/appointments; resolves with status and latency, never throws for an HTTP answer. */
function post(agent: Agent, attempt: Attempt, key: string): Promise<Outcome> {
  const payload = JSON.stringify(attempt.body);
  const started = process.hrtime.bigint();
  return new Promise((resolveOutcome, reject) => {
    const req = request(
      `${attempt.url}/api/appointments`,
      {
        method: 'POST',
        agent,
        headers: {
          authorization: `Bearer ${attempt.token}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
          'idempotency-key': key,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          resolveOutcome({
            kind: attempt.kind,
            status: res.statusCode ?? 0,
            ms: Number(process.hrtime.bigint() - started) / 1e6,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/**
 * A reused keep-alive socket can be closed by the server just as a request goes out (ECONNRESET);
 * the retry carries the same Idempotency-Key, so it can never book twice.
 */
async function postRetrying(agent: Agent, attempt: Attempt, key: string): Promise<Outcome> {
  for (let tries = 1; ; tries++) {
    try {
      return await post(agent, attempt, key);
    } catch (err) {
      if (tries >= 3) throw err;
    }
  }
}

/** Runs the attempts with `concurrency` requests in flight at all times (closed loop). */
export async function runClosedLoop(
  attempts: Attempt[],
  concurrency: number,
): Promise<{ outcomes: Outcome[]; seconds: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const runId = randomBytes(6).toString('hex');
  const outcomes: Outcome[] = [];
  let next = 0;
  const started = process.hrtime.bigint();
  const worker = async () => {
    while (next < attempts.length) {
      const i = next++;
      outcomes.push(await postRetrying(agent, attempts[i], `bench-${runId}-${i}`));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  agent.destroy();
  return { outcomes, seconds };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
