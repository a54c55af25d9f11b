/**
 * An HIS of one member institution, on Kafka: prints its feed (countylink.his-feed.v1.<institution>:
 * its commands' results and the events of its referrals, reads, appointments and alerts) and sends
 * the commands typed at its prompt (or given once on the command line) on its own command topic,
 * countylink.his-commands.v1.<institution>.
 *
 *   KAFKA_BROKERS=127.0.0.1:9092 npm run his-sim -- township-a                 # interactive
 *   KAFKA_BROKERS=127.0.0.1:9092 npm run his-sim -- county-hospital accept <referral-id>
 *
 * On a secured cluster (`npm run kafka:local` prints each HIS's exports) it connects as the HIS's
 * own principal, his-<institution>, with the backbone's variables: KAFKA_SSL_CA_FILE / KAFKA_SSL,
 * KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD(_FILE) — which the broker lets
 * write that command topic and read that feed only, in groups under his-<institution>.. That
 * principal is who the commands come from: no token travels in them. Without those settings in the
 * shell, it reads them from kafka:local's .data/kafka/security/env/his-<institution>.env.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fromBinary, toJson } from '@bufbuild/protobuf';
import { Kafka, logLevel } from 'kafkajs';
import {
  EventCatalog,
  hisCommandTopic,
  hisFeedTopic,
  hisGroupPrefix,
  hisPrincipal,
  isEventType,
} from '@countylink/contracts';
import { hisCommandMessage } from '@countylink/his-gateway';
import { kafkaClientSecurity, kafkaConnectionOptions } from '@countylink/messaging';
import { loadKafkaClientConfig } from '@countylink/platform';
import { parseCommand, SIM_HELP } from './his-sim-commands';

/** Where `npm run kafka:local` leaves each principal's exports. */
const LOCAL_ENV_DIR = '.data/kafka/security/env';

/**
 * The HIS speaks as his-<institution>. When the shell holds another principal's settings (the
 * backbone's, sourced for `npm start`) or none, and `kafka:local` left this HIS's file, its
 * settings are taken from there, so the README's walk-through runs in any terminal.
 */
function hisEnvironment(institutionId: string, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const principal = hisPrincipal(institutionId);
  const file = join(LOCAL_ENV_DIR, `${principal}.env`);
  if (env.KAFKA_SASL_USERNAME === principal || !existsSync(file)) return env;
  const settings = Object.fromEntries(
    readFileSync(file, 'utf8')
      .replace(/^\s*export\s+/, '')
      .trim()
      .split(/\s+/)
      .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
  );
  process.stderr.write(`his-sim: connecting as ${principal} with the settings in ${file}\n`);
  return { ...env, KAFKA_SASL_PASSWORD_FILE: undefined, ...settings };
}

async function main(): Promise<void> {
  const [institutionId, ...once] = process.argv.slice(2);
  const env = institutionId ? hisEnvironment(institutionId, process.env) : process.env;
  const brokers = env.KAFKA_BROKERS;
  if (!institutionId || !brokers) {
    process.stderr.write(
      `usage: KAFKA_BROKERS=host:port npm run his-sim -- <institution-id> [command …]\n${SIM_HELP}\n`,
    );
    process.exit(2);
  }
  const security = kafkaClientSecurity(loadKafkaClientConfig(env));
  const kafka = new Kafka({
    clientId: `his-sim-${institutionId}`,
    brokers: brokers.split(','),
    ...kafkaConnectionOptions(security),
    logLevel: logLevel.NOTHING,
  });
  const producer = kafka.producer();
  await producer.connect();
  const pending = new Map<string, (line: string) => void>();
  const consumer = kafka.consumer({
    groupId: `${hisGroupPrefix(institutionId)}sim-${randomUUID()}`,
    sessionTimeout: 6000,
    heartbeatInterval: 500,
    maxWaitTimeInMs: 100,
  });
  // Commands are sent once the feed is assigned: a result written before would be past the offset it starts from.
  // A feed it may not read (another principal's credentials) ends the simulator with the broker's reason, not a silent wait.
  const joined = new Promise<void>((resolve, reject) => {
    consumer.on(consumer.events.GROUP_JOIN, () => resolve());
    consumer.on(consumer.events.CRASH, ({ payload }) =>
      reject(
        new Error(
          `cannot read ${hisFeedTopic(institutionId)} as ${env.KAFKA_SASL_USERNAME ?? 'an unauthenticated client'}: ${payload.error.message}`,
        ),
      ),
    );
  });
  await consumer.connect();
  // Its feed holds exactly what concerns the institution: no filtering here, and nothing else to read.
  await consumer.subscribe({ topic: hisFeedTopic(institutionId), fromBeginning: process.env.FROM_BEGINNING === '1' });
  await consumer.run({
    eachMessage: async ({ topic, message }) => {
      const type = message.headers?.ce_type?.toString() ?? '';
      if (!isEventType(type) || !message.value) return;
      let json: unknown;
      try {
        json = toJson(EventCatalog[type].schema, fromBinary(EventCatalog[type].schema, message.value));
      } catch {
        return;
      }
      const key = message.key?.toString() ?? null;
      const line = `${new Date().toISOString()} ${topic} ${type} key=${key}\n${JSON.stringify(json)}\n`;
      const commandId = (json as { commandId?: string }).commandId;
      const waiter = commandId ? pending.get(commandId) : undefined;
      if (waiter) waiter(line);
      else if (once.length === 0) process.stdout.write(line);
    },
  });

  await joined;

  const send = async (words: string[]) => {
    const parsed = parseCommand(words, { commandId: randomUUID(), institutionId });
    if ('error' in parsed) {
      process.stdout.write(`${parsed.error}\n`);
      return;
    }
    const message = hisCommandMessage(parsed.type, parsed.command as never, `/his/${institutionId}`);
    const result = new Promise<string>((done) => pending.set(message.headers.ce_id, done));
    await producer.send({ topic: hisCommandTopic(institutionId), messages: [message] });
    process.stdout.write(`sent ${parsed.type} command ${message.headers.ce_id}\n`);
    const timeout = new Promise<string>((done) =>
      setTimeout(() => done('no result within 30 s (is CountyLink running with KAFKA_BROKERS?)\n'), 30_000).unref(),
    );
    process.stdout.write(await Promise.race([result, timeout]));
    pending.delete(message.headers.ce_id);
  };

  const stop = async () => {
    await consumer.disconnect();
    await producer.disconnect();
    process.exit(0);
  };
  if (once.length > 0) {
    await send(once);
    return stop();
  }
  process.stdout.write(`HIS of ${institutionId} on ${brokers}. ${SIM_HELP}\n`);
  const rl = createInterface({ input: process.stdin, prompt: `${institutionId}> ` });
  rl.prompt();
  rl.on('line', (line) => {
    const words = line.trim().split(/\s+/).filter(Boolean);
    // A line that cannot be sent is reported; the simulator stays at its prompt.
    void (words.length ? send(words) : Promise.resolve())
      .catch((err: unknown) => process.stdout.write(`not sent: ${err instanceof Error ? err.message : String(err)}\n`))
      .then(() => rl.prompt());
  });
  rl.on('close', () => void stop());
}

main().catch((err: unknown) => {
  process.stderr.write(`his-sim: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
