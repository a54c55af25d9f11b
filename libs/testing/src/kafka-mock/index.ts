export { MOCK_FRIENDLY_CONSUMER_CONFIG, MockKafkaCluster } from './mock-kafka-cluster';
export type { MockKafkaClusterOptions } from './mock-kafka-cluster';
export * from './countylink-kafka';
