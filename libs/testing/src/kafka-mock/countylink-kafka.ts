// Relative import: jest's globalSetup and the built CLI load this without the path aliases.
import { ALL_TOPICS, deadLetterTopic } from '../../../contracts/src/topics';
import { MockKafkaCluster } from './mock-kafka-cluster';

/** A mock cluster with every CountyLink topic and its dead-letter topic created (4 partitions each). */
export function startCountyLinkKafka(brokers = 1): Promise<MockKafkaCluster> {
  const topics = ALL_TOPICS.flatMap((name) => [name, deadLetterTopic(name)]).map((name) => ({ name, partitions: 4 }));
  return MockKafkaCluster.start({ brokers, topics });
}
