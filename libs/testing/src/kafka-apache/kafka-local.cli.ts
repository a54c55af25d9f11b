/**
 * A real local Kafka for development: Apache Kafka (one KRaft node, from the Maven jars) with every
 * CountyLink topic and its dead-letter topic, data kept in .data/kafka across restarts.
 * `npm run kafka:local`, then paste the printed export in the terminals of `npm start` and `his-sim`.
 */
import { resolve } from 'node:path';
import { startCountyLinkApacheKafka } from './countylink-apache-kafka';

async function main(): Promise<void> {
  const dir = resolve(process.env.KAFKA_LOCAL_DIR ?? '.data/kafka');
  const started = Date.now();
  const kafka = await startCountyLinkApacheKafka(dir);
  process.stdout.write([
    `Apache Kafka 3.9 (KRaft, 1 node) up in ${((Date.now() - started) / 1000).toFixed(1)} s, data in ${dir}; in other terminals:`,
    `  export KAFKA_BROKERS=${kafka.bootstrapServers}`,
    `  (kcat -b ${kafka.bootstrapServers} -L lists the broker and the topics)`,
    '',
  ].join('\n'));
  const stop = () => void kafka.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`kafka:local: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
