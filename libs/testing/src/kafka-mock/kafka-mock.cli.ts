/**
 * A Kafka for development on a machine without one: librdkafka's mock cluster with every CountyLink
 * topic (and its dead-letter topic) created. `npm run kafka:mock`, then use the printed KAFKA_BROKERS.
 * It keeps nothing on disk and stops with Ctrl-C.
 */
import { startCountyLinkKafka } from './countylink-kafka';

async function main(): Promise<void> {
  const cluster = await startCountyLinkKafka(Number(process.env.MOCK_BROKERS ?? 1));
  process.stdout.write(
    `mock Kafka cluster up (librdkafka); in other terminals:\n  export KAFKA_BROKERS=${cluster.bootstrapServers}\n`,
  );
  const stop = () => void cluster.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  setInterval(() => undefined, 1 << 30);
}

main().catch((err: unknown) => {
  process.stderr.write(`kafka:mock: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
