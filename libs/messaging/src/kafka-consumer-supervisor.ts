import { Consumer } from 'kafkajs';

const RELAUNCH_MS = 1_000;
const MAX_RELAUNCH_MS = 10_000;
const FIRST_LAUNCH_ATTEMPTS = 10;

export interface SupervisedConsumer {
  /** Resolves at the first group join of any of its consumers. */
  readonly joined: Promise<void>;
  stop(): Promise<void>;
}

export interface SuperviseOptions {
  /** A new kafkajs consumer (same group) each time. */
  create: () => Consumer;
  /** Connects, subscribes and runs it. */
  launch: (consumer: Consumer) => Promise<void>;
  /** Told of each crash kafkajs gave up on, and of each failed relaunch. */
  onGiveUp?: (err: unknown, relaunchInMs: number) => void;
}

/**
 * Keeps a consumer running. kafkajs restarts a crashed consumer only when the error was retriable;
 * after any other crash (a handler's database error, a stale generation after a failover,
 * tulios/kafkajs#1466) it leaves the consumer disconnected and the partitions unread for good.
 * This starts a new consumer of the same group instead, which resumes from the committed offsets
 * (at least once; the inbox drops what it had applied).
 */
export async function superviseConsumer(options: SuperviseOptions): Promise<SupervisedConsumer> {
  let stopped = false;
  let current: Consumer | undefined;
  let timer: NodeJS.Timeout | undefined;
  let failuresInARow = 0;
  let markJoined: () => void = () => undefined;
  const joined = new Promise<void>((resolve) => (markJoined = resolve));

  const relaunchLater = (err: unknown) => {
    if (stopped) return;
    const delay = Math.min(RELAUNCH_MS * 2 ** failuresInARow, MAX_RELAUNCH_MS);
    failuresInARow++;
    options.onGiveUp?.(err, delay);
    timer = setTimeout(() => {
      timer = undefined;
      start().then(
        () => (failuresInARow = 0),
        (launchErr) => relaunchLater(launchErr),
      );
    }, delay);
  };

  const start = async () => {
    if (stopped) return;
    const consumer = options.create();
    current = consumer;
    consumer.on(consumer.events.GROUP_JOIN, () => markJoined());
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (payload.restart || consumer !== current) return;
      relaunchLater(payload.error);
    });
    try {
      await options.launch(consumer);
    } catch (err) {
      await consumer.disconnect().catch(() => undefined);
      throw err;
    }
  };

  // A first launch may meet what a running cluster settles by itself (a topic's metadata not yet on
  // every broker, a coordinator moving): retriable errors are tried again for a while, others thrown.
  for (let attempt = 1; ; attempt++) {
    try {
      await start();
      break;
    } catch (err) {
      if ((err as { retriable?: boolean }).retriable !== true || attempt >= FIRST_LAUNCH_ATTEMPTS) throw err;
      await new Promise((resolve) => setTimeout(resolve, RELAUNCH_MS));
    }
  }
  return {
    joined,
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await current?.disconnect();
    },
  };
}
