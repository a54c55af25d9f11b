// Relative import and kafkajs only, like kafka-security.ts: CLIs load this without the path aliases.
import type { Admin } from 'kafkajs';
import { institutionTopics } from '../../contracts/src/topics';

/**
 * Each institution's command and feed topic, made by an admin client where missing, as deploy/'s
 * kafka-topics job makes the shared ones: 12 partitions (the key is the institution, or the
 * aggregate on a feed), replicated 3 ways with min.insync.replicas 2 — fewer on a smaller cluster
 * (a single-node `kafka:local`). Run with the directory at hand (the kafka-acls job), before any app
 * starts: an app serves the institutions whose topics it finds when it starts.
 */
export async function ensureInstitutionTopics(
  admin: Admin,
  institutionIds: readonly string[],
  partitions = 12,
): Promise<string[]> {
  const existing = new Set(await admin.listTopics());
  const missing = institutionTopics(institutionIds).filter((topic) => !existing.has(topic));
  if (missing.length === 0) return [];
  const replicationFactor = Math.min(3, (await admin.describeCluster()).brokers.length);
  await admin.createTopics({
    waitForLeaders: true,
    topics: missing.map((topic) => ({
      topic,
      numPartitions: partitions,
      replicationFactor,
      configEntries: [{ name: 'min.insync.replicas', value: String(Math.min(2, replicationFactor)) }],
    })),
  });
  return missing;
}
