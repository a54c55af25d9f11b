/**
 * An HIS of one member institution, on Kafka: prints the events that concern the institution and
 * sends commands typed at its prompt (or given once on the command line).
 *
 *   KAFKA_BROKERS=127.0.0.1:9092 npm run his-sim -- township-a                 # interactive
 *   KAFKA_BROKERS=127.0.0.1:9092 npm run his-sim -- county-hospital accept <referral-id>
 *
 * On a secured cluster (`npm run kafka:local` prints each HIS's exports) it connects as the HIS's
 * own principal, his-<institution>, with the backbone's variables: KAFKA_SSL_CA_FILE / KAFKA_SSL,
 * KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD(_FILE). It then reads what the
 * HIS may read (command results) in groups under his-<institution>.; without credentials (e.g.
 * `npm run kafka:mock`) it reads every topic.
 *
 * The token is HIS_TOKEN, or one minted by the embedded default's local issuer for the institution's
 * HIS service account in the demo directory.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fromBinary, toJson } from '@bufbuild/protobuf';
import { Kafka, logLevel } from 'kafkajs';
import { LocalIssuer, Role } from '@countylink/auth';
import { EventCatalog, hisAccess, hisGroupPrefix, isEventType, Topics } from '@countylink/contracts';
import { hisCommandMessage, kafkaClientSecurity, kafkaConnectionOptions } from '@countylink/messaging';
import { loadKafkaClientConfig } from '@countylink/platform';
import { parseCommand, SIM_HELP } from './his-sim-commands';

interface Member {
  id: string;
  institutionId: string;
  roles: string[];
}

async function tokenFor(institutionId: string): Promise<string> {
  if (process.env.HIS_TOKEN) return process.env.HIS_TOKEN;
  const seed = resolve(process.env.DIRECTORY_SEED_FILE ?? 'apps/referral-registry/seed/demo-county.json');
  const members = (JSON.parse(readFileSync(seed, 'utf8')) as { members: Member[] }).members;
  const his = members.find((m) => m.institutionId === institutionId && m.roles.includes(Role.HisSystem));
  if (!his) throw new Error(`no HIS service account for ${institutionId} in ${seed}; set HIS_TOKEN`);
  const issuer = await LocalIssuer.open(
    resolve(process.env.AUTH_LOCAL_KEYS_DIR ?? resolve(process.env.COUNTYLINK_DATA_DIR ?? '.data', 'issuer')),
    process.env.AUTH_ISSUER ?? 'countylink-local',
    process.env.AUTH_AUDIENCE ?? 'countylink',
  );
  return issuer.mint({ sub: his.id, roles: [Role.HisSystem], institutionId });
}

/** An event concerns the institution when it names it anywhere, or is keyed by it. */
function concerns(institutionId: string, key: string | null, json: unknown): boolean {
  return key === institutionId || JSON.stringify(json).includes(`"${institutionId}"`);
}

async function main(): Promise<void> {
  const [institutionId, ...once] = process.argv.slice(2);
  const brokers = process.env.KAFKA_BROKERS;
  if (!institutionId || !brokers) {
    process.stderr.write(`usage: KAFKA_BROKERS=host:port npm run his-sim -- <institution-id> [command …]\n${SIM_HELP}\n`);
    process.exit(2);
  }
  const security = kafkaClientSecurity(loadKafkaClientConfig(process.env));
  const token = await tokenFor(institutionId);
  const kafka = new Kafka({ clientId: `his-sim-${institutionId}`, brokers: brokers.split(','), ...kafkaConnectionOptions(security), logLevel: logLevel.NOTHING });
  const producer = kafka.producer();
  await producer.connect();
  const pending = new Map<string, (line: string) => void>();
  const consumer = kafka.consumer({ groupId: `${hisGroupPrefix(institutionId)}sim-${randomUUID()}`, sessionTimeout: 6000, heartbeatInterval: 500, maxWaitTimeInMs: 100 });
  await consumer.connect();
  // As an HIS principal, the topics its ACLs let it read; unauthenticated, every topic but its own commands.
  const topics = security.sasl
    ? hisAccess(institutionId).grants.filter((g) => g.resource === 'topic' && g.pattern === 'literal' && g.operations.includes('read')).map((g) => g.name)
    : Object.values(Topics).filter((t) => t !== Topics.hisCommands);
  for (const topic of topics) await consumer.subscribe({ topic, fromBeginning: process.env.FROM_BEGINNING === '1' });
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
      if (!concerns(institutionId, key, json)) return;
      const line = `${new Date().toISOString()} ${topic} ${type} key=${key}\n${JSON.stringify(json)}\n`;
      const commandId = (json as { commandId?: string }).commandId;
      const waiter = commandId ? pending.get(commandId) : undefined;
      if (waiter) waiter(line);
      else if (once.length === 0) process.stdout.write(line);
    },
  });

  const send = async (words: string[]) => {
    const parsed = parseCommand(words, { commandId: randomUUID(), institutionId, token });
    if ('error' in parsed) {
      process.stdout.write(`${parsed.error}\n`);
      return;
    }
    const message = hisCommandMessage(parsed.type, parsed.command as never, `/his/${institutionId}`);
    const result = new Promise<string>((done) => pending.set(message.headers.ce_id, done));
    await producer.send({ topic: Topics.hisCommands, messages: [message] });
    process.stdout.write(`sent ${parsed.type} command ${message.headers.ce_id}\n`);
    const timeout = new Promise<string>((done) => setTimeout(() => done('no result within 30 s (is CountyLink running with KAFKA_BROKERS?)\n'), 30_000).unref());
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
