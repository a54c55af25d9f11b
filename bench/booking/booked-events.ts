import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { Topics } from '@countylink/contracts';

export interface BookedEventWatch {
  /** Waits (up to 30 s) until `expected` booked events arrived; their commit → receipt lags, sorted. */
  settle(expected: number): Promise<{ received: number; p50: number; p99: number }>;
  stop(): Promise<void>;
}

/** A consumer of the scheduling topic from its end, as an HIS would read it: ce_time (the booking's commit) → received. */
export async function watchBookedEvents(brokers: string, scheduleIds: ReadonlySet<string>): Promise<BookedEventWatch> {
  const kafka = new Kafka({ clientId: 'bench-his', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `bench-his-${randomBytes(4).toString('hex')}`, maxWaitTimeInMs: 20 });
  const lags: number[] = [];
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  await consumer.connect();
  await consumer.subscribe({ topic: Topics.scheduling, fromBeginning: false });
  await consumer.run({
    eachMessage: async ({ message }) => {
      // Keyed by schedule: the warm-up session's bookings are not counted.
      if (
        message.headers?.ce_type?.toString() !== 'countylink.scheduling.appointment-booked.v1' ||
        !scheduleIds.has(message.key?.toString() ?? '')
      )
        return;
      lags.push(Date.now() - Date.parse(message.headers.ce_time!.toString()));
    },
  });
  await joined;
  return {
    settle: async (expected) => {
      const deadline = Date.now() + 30_000;
      while (lags.length < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      const sorted = [...lags].sort((a, b) => a - b);
      const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
      return { received: sorted.length, p50: at(0.5), p99: at(0.99) };
    },
    stop: () => consumer.disconnect(),
  };
}
