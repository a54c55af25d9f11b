/** Three projects: fast unit tests beside the code, end-to-end suites that boot apps against
 * a real PostgreSQL and the librdkafka mock Kafka cluster (started once in globalSetup), and the
 * isolated suites that time the server, run alone after them. */
const moduleNameMapper = {
  '^@countylink/(contracts|messaging|his-gateway|persistence|auth|platform|testing)$': '<rootDir>/libs/$1/src',
  '^@countylink/(contracts|messaging|his-gateway|persistence|auth|platform|testing)/(.*)$': '<rootDir>/libs/$1/src/$2',
};
const transform = { '^.+\\.ts$': ['@swc/jest'] };
const common = {
  rootDir: __dirname,
  moduleNameMapper,
  transform,
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
};

module.exports = {
  testTimeout: 60000,
  // The e2e suites wait on PostgreSQL and Kafka more than on CPU: two workers on a 2-core machine.
  maxWorkers: 2,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/apps/**/*.spec.ts', '<rootDir>/libs/**/*.spec.ts', '<rootDir>/deploy/**/*.spec.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/global-setup.ts',
      globalTeardown: '<rootDir>/test/global-teardown.ts',
    },
    // Suites that time the server (a health check answered within 200 ms while a hostile file is
    // handled) and the Kafka fault drills (three brokers killed and restarted, whose load made the
    // console's 2 s live checks miss): run on their own after the rest (`npm test`).
    {
      ...common,
      displayName: 'isolated',
      testMatch: ['<rootDir>/test/**/*.isolated-spec.ts'],
      globalSetup: '<rootDir>/test/global-setup.ts',
      globalTeardown: '<rootDir>/test/global-teardown.ts',
    },
  ],
};
