import { ALL_TOPICS, deadLetterTopic, Topics } from './topics';

/**
 * Who may touch which Kafka topic and consumer group: the access matrix that the broker's ACLs are
 * made from (the test harness, `npm run kafka:local` and deploy/'s ACL job all apply this list, so
 * they cannot drift). Kafka's own semantics: READ and WRITE on a topic imply DESCRIBE; READ on a
 * group implies DESCRIBE; WRITE on any topic implies IDEMPOTENT_WRITE (KIP-679), so idempotent
 * producers need nothing more. Anything not listed is refused (allow.everyone.if.no.acl.found=false).
 */
export type KafkaOperation = 'read' | 'write';

export interface KafkaGrant {
  resource: 'topic' | 'group';
  /** `prefixed`: every name starting with `name` (Kafka's PREFIXED pattern). */
  pattern: 'literal' | 'prefixed';
  name: string;
  operations: KafkaOperation[];
}

export interface KafkaPrincipalAccess {
  /** The SCRAM user name; Kafka's principal is `User:<name>`. */
  principal: string;
  grants: KafkaGrant[];
}

/**
 * One principal per deployable backbone app, so each can be rotated or revoked on its own. The
 * standalone process runs all four modules and so holds their union.
 */
export const BACKBONE_APPS = ['referral-registry', 'remote-diagnosis', 'specialist-slots', 'clinician-realtime', 'standalone'] as const;
export type BackboneApp = (typeof BACKBONE_APPS)[number];

export const backbonePrincipal = (app: BackboneApp): string => `countylink-${app}`;
export const hisPrincipal = (institutionId: string): string => `his-${institutionId}`;
/** An HIS's consumer groups must start with this; the dot keeps `township-b` off `township-b2`'s groups. */
export const hisGroupPrefix = (institutionId: string): string => `his-${institutionId}.`;

/** Every topic the backbone runs on, with its dead-letter topic. */
export const BACKBONE_TOPICS: readonly string[] = ALL_TOPICS.flatMap((topic) => [topic, deadLetterTopic(topic)]);

/**
 * What every backbone app may do: read and write each CountyLink topic and dead-letter topic (by
 * literal name, so a topic made by mistake is nobody's), and use consumer groups under its
 * KAFKA_GROUP_PREFIX (`<prefix>.` — the transport's `<prefix>.<group>`).
 * Every app gets the same grant for now: narrowing each to the topics it publishes and consumes
 * needs the per-app lists that today are only implicit in its handlers.
 */
export function backboneAccess(app: BackboneApp, groupPrefixes: readonly string[] = ['countylink.']): KafkaPrincipalAccess {
  return {
    principal: backbonePrincipal(app),
    grants: [
      ...BACKBONE_TOPICS.map((name): KafkaGrant => ({ resource: 'topic', pattern: 'literal', name, operations: ['read', 'write'] })),
      ...groupPrefixes.map((name): KafkaGrant => ({ resource: 'group', pattern: 'prefixed', name, operations: ['read'] })),
    ],
  };
}

/**
 * What an institution's HIS may do: send commands and read their results, in groups of its own.
 * Internal domain topics (referral, diagnosis, scheduling, notification, directory) and every
 * dead-letter topic are the backbone's alone. Per-institution topics, when they come, are added
 * here (e.g. a prefixed grant on `countylink.his.<institutionId>.`).
 */
export function hisAccess(institutionId: string): KafkaPrincipalAccess {
  return {
    principal: hisPrincipal(institutionId),
    grants: [
      { resource: 'topic', pattern: 'literal', name: Topics.hisCommands, operations: ['write'] },
      { resource: 'topic', pattern: 'literal', name: Topics.hisResults, operations: ['read'] },
      { resource: 'group', pattern: 'prefixed', name: hisGroupPrefix(institutionId), operations: ['read'] },
    ],
  };
}

/** The whole matrix for a county group: every backbone app and one HIS per member institution. */
export function countyLinkAccess(institutionIds: readonly string[], options: { backboneGroupPrefixes?: readonly string[] } = {}): KafkaPrincipalAccess[] {
  return [
    ...BACKBONE_APPS.map((app) => backboneAccess(app, options.backboneGroupPrefixes)),
    ...institutionIds.map(hisAccess),
  ];
}
