import { randomBytes, randomUUID } from 'node:crypto';
import { Consumer, Kafka, KafkaConfig, logLevel } from 'kafkajs';
import {
  backbonePrincipal,
  BACKBONE_TOPICS,
  hisCommandTopic,
  hisFeedTopic,
  hisGroupPrefix,
  hisPrincipal,
  ReferralAction,
  Topics,
} from '@countylink/contracts';
import { hisCommandMessage } from '@countylink/his-gateway';
import { kafkaClientConfigFor, waitFor } from '@countylink/testing';

/**
 * The e2e run's Apache Kafka is secured as deploy/ runs it (SASL_SSL, SCRAM-SHA-512, the access
 * matrix's ACLs): an HIS principal is held to its own command topic and its own feed, and nothing
 * gets in without a valid password.
 */
const brokers = process.env.TEST_KAFKA_BROKERS!;
const HIS = hisPrincipal('township-b');
const BACKBONE = backbonePrincipal('referral-registry');
const INTERNAL: string[] = [
  Topics.referral,
  Topics.diagnosis,
  Topics.scheduling,
  Topics.notification,
  Topics.directory,
];
const DLQS = BACKBONE_TOPICS.filter((t) => t.endsWith('.dlq'));
/** Township A's own topics: township B's HIS may neither read nor write either. */
const TOWNSHIP_A = [hisCommandTopic('township-a'), hisFeedTopic('township-a')];
const suffix = () => randomBytes(4).toString('hex');

const clients: Array<{ disconnect(): Promise<void> }> = [];
function kafka(config: KafkaConfig): Kafka {
  return new Kafka({
    logLevel: logLevel.NOTHING,
    connectionTimeout: 3_000,
    requestTimeout: 10_000,
    retry: { retries: 1, initialRetryTime: 100 },
    ...config,
  });
}
const as = (user: string) => kafka(kafkaClientConfigFor(brokers, user));

/** The kafkajs error a call failed with, under the retrier's wrappers (KafkaJSNonRetriableError, …). */
async function failure(attempt: Promise<unknown>): Promise<{ name: string; type?: string; code?: number }> {
  try {
    await attempt;
  } catch (err) {
    let e = err as Error & { type?: string; code?: number; cause?: unknown };
    while (e.cause instanceof Error) e = e.cause as typeof e;
    return { name: e.name, type: e.type, code: e.code };
  }
  throw new Error('expected the call to be refused, and it succeeded');
}

async function producer(user: string) {
  const p = as(user).producer();
  await p.connect();
  clients.push(p);
  return p;
}

async function consumer(user: string, groupId: string): Promise<Consumer> {
  const c = as(user).consumer({ groupId, sessionTimeout: 6_000, heartbeatInterval: 500, maxWaitTimeInMs: 100 });
  await c.connect();
  clients.push(c);
  return c;
}

/** Consumes `topic` from the start until a message with `key` arrives. */
async function readsKey(c: Consumer, topic: string, key: string): Promise<string> {
  let seen: string | undefined;
  await c.subscribe({ topic, fromBeginning: true });
  await c.run({
    eachMessage: async ({ message }) => void (message.key?.toString() === key && (seen = message.value?.toString())),
  });
  return waitFor(`${key} on ${topic}`, () => seen, 30_000);
}

afterAll(async () => {
  for (const c of clients.splice(0)) await c.disconnect().catch(() => undefined);
});

describe('Kafka security (SASL_SSL, SCRAM-SHA-512, ACLs)', () => {
  it('lets his-township-b write its own command topic and read its own feed in its own groups', async () => {
    // A real command, for a referral that does not exist: an app that reads it answers "rejected" on township B's feed.
    const command = hisCommandMessage(
      'countylink.his-commands.transition-referral.v1',
      {
        context: { commandId: randomUUID(), institutionId: 'township-b' },
        referralId: randomUUID(),
        action: ReferralAction.ACCEPT,
        reason: '',
      },
      '/his/township-b',
    );
    await expect(
      (await producer(HIS)).send({ topic: hisCommandTopic('township-b'), acks: -1, messages: [command] }),
    ).resolves.toHaveLength(1);

    const key = `security-probe-${suffix()}`;
    await (
      await producer(BACKBONE)
    ).send({ topic: hisFeedTopic('township-b'), acks: -1, messages: [{ key, value: 'for township-b' }] });
    expect(
      await readsKey(
        await consumer(HIS, `${hisGroupPrefix('township-b')}probe-${suffix()}`),
        hisFeedTopic('township-b'),
        key,
      ),
    ).toBe('for township-b');
  });

  it.each([...INTERNAL, ...DLQS, ...TOWNSHIP_A])(
    'refuses his-township-b reading %s: TOPIC_AUTHORIZATION_FAILED',
    async (topic) => {
      const c = await consumer(HIS, `${hisGroupPrefix('township-b')}probe-${suffix()}`);
      expect(await failure(c.subscribe({ topic, fromBeginning: true }))).toEqual({
        name: 'KafkaJSProtocolError',
        type: 'TOPIC_AUTHORIZATION_FAILED',
        code: 29,
      });
    },
  );

  it.each([...INTERNAL, ...DLQS, ...TOWNSHIP_A, hisFeedTopic('township-b')])(
    'refuses his-township-b writing %s: TOPIC_AUTHORIZATION_FAILED',
    async (topic) => {
      const p = await producer(HIS);
      expect(await failure(p.send({ topic, messages: [{ key: 'township-b', value: 'forged' }] }))).toEqual({
        name: 'KafkaJSProtocolError',
        type: 'TOPIC_AUTHORIZATION_FAILED',
        code: 29,
      });
    },
  );

  it("refuses an HIS another's consumer group, or a backbone group: GROUP_AUTHORIZATION_FAILED", async () => {
    for (const groupId of [`${hisGroupPrefix('township-a')}probe-${suffix()}`, `countylink.probe-${suffix()}`]) {
      // kafkajs reports a refused FindCoordinator as "coordinator not found"; the broker's own answer is in its debug log.
      const answers: string[] = [];
      const client = kafka({
        ...kafkaClientConfigFor(brokers, HIS),
        logLevel: logLevel.DEBUG,
        logCreator:
          () =>
          ({ log }) => {
            const error = (log as { error?: { type?: string } }).error;
            if (log.message === 'Tried to find group coordinator' && error?.type) answers.push(error.type);
          },
      });
      const c = client.consumer({ groupId, sessionTimeout: 6_000, heartbeatInterval: 500, retry: { retries: 0 } });
      clients.push(c);
      await c.connect();
      await c.subscribe({ topic: hisFeedTopic('township-b'), fromBeginning: true });
      const crashed = new Promise<string>((resolve) =>
        c.on(c.events.CRASH, ({ payload }) => resolve(payload.error.name)),
      );
      await c.run({ eachMessage: async () => undefined });
      expect(await crashed).toBe('KafkaJSGroupCoordinatorNotFound');
      expect(answers).toContain('GROUP_AUTHORIZATION_FAILED');
    }
  });

  it('lets a backbone principal produce to and consume a domain topic in its groups', async () => {
    const key = `security-probe-${suffix()}`;
    await (await producer(BACKBONE)).send({ topic: Topics.referral, acks: -1, messages: [{ key, value: 'backbone' }] });
    expect(
      await readsKey(await consumer(BACKBONE, `countylink.security-probe-${suffix()}`), Topics.referral, key),
    ).toBe('backbone');
  });

  it('connects nobody with a wrong password, an unknown user, or no credentials', async () => {
    const good = kafkaClientConfigFor(brokers, HIS);
    const connect = (config: KafkaConfig) => {
      const admin = kafka(config).admin();
      clients.push(admin);
      return admin.connect().then(() => admin.listTopics());
    };
    expect(
      await failure(connect({ ...good, sasl: { mechanism: 'scram-sha-512', username: HIS, password: 'wrong' } })),
    ).toMatchObject({ name: 'KafkaJSSASLAuthenticationError' });
    expect(
      await failure(connect({ ...good, sasl: { mechanism: 'scram-sha-512', username: 'his-nowhere', password: 'x' } })),
    ).toMatchObject({ name: 'KafkaJSSASLAuthenticationError' });
    // TLS but no SASL: the broker closes the connection at the first request past the handshake.
    expect((await failure(connect({ ...good, sasl: undefined }))).name).toMatch(
      /^KafkaJS(ConnectionClosedError|ConnectionError|NumberOfRetriesExceeded)$/,
    );
    // Neither TLS nor SASL: nothing a plaintext client says is understood.
    expect((await failure(connect({ brokers: brokers.split(','), ssl: false, sasl: undefined }))).name).toMatch(
      /^KafkaJS(ConnectionClosedError|ConnectionError|NumberOfRetriesExceeded|RequestTimeoutError)$/,
    );
  });
});
