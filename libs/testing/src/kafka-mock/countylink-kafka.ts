// Relative import: jest's globalSetup and the built CLI load this without the path aliases.
import { countyLinkTopics } from '../../../contracts/src/topics';
import { directoryInstitutions } from '../kafka-apache/countylink-apache-kafka';
import { MockKafkaCluster } from './mock-kafka-cluster';

/** A mock cluster with every CountyLink topic, dead-letter topic and the demo directory's HIS topics created (4 partitions each). */
export function startCountyLinkKafka(brokers = 1): Promise<MockKafkaCluster> {
  const topics = countyLinkTopics(directoryInstitutions()).map((name) => ({ name, partitions: 4 }));
  return MockKafkaCluster.start({ brokers, topics });
}
