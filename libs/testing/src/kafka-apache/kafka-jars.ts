import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';

/** libs/testing/kafka-broker, from the sources or from the build output (dist/…). */
export const BROKER_DIR = existsSync(path.resolve(__dirname, '../../kafka-broker/pom.xml'))
  ? path.resolve(__dirname, '../../kafka-broker')
  : path.resolve(__dirname, '../../../../../libs/testing/kafka-broker');

const LIBS = path.join(BROKER_DIR, 'target', 'libs');
const INSTALL_HINT = 'Java 17 and Maven are needed for Apache Kafka: apt-get install -y openjdk-17-jre-headless maven';

let fetching: Promise<string> | undefined;

/**
 * The broker's class path: the jars the small Maven file names, fetched once from Maven Central
 * (then from ~/.m2) into the git-ignored target/libs.
 */
export function kafkaClassPath(): Promise<string> {
  fetching ??= fetchJars().catch((err: unknown) => {
    fetching = undefined;
    throw err;
  });
  return fetching;
}

async function fetchJars(): Promise<string> {
  const present = () => existsSync(LIBS) && readdirSync(LIBS).some((f) => /^kafka_2\.13-.*\.jar$/.test(f));
  if (!present()) {
    try {
      await promisify(execFile)(
        'mvn',
        ['-q', '-B', '-f', path.join(BROKER_DIR, 'pom.xml'), 'dependency:copy-dependencies'],
        { timeout: 600_000 },
      );
    } catch (err) {
      const missing = (err as { code?: string }).code === 'ENOENT';
      throw new Error(missing ? INSTALL_HINT : `fetching Apache Kafka with Maven failed: ${(err as Error).message}`);
    }
    if (!present()) throw new Error(`Maven ran but ${LIBS} holds no Kafka broker jar`);
  }
  return `${LIBS}/*`;
}

export const LOG4J_CONFIG = path.join(BROKER_DIR, 'log4j2.properties');
