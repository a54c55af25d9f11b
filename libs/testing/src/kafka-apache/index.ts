export * from './apache-kafka';
export * from './countylink-apache-kafka';
