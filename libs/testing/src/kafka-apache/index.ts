export * from './apache-kafka';
export * from './countylink-apache-kafka';
export * from './e2e-kafka';
