// Relative imports: jest's globalSetup and the built CLI load this without the path aliases.
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { countyLinkAccess } from '../../../contracts/src/kafka-access';
import { countyLinkTopics } from '../../../contracts/src/topics';
import { ApacheKafka } from './apache-kafka';

/** The demo county group's directory, from the sources or from the build output (dist/…). */
export const DEMO_DIRECTORY_FILE = [
  path.resolve(__dirname, '../../../../apps/referral-registry/seed/demo-county.json'),
  path.resolve(__dirname, '../../../../../apps/referral-registry/seed/demo-county.json'),
].find((file) => existsSync(file))!;

/** The institutions of a directory file: one HIS principal each. */
export function directoryInstitutions(file = DEMO_DIRECTORY_FILE): string[] {
  return (JSON.parse(readFileSync(file, 'utf8')) as { institutions: Array<{ id: string }> }).institutions.map(
    (i) => i.id,
  );
}

export interface CountyLinkApacheKafkaOptions {
  /** SASL_SSL + ACLs of the access matrix (default), or the old PLAINTEXT broker. */
  secure?: boolean;
  /** Institutions given an HIS principal; the demo directory's by default. */
  institutions?: string[];
  /** Consumer-group prefixes the backbone principals may use (KAFKA_GROUP_PREFIX + '.'); `countylink.` by default. */
  backboneGroupPrefixes?: string[];
}

/**
 * Apache Kafka with every CountyLink topic, every dead-letter topic and each institution's command
 * and feed topic created (4 partitions each), as deploy/ creates them, secured as deploy/ secures it:
 * a principal per backbone app and per HIS.
 */
export function startCountyLinkApacheKafka(
  dir: string,
  nodes: 1 | 3 = 1,
  options: CountyLinkApacheKafkaOptions = {},
): Promise<ApacheKafka> {
  const institutions = options.institutions ?? directoryInstitutions();
  const topics = countyLinkTopics(institutions).map((name) => ({ name, partitions: 4 }));
  const access = countyLinkAccess(institutions, { backboneGroupPrefixes: options.backboneGroupPrefixes });
  return ApacheKafka.start({ dir, nodes, topics, security: options.secure === false ? undefined : { access } });
}
