// Relative imports: jest's globalSetup and the built CLI load this without the path aliases.
import { ALL_TOPICS, deadLetterTopic } from '../../../contracts/src/topics';
import { ApacheKafka } from './apache-kafka';

/** Apache Kafka with every CountyLink topic and its dead-letter topic created (4 partitions each), as deploy/ creates them. */
export function startCountyLinkApacheKafka(dir: string, nodes: 1 | 3 = 1): Promise<ApacheKafka> {
  const topics = ALL_TOPICS.flatMap((name) => [name, deadLetterTopic(name)]).map((name) => ({ name, partitions: 4 }));
  return ApacheKafka.start({ dir, nodes, topics });
}
